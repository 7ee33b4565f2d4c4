package expr

import (
	"sort"
	"strings"
	"sync"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// Proc describes one function overload sluice has, for pg_proc.
type Proc struct {
	OID      types.OID
	Name     string
	Args     []types.Type
	Ret      types.Type
	Kind     byte // f function, a aggregate
	Strict   bool
	Volatile byte // i immutable, s stable, v volatile
	Variadic bool
}

var procList = func() []Proc {
	var out []Proc
	for name, defs := range Funcs {
		for _, d := range defs {
			if d.Keyword {
				continue
			}
			vol := byte('s')
			switch {
			case d.Pure:
				vol = 'i'
			case d.Volatile:
				vol = 'v'
			}
			out = append(out, Proc{Name: name, Args: d.Args, Ret: d.Ret, Kind: 'f', Strict: d.Strict, Volatile: vol, Variadic: d.variadic})
		}
	}
	out = append(out, aggregateProcs()...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return argKey(out[i].Args) < argKey(out[j].Args)
	})
	// OIDs are stable for a given build: sorted order from a base above
	// PostgreSQL's own catalog OIDs.
	for i := range out {
		out[i].OID = types.OID(50000 + i)
	}
	return out
}

func argKey(ts []types.Type) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.String())
		b.WriteByte(',')
	}
	return b.String()
}

func init() {
	types.ProcByName = func(name string) (types.OID, int) {
		var oid types.OID
		n := 0
		for _, p := range procs() {
			if p.Name == name {
				oid, n = p.OID, n+1
			}
		}
		return oid, n
	}
	types.ProcName = func(oid types.OID) (string, bool) {
		p, ok := procByOID(oid)
		return p.Name, ok
	}
}

// Procs lists the functions and aggregates sluice has (pg_proc's rows).
func Procs() []Proc { return procs() }

var procs = sync.OnceValue(procList)

func procByOID(oid types.OID) (Proc, bool) {
	for _, p := range procs() {
		if p.OID == oid {
			return p, true
		}
	}
	return Proc{}, false
}

func procArgs(p Proc) string {
	parts := make([]string, len(p.Args))
	for i, t := range p.Args {
		parts[i] = t.String()
		if p.Variadic && i == len(p.Args)-1 {
			parts[i] = "VARIADIC " + parts[i] + "[]"
		}
	}
	return strings.Join(parts, ", ")
}

// ProbeTypes are the operand types pg_proc's aggregate rows and pg_operator
// are read off for: the built-in base types and two array types.
func ProbeTypes() []types.Type {
	ts := []types.Type{types.Bool, types.Int2, types.Int4, types.Int8, types.Float4, types.Float8, types.Numeric,
		types.Text, types.Varchar, types.Name, types.DateT, types.TimestampT, types.TimestamptzT, types.IntervalT,
		types.Bytea, types.UUIDT, types.JSON, types.JSONB, types.Oid}
	for _, e := range []types.Type{types.Int4, types.Text} {
		if at, ok := types.ArrayOf(e); ok {
			ts = append(ts, at)
		}
	}
	return ts
}

// aggregateProcs lists each aggregate once per argument type the binder
// accepts for it (string_agg with two), with the result type it gives;
// count as PostgreSQL lists it, count() for count(*) and count("any"). Ordered-set aggregates
// (percentile_cont, percentile_disc, mode) take their argument in WITHIN
// GROUP and are listed once, without argument types.
func aggregateProcs() []Proc {
	var out []Proc
	probe := func(name string, args ...types.Type) {
		call := &AggCall{}
		for i, t := range args {
			call.Args = append(call.Args, &ColExpr{Idx: i, T: t})
		}
		if _, err := ResolveAggregate(castOnly, name, call, &ast.FuncCall{}); err == nil {
			out = append(out, Proc{Name: name, Args: args, Ret: call.T, Kind: 'a', Volatile: 'i'})
		}
	}
	for name := range aggDefs {
		switch name {
		case "percentile_cont", "percentile_disc", "mode":
			out = append(out, Proc{Name: name, Kind: 'a', Volatile: 'i'})
			continue
		case "count":
			out = append(out, Proc{Name: name, Ret: types.Int8, Kind: 'a', Volatile: 'i'},
				Proc{Name: name, Args: []types.Type{{OID: types.OIDAny, Typmod: -1}}, Ret: types.Int8, Kind: 'a', Volatile: 'i'})
			continue
		case "string_agg":
			probe(name, types.Text, types.Text)
			probe(name, types.Bytea, types.Bytea)
			continue
		}
		for _, t := range ProbeTypes() {
			probe(name, t)
		}
	}
	return out
}
