package bind

import (
	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// window binds a window function call at this level.
func (b *binder) window(f *ast.FuncCall) (expr.Expr, error) {
	name := f.Name[len(f.Name)-1]
	if b.win == nil {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.WindowingError, "window functions are not allowed here"), f.Pos)
	}
	if f.Distinct {
		return nil, expr.ErrAt(sqlerr.Unsupported("DISTINCT is not implemented for window functions"), f.Pos)
	}
	if len(f.OrderBy) > 0 {
		return nil, expr.ErrAt(sqlerr.Unsupported("aggregate ORDER BY is not implemented for window functions"), f.Pos)
	}
	w := f.Over
	fr := w.Frame
	if fr&exec.FrameExclusions != 0 {
		return nil, expr.ErrAt(sqlerr.Unsupported("frame exclusions are not supported yet"), f.Pos)
	}
	if fr&exec.FrameGroups != 0 && len(w.OrderBy) == 0 {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.WindowingError, "GROUPS mode requires an ORDER BY clause"), f.Pos)
	}
	rangeOffsets := fr&exec.FrameRange != 0 && fr&(exec.FrameStartOffsetPre|exec.FrameEndOffsetPre|exec.FrameStartOffsetFol|exec.FrameEndOffsetFol) != 0
	if rangeOffsets && len(w.OrderBy) != 1 {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.WindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column"), w.Pos)
	}
	for _, a := range f.Args {
		if plan.ContainsWindow(a) {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.WindowingError, "window function calls cannot be nested"), f.Pos)
		}
	}
	call := &plan.WinCall{Name: name, Frame: fr}
	set := b.win
	b.win = nil // arguments may not hold window calls
	defer func() { b.win = set }()
	for _, a := range f.Args {
		e, err := b.expr(a)
		if err != nil {
			return nil, err
		}
		call.Args = append(call.Args, e)
	}
	for _, p := range w.PartitionBy {
		e, err := b.expr(p)
		if err != nil {
			return nil, err
		}
		call.Partition = append(call.Partition, e)
	}
	for i, o := range w.OrderBy {
		e, err := b.expr(o.Expr)
		if err != nil {
			return nil, err
		}
		if expr.IsUnknown(e) {
			if e, err = b.coerce(e, types.Text, "", -1); err != nil {
				return nil, err
			}
		}
		call.Order = append(call.Order, e)
		call.OrderKey = append(call.OrderKey, plan.SortKeyOf(i, o))
	}
	if rangeOffsets {
		if err := b.rangeFrame(call, w, f.Pos); err != nil {
			return nil, err
		}
	} else {
		for _, off := range []struct {
			in  ast.Expr
			out *expr.Expr
		}{{w.Start, &call.Start}, {w.End, &call.End}} {
			if off.in == nil {
				continue
			}
			e, err := b.expr(off.in)
			if err != nil {
				return nil, err
			}
			if *off.out, err = b.coerceCtx(e, types.Int8, expr.CastAssignment, "frame offset", -1); err != nil {
				return nil, err
			}
		}
	}
	var err error
	switch name {
	case "row_number", "rank", "dense_rank":
		call.T = types.Int8
	case "percent_rank", "cume_dist":
		call.T = types.Float8
	case "ntile":
		if len(call.Args) != 1 {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function ntile() requires one argument"), f.Pos)
		}
		if call.Args[0], err = b.coerce(call.Args[0], types.Int4, "argument of ntile", f.Pos); err != nil {
			return nil, err
		}
		call.T = types.Int4
	case "lag", "lead", "first_value", "last_value", "nth_value":
		if len(call.Args) == 0 || len(call.Args) > 3 {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s has the wrong number of arguments", name), f.Pos)
		}
		if expr.IsUnknown(call.Args[0]) {
			if call.Args[0], err = b.coerce(call.Args[0], types.Text, "", f.Pos); err != nil {
				return nil, err
			}
		}
		call.T = call.Args[0].Type()
		if len(call.Args) > 1 {
			if call.Args[1], err = b.coerce(call.Args[1], types.Int4, "offset", f.Pos); err != nil {
				return nil, err
			}
		}
		if len(call.Args) > 2 {
			if call.Args[2], err = b.coerce(call.Args[2], call.T, "default", f.Pos); err != nil {
				return nil, err
			}
		}
	default:
		if !expr.IsAggregateName(name) {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name), f.Pos)
		}
		ac := &expr.AggCall{Args: call.Args}
		if f.Star {
			ac.Args = nil
		}
		if call.Agg, err = expr.ResolveAggregate(b.coerce, name, ac, f); err != nil {
			return nil, err
		}
		call.Args, call.T = ac.Args, ac.T
		if f.Filter != nil {
			flt, err := b.expr(f.Filter)
			if err != nil {
				return nil, err
			}
			if call.Filter, err = b.coerce(flt, types.Bool, "argument of FILTER", f.Pos); err != nil {
				return nil, err
			}
		}
	}
	set.Calls = append(set.Calls, call)
	return &plan.WinRefExpr{Set: set, K: len(set.Calls) - 1, T: call.T}, nil
}
