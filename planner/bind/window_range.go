package bind

import (
	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
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
func (b *binder) rangeFrame(call *plan.WinCall, w *ast.Window, pos int) error {
	key := call.Order[0]
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
		return expr.ErrAt(sqlerr.Unsupported("RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", kt), at)
	}
	call.RangeKey = key
	desc := call.OrderKey[0].Desc
	bound := func(in ast.Expr, preceding bool, out *expr.Expr, raw *expr.Expr) error {
		if in == nil {
			return nil
		}
		e, err := b.expr(in)
		if err != nil {
			return err
		}
		if e, err = b.coerceCtx(e, offType, expr.CastAssignment, "frame offset", pos); err != nil {
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
	fr := call.Frame
	if err := bound(w.Start, fr&exec.FrameStartOffsetPre != 0, &call.RangeStart, &call.Start); err != nil {
		return err
	}
	return bound(w.End, fr&exec.FrameEndOffsetPre != 0, &call.RangeEnd, &call.End)
}
