package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// suggestLeaf prints plan lines that make target a leaf: every declaration
// of target that (transitively) references a declaration of another target
// is sent back to ".". Types move with their methods, blocks as a whole.
func (t *Tool) suggestLeaf(w io.Writer, target string) {
	// group = a type unit with its method units; other units alone
	group := map[*Unit]*Unit{}
	for _, u := range t.units {
		group[u] = u
		if u.Recv != "" {
			if tu := t.nameUnit[u.Recv]; tu != nil {
				group[u] = tu
			}
		}
	}
	gdeps := map[*Unit]map[*Unit]bool{}
	for u, ds := range t.deps {
		g := group[u]
		if gdeps[g] == nil {
			gdeps[g] = map[*Unit]bool{}
		}
		for d := range ds {
			gdeps[g][group[d]] = true
		}
	}
	in := map[*Unit]bool{}
	for _, u := range t.units {
		if group[u] == u && u.Target == target {
			in[u] = true
		}
	}
	var back []*Unit
	for changed := true; changed; {
		changed = false
		for g := range in {
			for d := range gdeps[g] {
				if !in[d] {
					delete(in, g)
					back = append(back, g)
					changed = true
					break
				}
			}
		}
	}
	sort.Slice(back, func(i, j int) bool { return back[i].Decl.Pos() < back[j].Decl.Pos() })
	fmt.Fprintf(w, "# %d declarations of %s depend on other targets; to make %s a leaf add:\n", len(back), target, target)
	var names []string
	for _, g := range back {
		for _, n := range g.Names {
			if n != "_" && n != "init" {
				names = append(names, n)
			}
		}
		if g.Names[0] == "init" || g.Names[0] == "_" {
			fmt.Fprintf(w, "# cannot move %s (%s) by name: move its file\n", g.Names[0], t.pos(g.Decl.Pos()))
		}
	}
	for len(names) > 0 {
		n := min(8, len(names))
		fmt.Fprintf(w, "decl %s -> .\n", strings.Join(names[:n], " "))
		names = names[n:]
	}
}

// suggestPull prints plan lines that move into target every declaration of "."
// that target (transitively) references, so that target no longer depends on ".".
func (t *Tool) suggestPull(w io.Writer, target string) {
	group := map[*Unit]*Unit{}
	members := map[*Unit][]*Unit{}
	for _, u := range t.units {
		group[u] = u
		if u.Recv != "" {
			if tu := t.nameUnit[u.Recv]; tu != nil {
				group[u] = tu
			}
		}
		members[group[u]] = append(members[group[u]], u)
	}
	in := map[*Unit]bool{}
	var queue []*Unit
	for _, u := range t.units {
		if u.Target == target && !in[group[u]] {
			in[group[u]] = true
			queue = append(queue, group[u])
		}
	}
	var pulled []*Unit
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		for _, m := range members[g] {
			for d := range t.deps[m] {
				dg := group[d]
				if !in[dg] && dg.Target == "." {
					in[dg] = true
					queue = append(queue, dg)
					pulled = append(pulled, dg)
				}
			}
		}
	}
	sort.Slice(pulled, func(i, j int) bool { return pulled[i].Decl.Pos() < pulled[j].Decl.Pos() })
	fmt.Fprintf(w, "# %d declarations of other targets are (transitively) used by %s; to pull them in add:\n", len(pulled), target)
	var names []string
	for _, g := range pulled {
		for _, n := range g.Names {
			if n != "_" && n != "init" {
				names = append(names, n)
			}
		}
	}
	for len(names) > 0 {
		n := min(8, len(names))
		fmt.Fprintf(w, "decl %s -> %s\n", strings.Join(names[:n], " "), target)
		names = names[n:]
	}
}
