package planner

import (
	"sort"
	"strings"
	"sync"

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
	for name, defs := range funcs {
		for _, d := range defs {
			vol := byte('s')
			switch {
			case d.pure:
				vol = 'i'
			case d.volatile:
				vol = 'v'
			}
			out = append(out, Proc{Name: name, Args: d.args, Ret: d.ret, Kind: 'f', Strict: d.strict, Volatile: vol, Variadic: d.variadic})
		}
	}
	for name := range aggDefs {
		out = append(out, Proc{Name: name, Kind: 'a', Volatile: 'i'})
	}
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
