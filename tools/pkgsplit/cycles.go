package main

import (
	"fmt"
	"go/types"
	"io"
	"sort"
	"strings"
)

type edgeKey struct{ from, to string }

// edges groups cross-target references by (from, to) target pair.
func (t *Tool) edges() map[edgeKey][]Ref {
	m := map[edgeKey][]Ref{}
	for _, r := range t.pkgRefs {
		k := edgeKey{r.From.Target, r.To.Target}
		m[k] = append(m[k], r)
	}
	return m
}

// sccs returns the strongly connected components with more than one target.
func (t *Tool) sccs(e map[edgeKey][]Ref) [][]string {
	adj := map[string][]string{}
	for k := range e {
		adj[k.from] = append(adj[k.from], k.to)
	}
	for _, v := range adj {
		sort.Strings(v)
	}
	index := map[string]int{}
	low := map[string]int{}
	on := map[string]bool{}
	var stack []string
	var out [][]string
	n := 0
	var strong func(v string)
	strong = func(v string) {
		index[v], low[v] = n, n
		n++
		stack = append(stack, v)
		on[v] = true
		for _, w := range adj[v] {
			if _, ok := index[w]; !ok {
				strong(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var comp []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			if len(comp) > 1 {
				sort.Strings(comp)
				out = append(out, comp)
			}
		}
	}
	for _, v := range t.targets {
		if _, ok := index[v]; !ok {
			strong(v)
		}
	}
	return out
}

func kindOf(o types.Object) string {
	switch o.(type) {
	case *types.TypeName:
		return "type"
	case *types.Func:
		return "func"
	case *types.Const:
		return "const"
	case *types.Var:
		return "var"
	}
	return "obj"
}

func tname(tg string) string {
	if tg == "." {
		return "."
	}
	return tg
}

// edgeIdents lists the identifiers of an edge, most used first.
type identUse struct {
	obj  types.Object
	refs []Ref
}

func groupRefs(refs []Ref) []identUse {
	m := map[types.Object]*identUse{}
	var order []*identUse
	for _, r := range refs {
		iu := m[r.Obj]
		if iu == nil {
			iu = &identUse{obj: r.Obj}
			m[r.Obj] = iu
			order = append(order, iu)
		}
		iu.refs = append(iu.refs, r)
	}
	sort.SliceStable(order, func(i, j int) bool {
		if len(order[i].refs) != len(order[j].refs) {
			return len(order[i].refs) > len(order[j].refs)
		}
		return order[i].obj.Name() < order[j].obj.Name()
	})
	out := make([]identUse, len(order))
	for i, o := range order {
		out[i] = *o
	}
	return out
}

// users lists the using declarations of an identifier, as "decl (file:line)".
func (t *Tool) users(refs []Ref, max int) string {
	var parts []string
	seen := map[*Unit]bool{}
	for _, r := range refs {
		if seen[r.From] {
			continue
		}
		seen[r.From] = true
		parts = append(parts, fmt.Sprintf("%s (%s)", r.From.Names[0], t.pos(r.Pos)))
	}
	more := ""
	if len(parts) > max {
		more = fmt.Sprintf(" +%d more", len(parts)-max)
		parts = parts[:max]
	}
	return strings.Join(parts, ", ") + more
}

func (t *Tool) edgeDetail(w io.Writer, k edgeKey, refs []Ref, max int) {
	ids := groupRefs(refs)
	fmt.Fprintf(w, "    %s -> %s: %d identifiers, %d uses:\n", tname(k.from), tname(k.to), len(ids), len(refs))
	for i, iu := range ids {
		if i == max {
			fmt.Fprintf(w, "      ... and %d more identifiers\n", len(ids)-max)
			break
		}
		d := t.objUnit[iu.obj]
		fmt.Fprintf(w, "      %-5s %-28s %-22s used by %s\n", kindOf(iu.obj), iu.obj.Name(), "("+t.pos(iu.obj.Pos())+")", t.users(iu.refs, 3))
		_ = d
	}
}

func (t *Tool) edgeSummary(w io.Writer, k edgeKey, refs []Ref, max int) {
	ids := groupRefs(refs)
	var names []string
	for i, iu := range ids {
		if i == max {
			names = append(names, fmt.Sprintf("... +%d", len(ids)-max))
			break
		}
		names = append(names, iu.obj.Name())
	}
	fmt.Fprintf(w, "    %s -> %s: %d identifiers, %d uses (larger side): %s\n", tname(k.from), tname(k.to), len(ids), len(refs), strings.Join(names, ", "))
}

// reportCycles prints the import cycles between targets; returns their number.
func (t *Tool) reportCycles(w io.Writer) int {
	e := t.edges()
	comps := t.sccs(e)
	if len(comps) == 0 {
		return 0
	}
	fmt.Fprintf(w, "\nIMPORT CYCLES between targets (%d):\n", len(comps))
	for _, comp := range comps {
		fmt.Fprintf(w, "  cycle {%s}\n", strings.Join(comp, ", "))
		in := map[string]bool{}
		for _, c := range comp {
			in[c] = true
		}
		var keys []edgeKey
		for k := range e {
			if in[k.from] && in[k.to] {
				keys = append(keys, k)
			}
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].from != keys[j].from {
				return keys[i].from < keys[j].from
			}
			return keys[i].to < keys[j].to
		})
		done := map[edgeKey]bool{}
		for _, k := range keys {
			if done[k] {
				continue
			}
			rk := edgeKey{k.to, k.from}
			if rev, ok := e[rk]; ok {
				done[k], done[rk] = true, true
				a, b := k, rk
				if len(groupRefs(e[a])) < len(groupRefs(rev)) {
					a, b = rk, k
				}
				// a is the larger side, b the smaller one
				fmt.Fprintf(w, "  %s <-> %s\n", tname(k.from), tname(k.to))
				t.edgeSummary(w, a, e[a], 12)
				t.edgeDetail(w, b, e[b], 40)
			} else {
				done[k] = true
				fmt.Fprintf(w, "  %s -> %s (part of a longer cycle)\n", tname(k.from), tname(k.to))
				t.edgeDetail(w, k, e[k], 20)
			}
		}
	}
	return len(comps)
}
