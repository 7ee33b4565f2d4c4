package plan

import (
	"context"
	"sort"
	"strings"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// Relation is what a table name resolves to: a session's in-memory table
// (*MemTable), a table served by a connectors.Provider (*SourceTable) or a
// view (*ViewDef).
type Relation interface {
	Columns() []Column
	// Ident is the relation's schema and name.
	Ident() (schema, name string)
}

// Columns implements Relation.
func (t *MemTable) Columns() []Column { return t.Cols }

// Ident implements Relation.
func (t *MemTable) Ident() (string, string) { return t.Schema, t.Name }

// SourceTable is a table whose rows come from a provider (a lake table, a
// stream, a remote table).
type SourceTable struct {
	Schema   string
	Name     string
	OID      types.OID
	Cols     []Column
	Provider connectors.Provider
	// Current, when set, returns a provider of the table's data as it is
	// now; each execution calls it once (see Pin) and reads only what it
	// returned. Nil when Provider's data can only change through a catalog
	// commit, which re-binds the plans that read it.
	Current func(ctx context.Context) (connectors.Provider, error)
	// Volatile marks data that changes without a new version (system
	// views computed when scanned): never cached.
	Volatile bool
	// DefVersion changes whenever the table's definition does (columns
	// added, dropped or renamed): with Provider.Version() it identifies
	// what a scan returns.
	DefVersion int64
}

// Columns implements Relation.
func (t *SourceTable) Columns() []Column { return t.Cols }

// Ident implements Relation.
func (t *SourceTable) Ident() (string, string) { return t.Schema, t.Name }

// ViewDef is a stored query, bound afresh wherever the view is used. Refs
// are the relations its query named when it was created: those names
// resolve to the same relations (by OID) whatever they are called now.
type ViewDef struct {
	Schema string
	Name   string
	OID    types.OID
	Cols   []Column // the names (and types at creation) of its columns
	Query  *ast.Select
	Refs   []ViewRef
}

// ViewRef is a relation a view's query names, as written, and its OID.
type ViewRef struct {
	Schema, Name string
	OID          types.OID
}

// TablesByOID is implemented by Tables that can resolve a relation by OID
// (nil when it no longer exists), which views need to follow renames.
type TablesByOID interface {
	RelationByOID(oid types.OID) (Relation, error)
}

// ViewTables resolves the names inside a view's query: those it named at
// creation by their OIDs, the rest through base.
type ViewTables struct {
	Base Tables
	Refs []ViewRef
}

func (v ViewTables) Unwrap() Tables { return v.Base }

func (v ViewTables) Relation(schema, name string) (Relation, error) {
	if byOID, ok := v.Base.(TablesByOID); ok {
		for _, r := range v.Refs {
			if r.Schema == schema && r.Name == name {
				rel, err := byOID.RelationByOID(r.OID)
				if err != nil || rel != nil {
					return rel, err
				}
			}
		}
	}
	return v.Base.Relation(schema, name)
}

// RecordingTables remembers the relations (with OIDs) a view's query names.
type RecordingTables struct {
	Base Tables
	Refs *[]ViewRef
}

func (r RecordingTables) Unwrap() Tables { return r.Base }

func (r RecordingTables) Relation(schema, name string) (Relation, error) {
	rel, err := r.Base.Relation(schema, name)
	var oid types.OID
	switch x := rel.(type) {
	case *SourceTable:
		oid = x.OID
	case *ViewDef:
		oid = x.OID
	}
	if oid != 0 {
		if s, _ := rel.Ident(); s != "pg_catalog" && s != "information_schema" && s != "sluice_catalog" {
			*r.Refs = append(*r.Refs, ViewRef{Schema: schema, Name: name, OID: oid})
		}
	}
	return rel, err
}

// Columns implements Relation.
func (v *ViewDef) Columns() []Column { return v.Cols }

// Ident implements Relation.
func (v *ViewDef) Ident() (string, string) { return v.Schema, v.Name }

// SourceScan reads a provider. used marks the columns the query reads (set
// while binding); the others stay NULL in its rows and are never read.
// preds are the pushed-down predicates (the filters above stay unless the
// provider answered Exact, in which case the rule removed them). limit,
// when set (rule scan_limit), is how many rows the query can take from the
// scan (a LIMIT's count plus its offset, evaluated at open): only the
// splits that cover that many rows are read.
type SourceScan struct {
	T      *SourceTable
	Used   []bool
	Preds  []connectors.Predicate
	Limit  expr.Expr
	Offset expr.Expr
}

var flipOp = map[string]string{"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

var scanOps = map[string]connectors.Op{"=": connectors.OpEq, "<>": connectors.OpNe, "<": connectors.OpLt,
	"<=": connectors.OpLe, ">": connectors.OpGt, ">=": connectors.OpGe}

// ScanPredicate recognises column op constant (either side) and IS [NOT]
// NULL over a bare column, where the constant compares like the column's
// values (the same type family, no cast on the column).
func ScanPredicate(e expr.Expr, cols []Column) (connectors.Predicate, bool) {
	switch x := e.(type) {
	case *expr.IsNullExpr:
		c, ok := x.X.(*expr.ColExpr)
		if !ok {
			return connectors.Predicate{}, false
		}
		op := connectors.OpIsNull
		if x.Not {
			op = connectors.OpIsNotNull
		}
		return connectors.Predicate{Col: c.Idx, Op: op}, true
	case *expr.FnExpr:
		if len(x.Args) != 2 {
			return connectors.Predicate{}, false
		}
		op, ok := scanOps[x.Op]
		if !ok {
			return connectors.Predicate{}, false
		}
		c, cok := x.Args[0].(*expr.ColExpr)
		k, kok := x.Args[1].(*expr.ConstExpr)
		if !cok || !kok {
			c, cok = x.Args[1].(*expr.ColExpr)
			k, kok = x.Args[0].(*expr.ConstExpr)
			if !cok || !kok {
				return connectors.Predicate{}, false
			}
			op = scanOps[flipOp[x.Op]]
		}
		if k.V == nil || !sameFamily(cols[c.Idx].Type, k.T) {
			return connectors.Predicate{}, false
		}
		return connectors.Predicate{Col: c.Idx, Op: op, Value: k.V}, true
	}
	return connectors.Predicate{}, false
}

// sameFamily reports whether values of a and b compare as their Datums do
// (integers with integers; the same type otherwise). Floats are left out:
// PostgreSQL orders NaN above every number, Parquet statistics omit it.
func sameFamily(a, b types.Type) bool {
	if a.IsInteger() && b.IsInteger() {
		return true
	}
	switch a.OID {
	case types.OIDText, types.OIDVarchar:
		return b.OID == types.OIDText || b.OID == types.OIDVarchar
	case types.OIDDate, types.OIDTimestamp, types.OIDTimestamptz, types.OIDBool:
		return a.OID == b.OID
	}
	return false
}

func describeScan(s *SourceScan) string {
	d := "Seq Scan on " + s.T.Schema + "." + s.T.Name
	if len(s.Preds) > 0 {
		parts := make([]string, len(s.Preds))
		for i, p := range s.Preds {
			parts[i] = s.T.Cols[p.Col].Name + " " + p.Op.String()
			if p.Op != connectors.OpIsNull && p.Op != connectors.OpIsNotNull {
				parts[i] += " " + types.TextOf(s.T.Cols[p.Col].Type, p.Value, &types.Format{})
			}
		}
		sort.Strings(parts)
		d += " (pushed: " + strings.Join(parts, ", ") + ")"
	}
	return d
}

// EstimateSourceRows is the provider's row count after the scan's own
// predicates (-1 if unknown).
func EstimateSourceRows(s *SourceScan) float64 {
	return estimateSourceFilter(s, nil)
}

// estimateSourceFilter estimates the rows of a scan under filter conjuncts
// from the provider's statistics: col = const keeps rows/distinct (when
// ANALYZE measured it), IS NULL keeps the NULLs; any other conjunct keeps
// a third, PostgreSQL's classic default.
func estimateSourceFilter(s *SourceScan, conj []expr.Expr) float64 {
	st, err := s.T.Provider.Stats(context.Background())
	if err != nil || st.Rows < 0 {
		return -1
	}
	rows := float64(st.Rows)
	sel := func(p connectors.Predicate) float64 {
		var cs connectors.ColumnStats
		if p.Col < len(st.Cols) {
			cs = st.Cols[p.Col]
		}
		switch {
		case p.Op == connectors.OpEq && cs.Distinct > 0:
			return 1 / float64(cs.Distinct)
		case p.Op == connectors.OpIsNull && cs.Nulls >= 0 && st.Rows > 0:
			return float64(cs.Nulls) / float64(st.Rows)
		}
		return 1.0 / 3
	}
	for _, p := range s.Preds {
		rows *= sel(p)
	}
	for _, c := range conj {
		if p, ok := ScanPredicate(c, s.T.Cols); ok {
			already := false
			for _, q := range s.Preds {
				already = already || q == p
			}
			if !already {
				rows *= sel(p)
			}
			continue
		}
		rows /= 3
	}
	return rows
}
