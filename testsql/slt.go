package testsql

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Record is one sqllogictest record.
type Record struct {
	Line     int    // 1-based line of the record header
	Kind     string // "statement" or "query"
	OK       bool   // statement ok
	Code     string // statement error pgcode
	Regex    string // statement error message regex
	Types    string // query column types
	Sort     string // "", "rowsort", "valuesort"
	SQL      string
	Expected []string
	// endLine is the line after the record (for -rewrite).
	expStart, expEnd int
}

// ParseSLT reads a .slt file.
func ParseSLT(path string) ([]*Record, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	lines := strings.Split(string(b), "\n")
	var recs []*Record
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Fields(l)
		r := &Record{Line: i + 1, Kind: f[0]}
		switch f[0] {
		case "statement":
			if len(f) < 2 {
				return nil, nil, fmt.Errorf("%s:%d: statement needs ok or error", path, i+1)
			}
			switch f[1] {
			case "ok":
				r.OK = true
			case "error":
				rest := f[2:]
				if len(rest) >= 2 && rest[0] == "pgcode" {
					r.Code = rest[1]
					rest = rest[2:]
				}
				r.Regex = strings.Join(rest, " ")
			default:
				return nil, nil, fmt.Errorf("%s:%d: unknown statement kind %q", path, i+1, f[1])
			}
		case "query":
			if len(f) < 2 {
				return nil, nil, fmt.Errorf("%s:%d: query needs column types", path, i+1)
			}
			r.Types = f[1]
			if len(f) > 2 {
				r.Sort = f[2]
			}
		default:
			return nil, nil, fmt.Errorf("%s:%d: unknown record %q", path, i+1, f[0])
		}
		var sql []string
		i++
		for ; i < len(lines) && strings.TrimSpace(lines[i]) != "" && strings.TrimSpace(lines[i]) != "----"; i++ {
			sql = append(sql, lines[i])
		}
		r.SQL = strings.Join(sql, "\n")
		if r.Kind == "query" {
			if i >= len(lines) || strings.TrimSpace(lines[i]) != "----" {
				return nil, nil, fmt.Errorf("%s:%d: query without ----", path, r.Line)
			}
			i++
			r.expStart = i
			for ; i < len(lines) && lines[i] != ""; i++ {
				r.Expected = append(r.Expected, lines[i])
			}
			r.expEnd = i
		}
		recs = append(recs, r)
	}
	return recs, lines, nil
}

// RewriteSLT replaces expected blocks with actual results.
func RewriteSLT(path string, lines []string, recs []*Record, actual map[*Record][]string) error {
	var out []string
	pos := 0
	for _, r := range recs {
		act, ok := actual[r]
		if r.Kind != "query" || !ok {
			continue
		}
		out = append(out, lines[pos:r.expStart]...)
		out = append(out, act...)
		pos = r.expEnd
	}
	out = append(out, lines[pos:]...)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.WriteString(strings.Join(out, "\n"))
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
