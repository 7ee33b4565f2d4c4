package bind

import (
	"strings"

	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

func (b *binder) arrayConstructor(x *ast.ArrayExpr) (expr.Expr, error) {
	if len(x.Elems) == 0 {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.IndeterminateDatatype, "cannot determine type of empty array").
			WithHint("Explicitly cast to the desired type, for example ARRAY[]::integer[]."), x.Pos)
	}
	elems, et, err := b.common(x.Elems, "ARRAY", x.Pos)
	if err != nil {
		return nil, err
	}
	at, ok := types.ArrayOf(et)
	if !ok {
		return nil, expr.ErrAt(sqlerr.Unsupported("arrays of %s are not supported", et), x.Pos)
	}
	at.Typmod = -1
	return &exec.ArrayExpr{T: at, Elem: et, Elems: elems}, nil
}

func (b *binder) subscript(x *ast.Subscript) (expr.Expr, error) {
	arr, err := b.expr(x.X)
	if err != nil {
		return nil, err
	}
	et, ok := types.ElemOf(arr.Type())
	if !ok {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", arr.Type()), x.Pos)
	}
	bound := func(e ast.Expr) (expr.Expr, error) {
		if e == nil {
			return nil, nil
		}
		be, err := b.expr(e)
		if err != nil {
			return nil, err
		}
		return b.coerceCtx(be, types.Int4, expr.CastAssignment, "array subscript", x.Pos)
	}
	if !x.Slice {
		idx, err := bound(x.Index)
		if err != nil {
			return nil, err
		}
		return &expr.FnExpr{T: et, Args: []expr.Expr{arr, idx}, Strict: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			vals := a[0].(*types.Array).Vals
			i := a[1].(int64)
			if i < 1 || i > int64(len(vals)) {
				return nil, nil
			}
			return vals[i-1], nil
		}}, nil
	}
	lo, err := bound(x.Lo)
	if err != nil {
		return nil, err
	}
	hi, err := bound(x.Hi)
	if err != nil {
		return nil, err
	}
	at := arr.Type()
	return &expr.FnExpr{T: at, Args: []expr.Expr{arr, exec.OrNull(lo), exec.OrNull(hi)}, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0] == nil || (lo != nil && a[1] == nil) || (hi != nil && a[2] == nil) {
			return nil, nil
		}
		in := a[0].(*types.Array)
		l, h := int64(1), int64(len(in.Vals))
		if lo != nil {
			l = max(a[1].(int64), 1)
		}
		if hi != nil {
			h = min(a[2].(int64), int64(len(in.Vals)))
		}
		out := &types.Array{Elem: in.Elem, Vals: []types.Datum{}}
		if l <= h {
			out.Vals = append(out.Vals, in.Vals[l-1:h]...)
		}
		return out, nil
	}}, nil
}

