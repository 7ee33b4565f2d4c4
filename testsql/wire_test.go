package testsql

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

var wireFlag = flag.String("wire", "", "run one wire script (wire/NAME.wire)")

// A wire script is a sequence of blocks separated by blank lines:
//
//	send
//	Query {"String": "SELECT 1"}
//	raw 5100000004          (hex bytes, sent as is)
//	CopyText "1\tx\n"       (a CopyData message with this text)
//
//	until [ReadyForQuery …]
//	----
//	{"Type":"RowDescription",…}   (expected messages, one JSON per line)
//
// "until" reads messages until it has seen the listed types in order (or the
// connection closes, shown as EOF). ParameterStatus and BackendKeyData are
// not shown; RowDescription table OIDs and attribute numbers are zeroed, and
// errors and notices keep Severity, Code and Message (and Position), so the
// same script runs against PostgreSQL, whose answers prove the expectations.
// With -rewrite, expectations are rewritten from PostgreSQL's answers.

type wireBlock struct {
	line    int
	send    []string
	until   []string
	expect  []string
	expLine int
}

func parseWire(path string) ([]*wireBlock, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	lines := strings.Split(string(b), "\n")
	var out []*wireBlock
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		blk := &wireBlock{line: i + 1}
		switch {
		case l == "send":
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
				if !strings.HasPrefix(strings.TrimSpace(lines[i]), "#") {
					blk.send = append(blk.send, strings.TrimSpace(lines[i]))
				}
			}
		case strings.HasPrefix(l, "until"):
			blk.until = strings.Fields(l)[1:]
			i++
			if i >= len(lines) || strings.TrimSpace(lines[i]) != "----" {
				return nil, nil, fmt.Errorf("%s:%d: until needs ----", path, blk.line)
			}
			blk.expLine = i + 1
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
				blk.expect = append(blk.expect, lines[i])
			}
		default:
			return nil, nil, fmt.Errorf("%s:%d: expected send or until, got %q", path, i+1, l)
		}
		out = append(out, blk)
	}
	return out, lines, nil
}

func frontendMessage(line string) (pgproto3.FrontendMessage, []byte, error) {
	typ, body, _ := strings.Cut(line, " ")
	if typ == "raw" {
		b, err := hex.DecodeString(strings.ReplaceAll(body, " ", ""))
		return nil, b, err
	}
	if typ == "CopyText" {
		var text string
		if err := json.Unmarshal([]byte(body), &text); err != nil {
			return nil, nil, err
		}
		return &pgproto3.CopyData{Data: []byte(text)}, nil, nil
	}
	var m pgproto3.FrontendMessage
	switch typ {
	case "Query":
		m = &pgproto3.Query{}
	case "Parse":
		m = &pgproto3.Parse{}
	case "Bind":
		m = &pgproto3.Bind{}
	case "Describe":
		m = &pgproto3.Describe{}
	case "Execute":
		m = &pgproto3.Execute{}
	case "Sync":
		m = &pgproto3.Sync{}
	case "Flush":
		m = &pgproto3.Flush{}
	case "Close":
		m = &pgproto3.Close{}
	case "Terminate":
		m = &pgproto3.Terminate{}
	case "CopyData":
		m = &pgproto3.CopyData{}
	case "CopyDone":
		m = &pgproto3.CopyDone{}
	case "CopyFail":
		m = &pgproto3.CopyFail{}
	default:
		return nil, nil, fmt.Errorf("unknown message %q", typ)
	}
	if strings.TrimSpace(body) != "" {
		if err := json.Unmarshal([]byte(body), m); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", typ, err)
		}
	}
	return m, nil, nil
}

