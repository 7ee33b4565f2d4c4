package parse

import (
	"errors"
	"regexp"
	"strings"
	"sync"

	pg "github.com/pganalyze/pg_query_go/v6"
	pgparser "github.com/pganalyze/pg_query_go/v6/parser"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

// Statement is one parsed statement of a query string.
type Statement struct {
	AST ast.Stmt
	SQL string // the statement's own text
	Tag string // the command tag PostgreSQL would report (without row count)
}

// cache holds parse results by exact query text.
type cache struct {
	mu sync.Mutex
	m  map[string][]Statement
}

const cacheMax = 4096

var shared = &cache{m: make(map[string][]Statement)}

// Parse splits and parses a query string. An empty string or one with only
// comments and semicolons gives no statements.
func Parse(sql string) ([]Statement, error) {
	shared.mu.Lock()
	if r, ok := shared.m[sql]; ok {
		shared.mu.Unlock()
		return r, nil
	}
	shared.mu.Unlock()
	r, err := parseUncached(sql)
	if err != nil {
		return nil, err
	}
	shared.mu.Lock()
	if len(shared.m) >= cacheMax {
		// Random eviction by map iteration order keeps this O(1) and bounded.
		for k := range shared.m {
			delete(shared.m, k)
			if len(shared.m) < cacheMax*3/4 {
				break
			}
		}
	}
	shared.m[sql] = r
	shared.mu.Unlock()
	return r, nil
}

// noColumnsTable finds CREATE TABLE name WITH ( at the start of a statement.
var noColumnsTable = regexp.MustCompile(`(?is)(^|;)(\s*create\s+table\s+(?:if\s+not\s+exists\s+)?[^\s(;]+)(\s+with\s*\()`)

func parseUncached(sql string) ([]Statement, error) {
	if strings.IndexByte(sql, 0) >= 0 {
		return nil, sqlerr.New(sqlerr.ProtocolViolation, "invalid message format: query string contains a zero byte")
	}
	tree, err := pg.Parse(sql)
	if err != nil {
		// CREATE TABLE name WITH (location = …) has no column list, which
		// PostgreSQL's grammar wants; an empty one means "infer".
		alt := noColumnsTable.ReplaceAllString(sql, "$1$2 ()$3")
		if alt == sql {
			return nil, syntaxError(sql, err)
		}
		if tree, err = pg.Parse(alt); err != nil {
			return nil, syntaxError(sql, err)
		}
		sql = alt
	}
	out := make([]Statement, 0, len(tree.Stmts))
	for _, raw := range tree.Stmts {
		start := int(raw.StmtLocation)
		end := len(sql)
		if raw.StmtLen > 0 {
			end = start + int(raw.StmtLen)
		}
		text := strings.TrimSpace(sql[start:end])
		c := &converter{sql: sql, version: tree.Version}
		st, tag, err := c.stmt(raw.Stmt)
		if err != nil {
			return nil, err
		}
		if p, ok := st.(*ast.Prepare); ok {
			p.SQL = text
		}
		out = append(out, Statement{AST: st, SQL: text, Tag: tag})
	}
	return out, nil
}

// syntaxError converts pg_query's error into 42601 with a character position.
func syntaxError(sql string, err error) error {
	var pe *pgparser.Error
	if errors.As(err, &pe) {
		e := sqlerr.New(sqlerr.SyntaxError, "%s", pe.Message)
		if strings.HasPrefix(pe.Message, "unterminated") || strings.Contains(pe.Message, "zero-length delimited identifier") {
			e.Code = sqlerr.SyntaxError
		}
		if pe.Cursorpos > 0 {
			// Cursorpos is PostgreSQL's: 1-based, in characters.
			e = e.WithPosition(pe.Cursorpos)
		}
		return e
	}
	return sqlerr.Wrap(err, sqlerr.SyntaxError, "%v", err)
}