// arrayCmp binds x op ANY/ALL (array).
func (b *binder) arrayCmp(x *ast.ArrayCmp) (expr.Expr, error) {
	lhs, err := b.expr(x.X)
	if err != nil {
		return nil, err
	}
	arr, err := b.expr(x.Array)
	if err != nil {
		return nil, err
	}
	if expr.IsUnknown(arr) {
		// '{1,2}' literal: an array of the left operand's type.
		at, ok := types.ArrayOf(lhs.Type())
		if expr.IsUnknown(lhs) || !ok {
			at = types.Type{OID: 1009, Typmod: -1} // text[]
		}
		if arr, err = b.coerce(arr, at, "", x.Pos); err != nil {
			return nil, err
		}
	}
	et, ok := types.ElemOf(arr.Type())
	if !ok {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.WrongObjectType, "op ANY/ALL (array) requires array on right side"), x.Pos)
	}
	saved, savedAgg := b.scope, b.agg
	b.scope, b.agg = []plan.ScopeCol{{Name: "lhs", T: lhs.Type()}, {Name: "elem", T: et}}, nil
	var l expr.Expr = &expr.ColExpr{Idx: 0, T: lhs.Type()}
	if expr.IsUnknown(lhs) {
		l = &expr.UnknownLit{} // typed by the element type below
	}
	cmp, err := b.binary(x.Op, l, &expr.ColExpr{Idx: 1, T: et}, x.Pos)
	b.scope, b.agg = saved, savedAgg
	if err != nil {
		return nil, err
	}
	if expr.IsUnknown(lhs) {
		if lhs, err = b.coerce(lhs, et, "", x.Pos); err != nil {
			return nil, err
		}
		saved, savedAgg = b.scope, b.agg
		b.scope, b.agg = []plan.ScopeCol{{Name: "lhs", T: et}, {Name: "elem", T: et}}, nil
		cmp, err = b.binary(x.Op, &expr.ColExpr{Idx: 0, T: et}, &expr.ColExpr{Idx: 1, T: et}, x.Pos)
		b.scope, b.agg = saved, savedAgg
		if err != nil {
			return nil, err
		}
	}
	all := x.All
	return &expr.FnExpr{T: types.Bool, Args: []expr.Expr{lhs, arr}, Fn: func(ec *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[1] == nil {
			return nil, nil
		}
		vals := a[1].(*types.Array).Vals
		if len(vals) == 0 {
			return all, nil
		}
		if a[0] == nil {
			return nil, nil
		}
		sawNull := false
		pair := []types.Datum{a[0], nil}
		for _, v := range vals {
			pair[1] = v
			r, err := cmp.Eval(ec, pair)
			if err != nil {
				return nil, err
			}
			if r == nil {
				sawNull = true
				continue
			}
			if r.(bool) != all {
				return !all, nil
			}
		}
		if sawNull {
			return nil, nil
		}
		return all, nil
	}}, nil
}

// arrayConcat binds || when an operand is an array.
func (b *binder) arrayConcat(l, r expr.Expr, pos int) (expr.Expr, error) {
	lt, rt := l.Type(), r.Type()
	var at types.Type
	switch {
	case lt.IsArray():
		at = lt
	case rt.IsArray():
		at = rt
	}
	et, _ := types.ElemOf(at)
	var err error
	coerceSide := func(e expr.Expr) (expr.Expr, bool, error) {
		if e.Type().IsArray() || (expr.IsUnknown(e) && !expr.IsUnknown(l) && !expr.IsUnknown(r) && false) {
			x, err := b.coerce(e, at, "", pos)
			return x, true, err
		}
		if expr.IsUnknown(e) {
			// An untyped literal next to an array is an array literal.
			x, err := b.coerce(e, at, "", pos)
			return x, true, err
		}
		x, err := b.coerce(e, et, "", pos)
		return x, false, err
	}
	l2, lArr, err := coerceSide(l)
	if err != nil {
		return nil, expr.NoOperator("||", lt, rt, pos)
	}
	r2, rArr, err := coerceSide(r)
	if err != nil {
		return nil, expr.NoOperator("||", lt, rt, pos)
	}
	return &expr.FnExpr{T: at, Args: []expr.Expr{l2, r2}, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
		out := &types.Array{Elem: et, Vals: []types.Datum{}}
		add := func(v types.Datum, isArr bool) {
			if isArr {
				if v != nil {
					out.Vals = append(out.Vals, v.(*types.Array).Vals...)
				}
				return
			}
			out.Vals = append(out.Vals, v)
		}
		if lArr && rArr && a[0] == nil && a[1] == nil {
			return nil, nil
		}
		add(a[0], lArr)
		add(a[1], rArr)
		return out, nil
	}}, nil
}

