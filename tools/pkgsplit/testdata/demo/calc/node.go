package calc

import "fmt"

// node is an expression tree node.
type node interface {
	eval(*env) int
	kind() kind
}

// kind classifies nodes.
type kind int

const (
	kindNum kind = iota // a number
	kindBin
	kindNeg
)

var kindNames = map[kind]string{kindNum: "num", kindBin: "bin", kindNeg: "neg"}

// env carries evaluation state.
type env struct {
	vars  map[string]int
	depth int
}

// counted embeds env and counts evaluations.
type counted struct {
	*env
	n int
}

func (c *counted) bump() { c.n++; c.depth++ }

// num is a literal.
type num struct{ v int }

func (n num) eval(e *env) int { return n.v }
func (n num) kind() kind      { return kindNum }

// String makes nums print nicely.
func (n num) String() string { return fmt.Sprint(n.v) }

// stack is a generic stack.
type stack[T any] struct{ items []T }

func (s *stack[T]) push(v T) { s.items = append(s.items, v) }
func (s *stack[T]) pop() T {
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v
}

// mapNodes applies f to each node.
func mapNodes[T any](ns []node, f func(node) T) []T {
	var out []T
	for _, n := range ns {
		out = append(out, f(n))
	}
	return out
}

// walk visits every node of the tree.
func walk(n node, f func(node)) {
	f(n)
	switch n := n.(type) {
	case binop:
		walk(n.l, f)
		walk(n.r, f)
	case interface{ operand() node }: // implemented by neg in another package
		walk(n.operand(), f)
	}
}
