package bind

import (
	"sync"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// Operator is one binary operator sluice resolves, for pg_operator.
type Operator struct {
	OID                 types.OID
	Name                string
	Left, Right, Result types.Type
}

// Operators lists the binary operators sluice's operator resolution accepts
// over the built-in base types (and int4[], text[]): every operator name
// for every pair of operand types of one category (numbers with numbers,
// strings with strings …), plus pairs with a date/time or interval side
// (date + integer, timestamp - interval, interval * float8) and json(b)
// with any right operand (->, ->>, #>, #>>). Pairs that
// PostgreSQL serves through an implicit cast (integer + double precision)
// are listed as operators of their own. The list is read off the binder,
// so it is what sluice actually answers.
func Operators() []Operator { return operators() }

var operators = sync.OnceValue(func() []Operator {
	names := []string{"+", "-", "*", "/", "%", "^", "=", "<>", "<", "<=", ">", ">=", "||",
		"~~", "!~~", "~~*", "!~~*", "~", "!~", "~*", "!~*", "->", "->>", "#>", "#>>", "@>", "<@", "&&"}
	ts := expr.ProbeTypes()
	category := func(t types.Type) byte {
		if t.IsArray() {
			return 'A'
		}
		if d, ok := types.Lookup(t.OID); ok {
			return d.Category
		}
		return 0
	}
	var out []Operator
	for _, op := range names {
		for _, l := range ts {
			for _, r := range ts {
				cl, cr := category(l), category(r)
				json := l.OID == types.OIDJSON || l.OID == types.OIDJSONB // -> ->> #> #> take text or int
				if l != r && cl != cr && cl != 'D' && cr != 'D' && cl != 'T' && cr != 'T' && !json {
					continue
				}
				var params []types.Type
				b := &binder{params: &params, foldErr: new(error), noFold: true}
				e, err := b.binary(op, &expr.ColExpr{Idx: 0, T: l}, &expr.ColExpr{Idx: 1, T: r}, 0)
				if err != nil {
					continue
				}
				out = append(out, Operator{Name: op, Left: l, Right: r, Result: e.Type()})
			}
		}
	}
	// OIDs above the procedures' (stable for a given build).
	for i := range out {
		out[i].OID = types.OID(60000 + i)
	}
	return out
})