// arrayFuncs are bound by name with array-aware typing.
func (b *binder) arrayFunc(name string, args []expr.Expr, pos int) (expr.Expr, bool, error) {
	argArray := func(i int) (types.Type, error) {
		if i >= len(args) {
			return types.Type{}, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s has too few arguments", name), pos)
		}
		if expr.IsUnknown(args[i]) {
			var err error
			if args[i], err = b.coerce(args[i], types.Type{OID: 1009, Typmod: -1}, "", pos); err != nil {
				return types.Type{}, err
			}
		}
		et, ok := types.ElemOf(args[i].Type())
		if !ok {
			return types.Type{}, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, args[i].Type()), pos)
		}
		return et, nil
	}
	intArg := func(i int) error {
		var err error
		args[i], err = b.coerce(args[i], types.Int4, "argument", pos)
		return err
	}
	textArg := func(i int) error {
		var err error
		args[i], err = b.coerce(args[i], types.Text, "argument", pos)
		return err
	}
	switch name {
	case "array_length", "array_upper", "array_lower":
		if len(args) != 2 {
			return nil, false, nil
		}
		if _, err := argArray(0); err != nil {
			return nil, true, err
		}
		if err := intArg(1); err != nil {
			return nil, true, err
		}
		lower := name == "array_lower"
		return &expr.FnExpr{T: types.Int4, Args: args, Strict: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			n := len(exec.ArrayVals(a[0]))
			if a[1].(int64) != 1 || n == 0 {
				return nil, nil
			}
			if lower {
				return int64(1), nil
			}
			return int64(n), nil
		}}, true, nil
	case "cardinality":
		if len(args) != 1 {
			return nil, false, nil
		}
		if _, err := argArray(0); err != nil {
			return nil, true, err
		}
		return &expr.FnExpr{T: types.Int4, Args: args, Strict: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			return int64(len(exec.ArrayVals(a[0]))), nil
		}}, true, nil
	case "array_to_string":
		if len(args) < 2 || len(args) > 3 {
			return nil, false, nil
		}
		et, err := argArray(0)
		if err != nil {
			return nil, true, err
		}
		for i := 1; i < len(args); i++ {
			if err := textArg(i); err != nil {
				return nil, true, err
			}
		}
		return &expr.FnExpr{T: types.Text, Args: args, Fn: func(ec *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[0] == nil || a[1] == nil {
				return nil, nil
			}
			var parts []string
			for _, v := range exec.ArrayVals(a[0]) {
				if v == nil {
					if len(a) > 2 && a[2] != nil {
						parts = append(parts, a[2].(string))
					}
					continue
				}
				parts = append(parts, types.TextOf(et, v, ec.Env.Format))
			}
			return strings.Join(parts, a[1].(string)), nil
		}}, true, nil
	case "string_to_array":
		if len(args) < 2 || len(args) > 3 {
			return nil, false, nil
		}
		for i := range args {
			if err := textArg(i); err != nil {
				return nil, true, err
			}
		}
		return &expr.FnExpr{T: types.Type{OID: 1009, Typmod: -1}, Args: args, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			s := a[0].(string)
			out := &types.Array{Elem: types.Text, Vals: []types.Datum{}}
			if s == "" {
				return out, nil
			}
			var parts []string
			switch {
			case a[1] == nil:
				for _, r := range s {
					parts = append(parts, string(r))
				}
			case a[1].(string) == "":
				parts = []string{s}
			default:
				parts = strings.Split(s, a[1].(string))
			}
			for _, p := range parts {
				if len(a) > 2 && a[2] != nil && p == a[2].(string) {
					out.Vals = append(out.Vals, nil)
				} else {
					out.Vals = append(out.Vals, p)
				}
			}
			return out, nil
		}}, true, nil
	case "array_append", "array_prepend", "array_cat":
		if len(args) != 2 {
			return nil, false, nil
		}
		l, r := args[0], args[1]
		e, err := b.arrayConcat(l, r, pos)
		return e, true, err
	case "array_position":
		if len(args) != 2 {
			return nil, false, nil
		}
		et, err := argArray(0)
		if err != nil {
			return nil, true, err
		}
		if args[1], err = b.coerce(args[1], et, "argument", pos); err != nil {
			return nil, true, err
		}
		return &expr.FnExpr{T: types.Int4, Args: args, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			for i, v := range exec.ArrayVals(a[0]) {
				if (v == nil && a[1] == nil) || (v != nil && a[1] != nil && types.Compare(v, a[1]) == 0) {
					return int64(i + 1), nil
				}
			}
			return nil, nil
		}}, true, nil
	}
	return nil, false, nil
}
