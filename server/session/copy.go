package session

import (
	"bufio"
	"context"
	"fmt"
	"github.com/sluicedb/sluice/catalog"
	"io"
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/bind"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/server/pgwire"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// copyOpts are COPY's format options.
type copyOpts struct {
	csv    bool
	header bool
	delim  byte
	null   string
	quote  byte
	escape byte
}

func parseCopyOpts(o map[string]string) (copyOpts, error) {
	c := copyOpts{delim: '\t', null: `\N`, quote: '"', escape: '"'}
	switch strings.ToLower(o["format"]) {
	case "", "text":
	case "csv":
		c.csv, c.delim, c.null = true, ',', ""
	case "binary":
		return c, sqlerr.Unsupported("COPY BINARY is not supported yet")
	default:
		return c, sqlerr.New(sqlerr.InvalidParameterValue, "COPY format \"%s\" not recognized", o["format"])
	}
	if _, ok := o["csv"]; ok {
		c.csv, c.delim, c.null = true, ',', ""
	}
	for k, v := range o {
		switch k {
		case "format", "csv", "freeze", "encoding":
		case "header":
			b, err := checkBool(v)
			if err != nil {
				if strings.EqualFold(v, "match") {
					b = "on"
				} else {
					return c, err
				}
			}
			c.header = b == "on"
		case "delimiter":
			if len(v) != 1 {
				return c, sqlerr.New(sqlerr.FeatureNotSupported, "COPY delimiter must be a single one-byte character")
			}
			c.delim = v[0]
		case "null":
			c.null = v
		case "quote":
			if len(v) != 1 {
				return c, sqlerr.New(sqlerr.FeatureNotSupported, "COPY quote must be a single one-byte character")
			}
			c.quote = v[0]
		case "escape":
			if len(v) != 1 {
				return c, sqlerr.New(sqlerr.FeatureNotSupported, "COPY escape must be a single one-byte character")
			}
			c.escape = v[0]
		default:
			return c, sqlerr.Unsupported("COPY option \"%s\" is not supported", k)
		}
	}
	if c.header && !c.csv {
		return c, sqlerr.New(sqlerr.FeatureNotSupported, "COPY HEADER available only in CSV mode")
	}
	return c, nil
}

// copy runs COPY … TO STDOUT / FROM STDIN.
func (s *Session) copy(ctx context.Context, x *ast.Copy, p *portal, w *pgwire.ResultWriter) (string, error) {
	if !x.Stdio {
		return "", sqlerr.New(sqlerr.InsufficientPrivilege, "COPY to or from a file is not allowed").
			WithHint("Use COPY … TO STDOUT / FROM STDIN, or psql's \\copy.")
	}
	opts, err := parseCopyOpts(x.Options)
	if err != nil {
		return "", err
	}
	if x.From {
		return s.copyIn(ctx, x, opts, w)
	}
	return s.copyOut(ctx, x, opts, w)
}

func (s *Session) copyOut(ctx context.Context, x *ast.Copy, opts copyOpts, w *pgwire.ResultWriter) (string, error) {
	var sel *ast.Select
	if x.Query != nil {
		q, ok := x.Query.(*ast.Select)
		if !ok {
			return "", sqlerr.Unsupported("COPY (query) TO supports SELECT only")
		}
		sel = q
	} else {
		sel = &ast.Select{From: []ast.TableRef{x.Table}}
		if len(x.Columns) == 0 {
			sel.Targets = []*ast.Target{{Expr: &ast.ColumnRef{Star: true, Pos: -1}, Pos: -1}}
		}
		for _, c := range x.Columns {
			sel.Targets = append(sel.Targets, &ast.Target{Expr: &ast.ColumnRef{Names: []string{c}, Pos: -1}, Pos: -1})
		}
	}
	plan, err := bind.BindQuery(sel, nil, s.tables())
	if err != nil {
		return "", err
	}
	st, err := plan.Execute(ctx, s.env(), nil)
	if err != nil {
		return "", err
	}
	defer st.Close()
	w.CopyOut(len(plan.Columns))
	f := s.format()
	var line []byte
	if opts.header {
		line = line[:0]
		for i, c := range plan.Columns {
			if i > 0 {
				line = append(line, opts.delim)
			}
			line = appendCSVField(line, c.Name, opts)
		}
		line = append(line, '\n')
		if err := w.CopyData(line); err != nil {
			return "", err
		}
	}
	var n int64
	for {
		rb, err := st.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		cols := rb.Columns()
		for r := 0; r < int(rb.NumRows()); r++ {
			line = line[:0]
			for i, col := range cols {
				if i > 0 {
					line = append(line, opts.delim)
				}
				t := plan.Columns[i].Type
				d := types.DatumAt(col, t, r)
				if d == nil {
					line = append(line, opts.null...)
					continue
				}
				txt := types.TextOf(t, d, f)
				if opts.csv {
					line = appendCSVField(line, txt, opts)
				} else {
					line = appendTextField(line, txt, opts.delim)
				}
			}
			line = append(line, '\n')
			if err := w.CopyData(line); err != nil {
				rb.Release()
				return "", err
			}
			n++
		}
		rb.Release()
	}
	w.CopyDone()
	return fmt.Sprintf("COPY %d", n), nil
}

func appendTextField(b []byte, s string, delim byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c == delim {
				b = append(b, '\\', c)
			} else {
				b = append(b, c)
			}
		}
	}
	return b
}