// normalize renders a backend message as portable JSON ("" to hide it).
func normalize(m pgproto3.BackendMessage) string {
	switch x := m.(type) {
	case *pgproto3.ParameterStatus, *pgproto3.BackendKeyData:
		return ""
	case *pgproto3.RowDescription:
		c := *x
		c.Fields = append([]pgproto3.FieldDescription(nil), x.Fields...)
		for i := range c.Fields {
			c.Fields[i].TableOID, c.Fields[i].TableAttributeNumber = 0, 0
		}
		b, _ := json.Marshal(&c)
		return string(b)
	case *pgproto3.ErrorResponse:
		return errJSON("ErrorResponse", x.Severity, x.Code, x.Message, x.Position)
	case *pgproto3.NoticeResponse:
		return errJSON("NoticeResponse", x.Severity, x.Code, x.Message, x.Position)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func errJSON(typ, sev, code, msg string, pos int32) string {
	v := map[string]any{"Type": typ, "Severity": sev, "Code": code, "Message": msg}
	if pos != 0 {
		v["Position"] = pos
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// wireConn is a raw protocol connection after startup.
type wireConn struct {
	nc net.Conn
	fe *pgproto3.Frontend
}

func dialWire(t *testing.T, addr, user, db string) *wireConn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": user, "database": db}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	for {
		_ = nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		m, err := fe.Receive()
		if err != nil {
			t.Fatalf("startup with %s: %v", addr, err)
		}
		switch x := m.(type) {
		case *pgproto3.ReadyForQuery:
			return &wireConn{nc: nc, fe: fe}
		case *pgproto3.ErrorResponse:
			t.Fatalf("startup with %s: %s", addr, x.Message)
		}
	}
}

// runWire runs blocks on a fresh connection and returns what each until saw.
func runWire(t *testing.T, addr, user, db string, blocks []*wireBlock) map[*wireBlock][]string {
	c := dialWire(t, addr, user, db)
	defer c.nc.Close()
	got := map[*wireBlock][]string{}
	closed := false
	for _, blk := range blocks {
		if blk.send != nil {
			for _, l := range blk.send {
				m, raw, err := frontendMessage(l)
				if err != nil {
					t.Fatalf("line %d: %v", blk.line, err)
				}
				if raw != nil {
					_, _ = c.nc.Write(raw)
					continue
				}
				c.fe.Send(m)
			}
			_ = c.fe.Flush()
			continue
		}
		var seen []string
		want := blk.until
		for len(want) > 0 && !closed {
			_ = c.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
			m, err := c.fe.Receive()
			if err != nil {
				if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "reset") || strings.Contains(err.Error(), "closed") {
					seen = append(seen, "EOF")
					closed = true
					break
				}
				t.Fatalf("block at line %d: receive: %v (seen so far: %v)", blk.line, err, seen)
			}
			if s := normalize(m); s != "" {
				seen = append(seen, s)
			}
			var typ struct{ Type string }
			_ = json.Unmarshal([]byte(normalize(m)+" "), &typ)
			if typ.Type == "" {
				b, _ := json.Marshal(m)
				_ = json.Unmarshal(b, &typ)
			}
			if typ.Type == want[0] {
				want = want[1:]
			}
		}
		got[blk] = seen
	}
	return got
}

func TestWireScripts(t *testing.T) {
	files, _ := filepath.Glob("wire/*.wire")
	if *wireFlag != "" {
		files = []string{filepath.Join("wire", filepath.Base(*wireFlag))}
	}
	pgOK := postgresReachable()
	for _, f := range files {
		f := f
		t.Run(filepath.Base(f), func(t *testing.T) {
			blocks, lines, err := parseWire(f)
			if err != nil {
				t.Fatal(err)
			}
			type target struct{ name, addr, user, db string }
			targets := []target{}
			Need(t, pgOK, "PostgreSQL at "+PostgresAddr()+" (the oracle for wire scripts)")
			if pgOK {
				targets = append(targets, target{"postgres", PostgresAddr(), "postgres", "test"})
			}
			if !*rewriteFlag {
				srv := Start(t)
				targets = append(targets, target{"sluice", srv.Addr, "sluice", "sluice"})
			}
			for _, tg := range targets {
				got := runWire(t, tg.addr, tg.user, tg.db, blocks)
				if *rewriteFlag && tg.name == "postgres" {
					rewriteWire(t, f, lines, blocks, got)
					return
				}
				for _, blk := range blocks {
					if blk.until == nil {
						continue
					}
					if !equal(got[blk], blk.expect) {
						t.Errorf("%s:%d [%s]: messages differ\n--- expected\n%s\n--- got\n%s", f, blk.line, tg.name,
							strings.Join(blk.expect, "\n"), strings.Join(got[blk], "\n"))
					}
				}
			}
		})
	}
}

func rewriteWire(t *testing.T, path string, lines []string, blocks []*wireBlock, got map[*wireBlock][]string) {
	var out []string
	pos := 0
	for _, blk := range blocks {
		if blk.until == nil {
			continue
		}
		out = append(out, lines[pos:blk.expLine]...)
		out = append(out, got[blk]...)
		pos = blk.expLine + len(blk.expect)
	}
	out = append(out, lines[pos:]...)
	if err := os.WriteFile(path, []byte(strings.Join(out, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

var _ = context.Background
