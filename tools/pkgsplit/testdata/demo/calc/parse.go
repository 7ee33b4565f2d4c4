package calc

//go:generate echo parse

import (
	// errors for errEmpty
	"errors"
	"strconv"
	"strings" // Fields
)

// Free-floating comment after the imports.

var errEmpty = errors.New("empty expression")

// neg negates its operand; it implements node from another package.
type neg struct{ x node }

func (n neg) eval(e *env) int { return -n.x.eval(e) }
func (n neg) kind() kind      { return kindNeg }
func (n neg) operand() node   { return n.x }

// parse parses a prefix expression like "+ 1 * 2 3" or "- 4".
func parse(s string) (node, error) {
	toks := strings.Fields(s)
	if len(toks) == 0 {
		return nil, errEmpty
	}
	var st stack[node]
	for i := len(toks) - 1; i >= 0; i-- {
		expr := toks[i] // local named like the expr package
		switch expr {
		case "+", "*":
			l, r := st.pop(), st.pop()
			st.push(binop{op: expr[0], l: l, r: r})
		case "-":
			st.push(neg{st.pop()})
		default:
			v, err := strconv.Atoi(expr)
			if err != nil {
				return nil, err
			}
			st.push(num{v}) // unkeyed literal of a struct from another package
		}
	}
	if len(st.items) != 1 {
		return nil, errors.New("malformed")
	}
	ks := mapNodes(st.items, node.kind) // method expression
	_ = ks
	return st.pop(), nil
}
