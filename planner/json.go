package planner

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// JSON: -> ->> #> #>> on json and jsonb, json(b)_build_object/array,
// to_json(b), json(b)_agg and json_typeof. Values are kept as text; jsonb
// text is PostgreSQL's normalized form.

func isJSON(t types.Type) bool { return t.OID == types.OIDJSON || t.OID == types.OIDJSONB }

func decodeJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type json")
	}
	return v, nil
}

// encodeJSON renders a decoded value: jsonb in PostgreSQL's normalized form,
// json compactly (used only for extracted sub-values, which PostgreSQL
// prints as they were written — a known difference for json, not jsonb).
func encodeJSON(v any, jsonb bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if jsonb {
		b, _ := json.Marshal(v)
		n, _ := types.ParseText(types.JSONB, string(b), nil)
		return n.(string)
	}
	_ = enc.Encode(v)
	return strings.TrimSuffix(buf.String(), "\n")
}

func jsonPathStep(v any, key types.Datum) (any, bool) {
	switch k := key.(type) {
	case string:
		if m, ok := v.(map[string]any); ok {
			x, ok := m[k]
			return x, ok
		}
		if a, ok := v.([]any); ok {
			i, err := strconv.Atoi(k)
			if err != nil {
				return nil, false
			}
			return jsonIndex(a, int64(i))
		}
	case int64:
		if a, ok := v.([]any); ok {
			return jsonIndex(a, k)
		}
	}
	return nil, false
}

func jsonIndex(a []any, i int64) (any, bool) {
	if i < 0 {
		i += int64(len(a))
	}
	if i < 0 || i >= int64(len(a)) {
		return nil, false
	}
	return a[i], true
}

// jsonText is ->>'s rendering: strings unquoted, JSON null as SQL NULL.
func jsonText(v any, jsonb bool) types.Datum {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return encodeJSON(v, jsonb)
}

// jsonOp binds -> ->> #> #>>.
func (b *binder) jsonOp(op string, l, r Expr, pos int) (Expr, error) {
	jt := l.Type()
	jsonb := jt.OID == types.OIDJSONB
	var err error
	path := op == "#>" || op == "#>>"
	if path {
		if r, err = b.coerce(r, types.Type{OID: 1009, Typmod: -1}, "", pos); err != nil {
			return nil, err
		}
	} else if isUnknown(r) || r.Type().IsString() {
		if r, err = b.coerce(r, types.Text, "", pos); err != nil {
			return nil, err
		}
	} else if r.Type().IsInteger() {
		if r, err = b.coerce(r, types.Int8, "", pos); err != nil {
			return nil, err
		}
	} else {
		return nil, noOperator(op, jt, r.Type(), pos)
	}
	asText := strings.HasSuffix(op, ">>")
	t := jt
	if asText {
		t = types.Text
	}
	return &fnExpr{t: t, args: []Expr{l, r}, strict: true, pure: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
		v, err := decodeJSON(a[0].(string))
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
			if v, ok = jsonPathStep(v, k); !ok {
				return nil, nil
			}
		}
		if asText {
			return jsonText(v, jsonb), nil
		}
		return encodeJSON(v, jsonb), nil
	}}, nil
}

// toJSONValue converts a SQL value for json(b)_build_* and to_json.
func toJSONValue(t types.Type, d types.Datum, f *types.Format) any {
	if d == nil {
		return nil
	}
	switch v := d.(type) {
	case bool:
		return v
	case int64:
		return json.Number(strconv.FormatInt(v, 10))
	case float64:
		return json.Number(types.TextOf(t, v, f))
	case *types.Decimal:
		return json.Number(v.String())
	case *types.Array:
		out := make([]any, len(v.Vals))
		for i, x := range v.Vals {
			out[i] = toJSONValue(v.Elem, x, f)
		}
		return out
	case string:
		if isJSON(t) {
			// json(b) values nest as their own text (jsonb's normalized).
			return json.RawMessage(v)
		}
		return v
	case types.Timestamp:
		s := strings.Replace(types.TextOf(t, v, f), " ", "T", 1)
		if t.OID == types.OIDTimestamptz {
			// ISO 8601 offsets carry minutes: +00 → +00:00.
			if k := strings.LastIndexAny(s, "+-"); k > strings.IndexByte(s, 'T') && len(s)-k == 3 {
				s += ":00"
			}
		}
		return s
	case *types.Record:
		o := jsonObject{keys: make([]string, len(v.Fields)), vals: make([]any, len(v.Fields))}
		for i, fd := range v.Fields {
			o.keys[i], o.vals[i] = fd.Name, toJSONValue(fd.Type, v.Vals[i], f)
		}
		return o
	}
	return types.TextOf(t, d, f)
}

