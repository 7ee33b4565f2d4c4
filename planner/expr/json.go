package expr

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

func IsJSON(t types.Type) bool { return t.OID == types.OIDJSON || t.OID == types.OIDJSONB }

func DecodeJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type json")
	}
	return v, nil
}

// EncodeJSON renders a decoded value: jsonb in PostgreSQL's normalized form,
// json compactly (used only for extracted sub-values, which PostgreSQL
// prints as they were written — a known difference for json, not jsonb).
func EncodeJSON(v any, jsonb bool) string {
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

func JsonPathStep(v any, key types.Datum) (any, bool) {
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

// JsonText is ->>'s rendering: strings unquoted, JSON null as SQL NULL.
func JsonText(v any, jsonb bool) types.Datum {
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
	return EncodeJSON(v, jsonb)
}

// ToJSONValue converts a SQL value for json(b)_build_* and to_json.
func ToJSONValue(t types.Type, d types.Datum, f *types.Format) any {
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
			out[i] = ToJSONValue(v.Elem, x, f)
		}
		return out
	case string:
		if IsJSON(t) {
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
			o.keys[i], o.vals[i] = fd.Name, ToJSONValue(fd.Type, v.Vals[i], f)
		}
		return o
	}
	return types.TextOf(t, d, f)
}

// JsonArrayLoose is json_build_array's rendering: ", " between the items,
// each item itself in the compact form.
func JsonArrayLoose(x []any) string {
	parts := make([]string, len(x))
	for i, e := range x {
		parts[i] = JsonCompact(e)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// JsonObjectLoose is json_build_object's rendering: {"k" : v, …} in order.
func JsonObjectLoose(keys []string, vals map[string]any) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = JsonCompact(k) + " : " + JsonCompact(vals[k])
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
func (o jsonObject) MarshalJSON() ([]byte, error) { return []byte(JsonCompact(o)), nil }

// JsonCompact is PostgreSQL's datum_to_json form: no spaces, arrays and
// objects nested as they are.
func JsonCompact(v any) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = JsonCompact(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case jsonObject:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = JsonCompact(k) + ":" + JsonCompact(x.vals[i])
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

func (s *jsonAggState) Add(args []types.Datum) error {
	s.vals = append(s.vals, ToJSONValue(s.t, args[0], s.f))
	s.seen = true
	return nil
}

func (s *jsonAggState) Result() (types.Datum, error) {
	if !s.seen {
		return nil, nil
	}
	if s.jsonb {
		return EncodeJSON(s.vals, true), nil
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
		b.WriteString(JsonCompact(v))
	}
	b.WriteByte(']')
	return b.String(), nil
}
