package planner

import (
	"sort"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// RANGE frames with offsets (RANGE BETWEEN INTERVAL '7 days' PRECEDING AND
// CURRENT ROW): the frame holds the rows whose single ORDER BY key lies
// within the offsets of the current row's key. Integer keys take integer
// offsets, float and numeric keys their own type, dates and timestamps
// intervals (dates compared as timestamps). The partition is sorted by the
// key, so each bound is a binary search for key ∓ offset. A row whose key
// is NULL has its NULL peers as the frame; NULL keys are never within an
// offset of a value.

// rangeFrame binds the key and the start/end thresholds of a RANGE frame
// with offsets.
func (b *binder) rangeFrame(call *winCall, w *ast.Window, pos int) error {
	key := call.order[0]
	kt := key.Type()
	var offType types.Type
	switch {
	case kt.IsInteger():
		offType = types.Int8
	case kt.OID == types.OIDFloat4 || kt.OID == types.OIDFloat8:
		offType = types.Float8
	case kt.OID == types.OIDNumeric:
		offType = types.Numeric
	case kt.OID == types.OIDDate:
		var err error
		if key, err = b.coerce(key, types.TimestampT, "", pos); err != nil {
			return err
		}
		offType = types.IntervalT
	case kt.OID == types.OIDTimestamp || kt.OID == types.OIDTimestamptz:
		offType = types.IntervalT
	default:
		at := pos
		if w.Start != nil {
			at = ast.PosOf(w.Start)
		}
		return errAt(sqlerr.Unsupported("RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", kt), at)
	}
	call.rangeKey = key
	desc := call.orderKey[0].desc
	bound := func(in ast.Expr, preceding bool, out *Expr, raw *Expr) error {
		if in == nil {
			return nil
		}
		e, err := b.expr(in)
		if err != nil {
			return err
		}
		if e, err = b.coerceCtx(e, offType, castAssignment, "frame offset", pos); err != nil {
			return err
		}
		*raw = e
		// Preceding a key in ascending order is below it; in descending order above.
		op := "+"
		if preceding != desc {
			op = "-"
		}
		t, err := b.binary(op, key, e, pos)
		if err != nil {
			return err
		}
		*out = t
		return nil
	}
	fr := call.frame
	if err := bound(w.Start, fr&frameStartOffsetPre != 0, &call.rangeStart, &call.start); err != nil {
		return err
	}
	return bound(w.End, fr&frameEndOffsetPre != 0, &call.rangeEnd, &call.end)
}

// rangeBounds is the half-open range of partition positions in row i's
// RANGE frame; keys are the partition's keys in sort order.
func (c *winCall) rangeBounds(ec *evalCtx, row []types.Datum, keys []types.Datum, i int, gs, ge []int) (int, int, error) {
	fr := c.frame
	n := len(keys)
	desc := c.orderKey[0].desc
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
	threshold := func(e, off Expr) (types.Datum, error) {
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
		t, err := threshold(c.rangeStart, c.start)
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
		t, err := threshold(c.rangeEnd, c.end)
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