// jsonFunc binds the JSON constructors by name.
func (b *binder) jsonFunc(name string, args []Expr, pos int) (Expr, bool, error) {
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
	if (name == "json_typeof" || name == "jsonb_typeof") && len(args) == 1 && isUnknown(args[0]) {
		var err error
		if args[0], err = b.coerce(args[0], rt, "", pos); err != nil {
			return nil, true, err
		}
	}
	for i := range args {
		if isUnknown(args[i]) {
			var err error
			if args[i], err = b.coerce(args[i], types.Text, "", pos); err != nil {
				return nil, true, err
			}
		}
	}
	argTypes := exprTypes(args)
	compact := func(v any) string { // to_json: datum_to_json's compact form
		if jsonb {
			return encodeJSON(v, true)
		}
		return jsonCompact(v)
	}
	switch name {
	case "json_build_object", "jsonb_build_object":
		if len(args)%2 != 0 {
			return nil, true, errAt(sqlerr.New(sqlerr.InvalidParameterValue, "argument list must have even number of elements").
				WithHint("The arguments of %s() must consist of alternating keys and values.", name), pos)
		}
		return &fnExpr{t: rt, args: args, fn: func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
			var keys []string
			vals := map[string]any{}
			for i := 0; i < len(a); i += 2 {
				if a[i] == nil {
					return nil, sqlerr.New(sqlerr.NullValueNotAllowed, "null value not allowed for object key")
				}
				k := types.TextOf(argTypes[i], a[i], ec.env.Format)
				if _, dup := vals[k]; !dup {
					keys = append(keys, k)
				}
				vals[k] = toJSONValue(argTypes[i+1], a[i+1], ec.env.Format)
			}
			if jsonb {
				return encodeJSON(vals, true), nil
			}
			return jsonObjectLoose(keys, vals), nil
		}}, true, nil
	case "json_build_array", "jsonb_build_array":
		return &fnExpr{t: rt, args: args, fn: func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
			out := make([]any, len(a))
			for i, v := range a {
				out[i] = toJSONValue(argTypes[i], v, ec.env.Format)
			}
			if jsonb {
				return encodeJSON(out, true), nil
			}
			return jsonArrayLoose(out), nil
		}}, true, nil
	case "row_to_json":
		if len(args) != 1 || args[0].Type().OID != types.OIDRecord {
			return nil, false, nil
		}
		return &fnExpr{t: rt, args: args, strict: true, fn: func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
			return jsonCompact(toJSONValue(argTypes[0], a[0], ec.env.Format)), nil
		}}, true, nil
	case "to_json", "to_jsonb":
		if len(args) != 1 {
			return nil, false, nil
		}
		return &fnExpr{t: rt, args: args, strict: true, fn: func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
			return compact(toJSONValue(argTypes[0], a[0], ec.env.Format)), nil
		}}, true, nil
	case "json_typeof", "jsonb_typeof":
		if len(args) != 1 || !isJSON(args[0].Type()) {
			return nil, false, nil
		}
		return &fnExpr{t: types.Text, args: args, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			v, err := decodeJSON(a[0].(string))
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

// jsonArrayLoose is json_build_array's rendering: ", " between the items,
// each item itself in the compact form.
func jsonArrayLoose(x []any) string {
	parts := make([]string, len(x))
	for i, e := range x {
		parts[i] = jsonCompact(e)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// jsonObjectLoose is json_build_object's rendering: {"k" : v, …} in order.
func jsonObjectLoose(keys []string, vals map[string]any) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = jsonCompact(k) + " : " + jsonCompact(vals[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// jsonObject is a JSON object whose keys keep their order: a record's
// fields (row_to_json, to_json and json_agg of a row).
type jsonObject struct {
	keys []string
	vals []any
}

// MarshalJSON renders the object compactly, keys in order (jsonb then
// normalizes it like any object).
func (o jsonObject) MarshalJSON() ([]byte, error) { return []byte(jsonCompact(o)), nil }

// jsonCompact is PostgreSQL's datum_to_json form: no spaces, arrays and
// objects nested as they are.
func jsonCompact(v any) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = jsonCompact(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case jsonObject:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = jsonCompact(k) + ":" + jsonCompact(x.vals[i])
		}
		return "{" + strings.Join(parts, ",") + "}"
	case json.RawMessage:
		return string(x)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(buf.String(), "\n")
}

// jsonAggState is json_agg / jsonb_agg.
type jsonAggState struct {
	t     types.Type
	jsonb bool
	f     *types.Format
	vals  []any
	seen  bool
}

func (s *jsonAggState) add(args []types.Datum) error {
	s.vals = append(s.vals, toJSONValue(s.t, args[0], s.f))
	s.seen = true
	return nil
}

func (s *jsonAggState) result() (types.Datum, error) {
	if !s.seen {
		return nil, nil
	}
	if s.jsonb {
		return encodeJSON(s.vals, true), nil
	}
	// json_agg: ", " between elements, and a line break before each array
	// or row after the first.
	var b strings.Builder
	b.WriteByte('[')
	for i, v := range s.vals {
		if i > 0 {
			b.WriteString(", ")
			switch v.(type) {
			case []any, jsonObject:
				b.WriteString("\n ")
			}
		}
		b.WriteString(jsonCompact(v))
	}
	b.WriteByte(']')
	return b.String(), nil
}
