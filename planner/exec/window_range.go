package exec

import (
	"sort"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// rangeBounds is the half-open range of partition positions in row i's
// RANGE frame; keys are the partition's keys in sort order.
func (c *winCallExec) rangeBounds(ec *expr.EvalCtx, row []types.Datum, keys []types.Datum, i int, gs, ge []int) (int, int, error) {
	fr := c.Frame
	n := len(keys)
	desc := c.OrderKey[0].Desc
	// The non-NULL keys are keys[a:z].
	a, z := 0, n
	for a < n && keys[a] == nil {
		a++
	}
	for z > a && keys[z-1] == nil {
		z--
	}
	// first returns the first position in [a, z) whose key is not before t
	// (strict: not before or equal) in the sort order.
	first := func(t types.Datum, strict bool) int {
		return a + sort.Search(z-a, func(j int) bool {
			c := types.Compare(keys[a+j], t)
			if desc {
				c = -c
			}
			return c > 0 || !strict && c == 0
		})
	}
	threshold := func(e, off expr.Expr) (types.Datum, error) {
		o, err := off.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if o == nil {
			return nil, sqlerr.New(sqlerr.NullValueNotAllowed, "frame starting offset must not be null")
		}
		if negative(o) {
			return nil, sqlerr.New(sqlerr.InvalidPrecedingOrFollowingSize, "invalid preceding or following size in window function")
		}
		return e.Eval(ec, row)
	}
	lo, hi := 0, n
	null := keys[i] == nil
	switch {
	case fr&frameStartUnboundedPre != 0:
	case fr&frameStartCurrent != 0 || null:
		lo = gs[i]
	default:
		t, err := threshold(c.RangeStart, c.Start)
		if err != nil {
			return 0, 0, err
		}
		lo = first(t, false)
	}
	switch {
	case fr&frameEndUnboundedFol != 0:
	case fr&frameEndCurrent != 0 || null:
		hi = ge[i]
	default:
		t, err := threshold(c.RangeEnd, c.End)
		if err != nil {
			return 0, 0, err
		}
		hi = first(t, true)
	}
	return lo, max(hi, lo), nil
}

// negative reports whether a frame offset is below zero.
func negative(v types.Datum) bool {
	switch x := v.(type) {
	case int64:
		return x < 0
	case float64:
		return x < 0
	case *types.Decimal:
		return x.Coef.Sign() < 0
	case types.Interval:
		return x.Months < 0 || x.Days < 0 || x.Micros < 0
	}
	return false
}