func appendCSVField(b []byte, s string, o copyOpts) []byte {
	need := s == o.null || strings.IndexByte(s, o.delim) >= 0 || strings.IndexByte(s, o.quote) >= 0 ||
		strings.ContainsAny(s, "\r\n") || s == `\.`
	if !need {
		return append(b, s...)
	}
	b = append(b, o.quote)
	for i := 0; i < len(s); i++ {
		if s[i] == o.quote || s[i] == o.escape {
			b = append(b, o.escape)
		}
		b = append(b, s[i])
	}
	return append(b, o.quote)
}

func (s *Session) copyIn(ctx context.Context, x *ast.Copy, opts copyOpts, w *pgwire.ResultWriter) (string, error) {
	if x.Table == nil {
		return "", sqlerr.New(sqlerr.SyntaxError, "COPY FROM requires a table")
	}
	var t plan.Relation
	var lakeRel *catalog.Relation
	if mt := s.temp[x.Table.Name]; mt != nil && (x.Table.Schema == "" || x.Table.Schema == "pg_temp") {
		t = mt
	} else {
		r, err := s.managedTarget(x.Table, "copy into")
		if err != nil {
			return "", err
		}
		if t, err = s.relation(r); err != nil {
			return "", err
		}
		lakeRel = r
	}
	if err := s.checkWritable(); err != nil {
		return "", err
	}
	tcols := t.Columns()
	_, tname := t.Ident()
	cols, err := plan.ColumnIndexes(t, x.Columns)
	if err != nil {
		return "", err
	}
	defaults, err := bind.BindDefaults(ctx, s.env(), t, cols)
	if err != nil {
		return "", err
	}
	r, err := w.CopyIn(len(cols))
	if err != nil {
		return "", err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	f := s.format()
	var rows [][]types.Datum
	var firstErr error
	lineNo := 0
	for {
		rec, eof, err := readRecord(br, opts)
		if err != nil {
			firstErr = err
			break
		}
		if eof {
			break
		}
		lineNo++
		if opts.header && lineNo == 1 {
			continue
		}
		if rec == nil { // end-of-data marker \.
			break
		}
		if firstErr != nil {
			continue
		}
		if len(rec) != len(cols) {
			if len(rec) < len(cols) {
				firstErr = sqlerr.New(sqlerr.BadCopyFileFormat, "missing data for column \"%s\"", tcols[cols[len(rec)]].Name)
			} else {
				firstErr = sqlerr.New(sqlerr.BadCopyFileFormat, "extra data after last expected column")
			}
			firstErr = copyContext(firstErr, tname, lineNo)
			continue
		}
		row, err := planner.CoerceRow(t, cols, rec, f, defaults)
		if err != nil {
			firstErr = copyContext(err, tname, lineNo)
			continue
		}
		rows = append(rows, row)
		if len(rows)%4096 == 0 {
			if err := ctx.Err(); err != nil {
				firstErr = err
			}
		}
	}
	// Drain the rest of the copy stream so the protocol stays in step.
	_, _ = io.Copy(io.Discard, br)
	if firstErr != nil {
		return "", firstErr
	}
	if lakeRel != nil {
		k, err := s.sinkFor(lakeRel)
		if err != nil {
			return "", err
		}
		for lo := 0; lo < len(rows); lo += 64 << 10 {
			if err := k.write(rows[lo:min(lo+64<<10, len(rows))]); err != nil {
				k.abort()
				return "", err
			}
		}
		if err := s.finishSink(k, lakeRel.ID, false, "append"); err != nil {
			return "", err
		}
		return fmt.Sprintf("COPY %d", len(rows)), nil
	}
	mt := t.(*plan.MemTable)
	s.undo = append(s.undo, undoEntry{table: mt, prevLen: mt.Len()})
	mt.Append(rows)
	return fmt.Sprintf("COPY %d", len(rows)), nil
}

func copyContext(err error, table string, line int) error {
	e := sqlerr.From(err)
	if e.Detail == "" {
		e = e.WithDetail("COPY %s, line %s", table, strconv.Itoa(line))
	}
	return e
}

// readRecord reads one COPY record; nil fields are NULL. A nil record with
// eof false is the "\." end marker.
func readRecord(br *bufio.Reader, o copyOpts) ([]*string, bool, error) {
	line, err := br.ReadString('\n')
	if err == io.EOF && line == "" {
		return nil, true, nil
	}
	if err != nil && err != io.EOF {
		return nil, false, err
	}
	if o.csv {
		// A quoted field may span lines.
		for strings.Count(line, string(o.quote))%2 == 1 {
			more, err := br.ReadString('\n')
			line += more
			if err != nil {
				break
			}
		}
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == `\.` {
		return nil, false, nil
	}
	if o.csv {
		return splitCSV(line, o), false, nil
	}
	return splitText(line, o)
}

func splitText(line string, o copyOpts) ([]*string, bool, error) {
	var out []*string
	var cur strings.Builder
	raw := strings.Builder{}
	flush := func() {
		if raw.String() == o.null {
			out = append(out, nil)
		} else {
			v := cur.String()
			out = append(out, &v)
		}
		cur.Reset()
		raw.Reset()
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c == o.delim {
			flush()
			continue
		}
		raw.WriteByte(c)
		if c != '\\' || i+1 >= len(line) {
			cur.WriteByte(c)
			continue
		}
		i++
		n := line[i]
		raw.WriteByte(n)
		switch n {
		case 'n':
			cur.WriteByte('\n')
		case 'r':
			cur.WriteByte('\r')
		case 't':
			cur.WriteByte('\t')
		case 'b':
			cur.WriteByte('\b')
		case 'f':
			cur.WriteByte('\f')
		case 'v':
			cur.WriteByte('\v')
		case 'x':
			j := i + 1
			for j < len(line) && j < i+3 && isHex(line[j]) {
				j++
			}
			if j > i+1 {
				v, _ := strconv.ParseUint(line[i+1:j], 16, 8)
				cur.WriteByte(byte(v))
				raw.WriteString(line[i+1 : j])
				i = j - 1
			} else {
				cur.WriteByte('x')
			}
		default:
			if n >= '0' && n <= '7' {
				j := i
				for j < len(line) && j < i+3 && line[j] >= '0' && line[j] <= '7' {
					j++
				}
				v, _ := strconv.ParseUint(line[i:j], 8, 8)
				cur.WriteByte(byte(v))
				raw.WriteString(line[i+1 : j])
				i = j - 1
			} else {
				cur.WriteByte(n)
			}
		}
	}
	flush()
	return out, false, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func splitCSV(line string, o copyOpts) []*string {
	var out []*string
	i := 0
	for {
		var cur strings.Builder
		quoted := false
		for i < len(line) && line[i] != o.delim {
			c := line[i]
			if c == o.quote {
				quoted = true
				i++
				for i < len(line) {
					if line[i] == o.escape && i+1 < len(line) && line[i+1] == o.quote {
						cur.WriteByte(o.quote)
						i += 2
						continue
					}
					if line[i] == o.quote {
						i++
						break
					}
					cur.WriteByte(line[i])
					i++
				}
				continue
			}
			cur.WriteByte(c)
			i++
		}
		v := cur.String()
		if !quoted && v == o.null {
			out = append(out, nil)
		} else {
			out = append(out, &v)
		}
		if i >= len(line) {
			return out
		}
		i++ // delimiter
	}
}
