package plan

import (
	"strings"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// ScopeCol is a column visible to expressions.
type ScopeCol struct {
	Table    string
	Name     string
	T        types.Type
	QualOnly bool  // a JOIN USING input column: reachable only as table.name
	NoStar   bool  // left out of an unqualified * (merged by USING)
	Used     *bool // set when the query reads the column (source scans read only those)
}

func (c ScopeCol) MarkUsed() {
	if c.Used != nil {
		*c.Used = true
	}
}

// typeOf resolves a written type name.
func TypeOfName(tn *ast.TypeName) (types.Type, error) {
	if tn.Array {
		et, err := TypeOfName(&ast.TypeName{Name: tn.Name, Mods: tn.Mods, Pos: tn.Pos})
		if err != nil {
			return et, err
		}
		at, ok := types.ArrayOf(et)
		if !ok {
			return et, expr.ErrAt(sqlerr.Unsupported("arrays of %s are not supported", et), tn.Pos)
		}
		return at, nil
	}
	name := tn.Name
	d, ok := types.LookupName(name)
	if !ok {
		return types.Type{}, expr.ErrAt(sqlerr.New(sqlerr.UndefinedObject, "type \"%s\" does not exist", name), tn.Pos)
	}
	t := types.Type{OID: d.OID, Typmod: -1}
	switch d.OID {
	case types.OIDVarchar, types.OIDBpchar:
		if len(tn.Mods) > 0 {
			t.Typmod = int32(tn.Mods[0]) + 4
		} else if d.OID == types.OIDBpchar && name != "bpchar" {
			t.Typmod = 5 // char means char(1)
		}
	case types.OIDNumeric:
		if len(tn.Mods) > 0 {
			p, s := tn.Mods[0], 0
			if len(tn.Mods) > 1 {
				s = tn.Mods[1]
			}
			if p < 1 || p > 1000 || s < 0 || s > p {
				return t, expr.ErrAt(sqlerr.New(sqlerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and 1000", p), tn.Pos)
			}
			t.Typmod = int32(p<<16|s) + 4
		}
	case types.OIDFloat8:
		if name == "float" && len(tn.Mods) > 0 && tn.Mods[0] <= 24 {
			t = types.Float4
		}
	case types.OIDTimestamp, types.OIDTimestamptz:
		// precision modifiers are accepted and ignored (microseconds kept).
	}
	return t, nil
}

func ConstValue(e expr.Expr) (types.Datum, bool) {
	if c, ok := e.(*expr.ConstExpr); ok {
		return c.V, true
	}
	return nil, false
}

func HasZone(s string) bool {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		rest := s[i+1:]
		return strings.ContainsAny(rest, "+-Zz") || strings.IndexFunc(rest, func(r rune) bool { return r >= 'A' && r <= 'z' }) >= 0
	}
	return false
}

func CommonType(es []expr.Expr, what string, pos int) (types.Type, error) {
	t := types.Unknown
	for _, e := range es {
		et := e.Type()
		if et.OID == types.OIDUnknown {
			continue
		}
		if t.OID == types.OIDUnknown {
			t = et
			continue
		}
		if et.OID == t.OID {
			if et.Typmod != t.Typmod {
				t.Typmod = -1
			}
			continue
		}
		switch {
		case isOidLike(et.OID) && (isOidLike(t.OID) || t.IsInteger()) || isOidLike(t.OID) && et.IsInteger():
			// oid, regclass and regtype compare as oid; integers cast to oid implicitly.
			t = types.Oid
		case expr.NumRank(et.OID) > 0 && expr.NumRank(t.OID) > 0:
			// Mixed types resolve to the base type, without a modifier.
			if expr.NumRank(et.OID) > expr.NumRank(t.OID) {
				t = et
			}
			t.Typmod = -1
		case et.IsString() && t.IsString():
			t = types.Text
		case et.OID == types.OIDUnknown || t.OID == types.OIDUnknown:
		case IsDateTime(et.OID) && IsDateTime(t.OID):
			if dtRank(et.OID) > dtRank(t.OID) {
				t = et
			}
			t.Typmod = -1
		default:
			return t, expr.ErrAt(sqlerr.New(sqlerr.DatatypeMismatch, "%s types %s and %s cannot be matched", what, t, et), pos)
		}
	}
	if t.OID == types.OIDUnknown {
		t = types.Text
	}
	return t, nil
}

func isOidLike(o types.OID) bool {
	return o == types.OIDOid || o == types.OIDRegclass || o == types.OIDRegtype || o == types.OIDRegnamespace || o == types.OIDRegproc
}

func IsDateTime(o types.OID) bool {
	return o == types.OIDDate || o == types.OIDTimestamp || o == types.OIDTimestamptz
}

func dtRank(o types.OID) int {
	switch o {
	case types.OIDDate:
		return 1
	case types.OIDTimestamp:
		return 2
	}
	return 3
}
