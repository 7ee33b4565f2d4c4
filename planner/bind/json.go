package bind

import (
	"encoding/json"
	"strings"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// jsonOp binds -> ->> #> #>>.
func (b *binder) jsonOp(op string, l, r expr.Expr, pos int) (expr.Expr, error) {
	jt := l.Type()
	jsonb := jt.OID == types.OIDJSONB
	var err error
	path := op == "#>" || op == "#>>"
	if path {
		if r, err = b.coerce(r, types.Type{OID: 1009, Typmod: -1}, "", pos); err != nil {
			return nil, err
		}
	} else if expr.IsUnknown(r) || r.Type().IsString() {
		if r, err = b.coerce(r, types.Text, "", pos); err != nil {
			return nil, err
		}
	} else if r.Type().IsInteger() {
		if r, err = b.coerce(r, types.Int8, "", pos); err != nil {
			return nil, err
		}
	} else {
		return nil, expr.NoOperator(op, jt, r.Type(), pos)
	}
	asText := strings.HasSuffix(op, ">>")
	t := jt
	if asText {
		t = types.Text
	}
	return &expr.FnExpr{T: t, Args: []expr.Expr{l, r}, Strict: true, Pure: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
		v, err := expr.DecodeJSON(a[0].(string))
		if err != nil {
			return nil, err
		}
		keys := []types.Datum{a[1]}
		if path {
			keys = a[1].(*types.Array).Vals
		}
		for _, k := range keys {
			if k == nil {
				return nil, nil
			}
			var ok bool
			if v, ok = expr.JsonPathStep(v, k); !ok {
				return nil, nil
			}
		}
		if asText {
			return expr.JsonText(v, jsonb), nil
		}
		return expr.EncodeJSON(v, jsonb), nil
	}}, nil
}

// jsonFunc binds the JSON constructors by name.
func (b *binder) jsonFunc(name string, args []expr.Expr, pos int) (expr.Expr, bool, error) {
	switch name {
	case "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array", "to_json", "to_jsonb", "json_typeof", "jsonb_typeof", "row_to_json":
	default:
		return nil, false, nil
	}
	jsonb := strings.HasPrefix(name, "jsonb") || name == "to_jsonb"
	rt := types.JSON
	if jsonb {
		rt = types.JSONB
	}
	if (name == "json_typeof" || name == "jsonb_typeof") && len(args) == 1 && expr.IsUnknown(args[0]) {
		var err error
		if args[0], err = b.coerce(args[0], rt, "", pos); err != nil {
			return nil, true, err
		}
	}
	for i := range args {
		if expr.IsUnknown(args[i]) {
			var err error
			if args[i], err = b.coerce(args[i], types.Text, "", pos); err != nil {
				return nil, true, err
			}
		}
	}
	argTypes := plan.ExprTypes(args)
	compact := func(v any) string { // to_json: datum_to_json's compact form
		if jsonb {
			return expr.EncodeJSON(v, true)
		}
		return expr.JsonCompact(v)
	}
	switch name {
	case "json_build_object", "jsonb_build_object":
		if len(args)%2 != 0 {
			return nil, true, expr.ErrAt(sqlerr.New(sqlerr.InvalidParameterValue, "argument list must have even number of elements").
				WithHint("The arguments of %s() must consist of alternating keys and values.", name), pos)
		}
		return &expr.FnExpr{T: rt, Args: args, Fn: func(ec *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			var keys []string
			vals := map[string]any{}
			for i := 0; i < len(a); i += 2 {
				if a[i] == nil {
					return nil, sqlerr.New(sqlerr.NullValueNotAllowed, "null value not allowed for object key")
				}
				k := types.TextOf(argTypes[i], a[i], ec.Env.Format)
				if _, dup := vals[k]; !dup {
					keys = append(keys, k)
				}
				vals[k] = expr.ToJSONValue(argTypes[i+1], a[i+1], ec.Env.Format)
			}
			if jsonb {
				return expr.EncodeJSON(vals, true), nil
			}
			return expr.JsonObjectLoose(keys, vals), nil
		}}, true, nil
	case "json_build_array", "jsonb_build_array":
		return &expr.FnExpr{T: rt, Args: args, Fn: func(ec *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			out := make([]any, len(a))
			for i, v := range a {
				out[i] = expr.ToJSONValue(argTypes[i], v, ec.Env.Format)
			}
			if jsonb {
				return expr.EncodeJSON(out, true), nil
			}
			return expr.JsonArrayLoose(out), nil
		}}, true, nil
	case "row_to_json":
		if len(args) != 1 || args[0].Type().OID != types.OIDRecord {
			return nil, false, nil
		}
		return &expr.FnExpr{T: rt, Args: args, Strict: true, Fn: func(ec *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			return expr.JsonCompact(expr.ToJSONValue(argTypes[0], a[0], ec.Env.Format)), nil
		}}, true, nil
	case "to_json", "to_jsonb":
		if len(args) != 1 {
			return nil, false, nil
		}
		return &expr.FnExpr{T: rt, Args: args, Strict: true, Fn: func(ec *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			return compact(expr.ToJSONValue(argTypes[0], a[0], ec.Env.Format)), nil
		}}, true, nil
	case "json_typeof", "jsonb_typeof":
		if len(args) != 1 || !expr.IsJSON(args[0].Type()) {
			return nil, false, nil
		}
		return &expr.FnExpr{T: types.Text, Args: args, Strict: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			v, err := expr.DecodeJSON(a[0].(string))
			if err != nil {
				return nil, err
			}
			switch v.(type) {
			case map[string]any:
				return "object", nil
			case []any:
				return "array", nil
			case string:
				return "string", nil
			case json.Number:
				return "number", nil
			case bool:
				return "boolean", nil
			}
			return "null", nil
		}}, true, nil
	}
	return nil, false, nil
}
