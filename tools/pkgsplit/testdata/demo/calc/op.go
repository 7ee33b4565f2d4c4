package calc

// This free-floating comment travels with binop.

// binop is a binary operation.
type binop struct {
	op   byte
	l, r node
}

// eval evaluates the operation.
func (b binop) eval(e *env) int {
	c := counted{env: e}
	c.bump()
	x, y := b.l.eval(c.env), b.r.eval(e)
	switch b.op {
	case '+':
		return x + y
	case '*':
		return x * y
	}
	return 0
}

func (b binop) kind() kind { return kindBin }
