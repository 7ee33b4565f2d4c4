package planner

import (
	"strings"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Arrays: ARRAY[…], subscripts and slices, x op ANY/ALL (array), array
// functions, unnest in FROM and array_agg. One-dimensional only; PostgreSQL
// semantics for NULLs (a NULL element makes ANY/ALL unknown when no match
// decides it) and out-of-range subscripts (NULL).

type arrayExpr struct {
	t     types.Type
	elem  types.Type
	elems []Expr
}

func (e *arrayExpr) Type() types.Type { return e.t }
func (e *arrayExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	out := &types.Array{Elem: e.elem, Vals: make([]types.Datum, len(e.elems))}
	for i, x := range e.elems {
		v, err := x.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		out.Vals[i] = v
	}
	return out, nil
}

func (b *binder) arrayConstructor(x *ast.ArrayExpr) (Expr, error) {
	if len(x.Elems) == 0 {
		return nil, errAt(sqlerr.New(sqlerr.IndeterminateDatatype, "cannot determine type of empty array").
			WithHint("Explicitly cast to the desired type, for example ARRAY[]::integer[]."), x.Pos)
	}
	elems, et, err := b.common(x.Elems, "ARRAY", x.Pos)
	if err != nil {
		return nil, err
	}
	at, ok := types.ArrayOf(et)
	if !ok {
		return nil, errAt(sqlerr.Unsupported("arrays of %s are not supported", et), x.Pos)
	}
	at.Typmod = -1
	return &arrayExpr{t: at, elem: et, elems: elems}, nil
}

func (b *binder) subscript(x *ast.Subscript) (Expr, error) {
	arr, err := b.expr(x.X)
	if err != nil {
		return nil, err
	}
	et, ok := types.ElemOf(arr.Type())
	if !ok {
		return nil, errAt(sqlerr.New(sqlerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", arr.Type()), x.Pos)
	}
	bound := func(e ast.Expr) (Expr, error) {
		if e == nil {
			return nil, nil
		}
		be, err := b.expr(e)
		if err != nil {
			return nil, err
		}
		return b.coerceCtx(be, types.Int4, castAssignment, "array subscript", x.Pos)
	}
	if !x.Slice {
		idx, err := bound(x.Index)
		if err != nil {
			return nil, err
		}
		return &fnExpr{t: et, args: []Expr{arr, idx}, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
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
	return &fnExpr{t: at, args: []Expr{arr, orNull(lo), orNull(hi)}, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
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

func orNull(e Expr) Expr {
	if e == nil {
		return &constExpr{t: types.Int4}
	}
	return e
}

// arrayCmp binds x op ANY/ALL (array).
func (b *binder) arrayCmp(x *ast.ArrayCmp) (Expr, error) {
	lhs, err := b.expr(x.X)
	if err != nil {
		return nil, err
	}
	arr, err := b.expr(x.Array)
	if err != nil {
		return nil, err
	}
	if isUnknown(arr) {
		// '{1,2}' literal: an array of the left operand's type.
		at, ok := types.ArrayOf(lhs.Type())
		if isUnknown(lhs) || !ok {
			at = types.Type{OID: 1009, Typmod: -1} // text[]
		}
		if arr, err = b.coerce(arr, at, "", x.Pos); err != nil {
			return nil, err
		}
	}
	et, ok := types.ElemOf(arr.Type())
	if !ok {
		return nil, errAt(sqlerr.New(sqlerr.WrongObjectType, "op ANY/ALL (array) requires array on right side"), x.Pos)
	}
	saved, savedAgg := b.scope, b.agg
	b.scope, b.agg = []scopeCol{{name: "lhs", t: lhs.Type()}, {name: "elem", t: et}}, nil
	var l Expr = &colExpr{idx: 0, t: lhs.Type()}
	if isUnknown(lhs) {
		l = &unknownLit{} // typed by the element type below
	}
	cmp, err := b.binary(x.Op, l, &colExpr{idx: 1, t: et}, x.Pos)
	b.scope, b.agg = saved, savedAgg
	if err != nil {
		return nil, err
	}
	if isUnknown(lhs) {
		if lhs, err = b.coerce(lhs, et, "", x.Pos); err != nil {
			return nil, err
		}
		saved, savedAgg = b.scope, b.agg
		b.scope, b.agg = []scopeCol{{name: "lhs", t: et}, {name: "elem", t: et}}, nil
		cmp, err = b.binary(x.Op, &colExpr{idx: 0, t: et}, &colExpr{idx: 1, t: et}, x.Pos)
		b.scope, b.agg = saved, savedAgg
		if err != nil {
			return nil, err
		}
	}
	all := x.All
	return &fnExpr{t: types.Bool, args: []Expr{lhs, arr}, fn: func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
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
func (b *binder) arrayConcat(l, r Expr, pos int) (Expr, error) {
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
	coerceSide := func(e Expr) (Expr, bool, error) {
		if e.Type().IsArray() || (isUnknown(e) && !isUnknown(l) && !isUnknown(r) && false) {
			x, err := b.coerce(e, at, "", pos)
			return x, true, err
		}
		if isUnknown(e) {
			// An untyped literal next to an array is an array literal.
			x, err := b.coerce(e, at, "", pos)
			return x, true, err
		}
		x, err := b.coerce(e, et, "", pos)
		return x, false, err
	}
	l2, lArr, err := coerceSide(l)
	if err != nil {
		return nil, noOperator("||", lt, rt, pos)
	}
	r2, rArr, err := coerceSide(r)
	if err != nil {
		return nil, noOperator("||", lt, rt, pos)
	}
	return &fnExpr{t: at, args: []Expr{l2, r2}, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
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

func arrayVals(d types.Datum) []types.Datum { return d.(*types.Array).Vals }

// arrayFuncs are bound by name with array-aware typing.
func (b *binder) arrayFunc(name string, args []Expr, pos int) (Expr, bool, error) {
	argArray := func(i int) (types.Type, error) {
		if i >= len(args) {
			return types.Type{}, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s has too few arguments", name), pos)
		}
		if isUnknown(args[i]) {
			var err error
			if args[i], err = b.coerce(args[i], types.Type{OID: 1009, Typmod: -1}, "", pos); err != nil {
				return types.Type{}, err
			}
		}
		et, ok := types.ElemOf(args[i].Type())
		if !ok {
			return types.Type{}, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, args[i].Type()), pos)
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
		return &fnExpr{t: types.Int4, args: args, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			n := len(arrayVals(a[0]))
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
		return &fnExpr{t: types.Int4, args: args, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			return int64(len(arrayVals(a[0]))), nil
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
		return &fnExpr{t: types.Text, args: args, fn: func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
			if a[0] == nil || a[1] == nil {
				return nil, nil
			}
			var parts []string
			for _, v := range arrayVals(a[0]) {
				if v == nil {
					if len(a) > 2 && a[2] != nil {
						parts = append(parts, a[2].(string))
					}
					continue
				}
				parts = append(parts, types.TextOf(et, v, ec.env.Format))
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
		return &fnExpr{t: types.Type{OID: 1009, Typmod: -1}, args: args, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
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
		return &fnExpr{t: types.Int4, args: args, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			for i, v := range arrayVals(a[0]) {
				if (v == nil && a[1] == nil) || (v != nil && a[1] != nil && types.Compare(v, a[1]) == 0) {
					return int64(i + 1), nil
				}
			}
			return nil, nil
		}}, true, nil
	}
	return nil, false, nil
}

// unnestNode is unnest(array) in FROM.
type unnestNode struct {
	arg     Expr
	ordinal bool
}

func (u *unnestNode) open(ec *evalCtx) (rowIter, error) {
	v, err := u.arg.Eval(ec, nil)
	if err != nil || v == nil {
		return &sliceIter{}, err
	}
	vals := arrayVals(v)
	rows := make([][]types.Datum, len(vals))
	for i, x := range vals {
		rows[i] = []types.Datum{x}
		if u.ordinal {
			rows[i] = append(rows[i], int64(i+1))
		}
	}
	return &sliceIter{rows: rows}, nil
}

// arrayAggState is array_agg.
type arrayAggState struct {
	elem types.Type
	vals []types.Datum
	seen bool
}

func (s *arrayAggState) add(args []types.Datum) error {
	s.vals = append(s.vals, args[0])
	s.seen = true
	return nil
}

func (s *arrayAggState) result() (types.Datum, error) {
	if !s.seen {
		return nil, nil
	}
	return &types.Array{Elem: s.elem, Vals: s.vals}, nil
}
