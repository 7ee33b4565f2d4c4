// Package bad is split by testdata/demo/plan_bad.txt, which must be rejected.
package bad

type box struct{ v int }

func (b *box) get() int { return b.v }

// Get collides with get once get must be exported.
func (b *box) Get() int { return b.v + 1 }

const (
	first = iota
	second
)

type named struct{}

func (named) string() string { return "named" }

var helper = 1

func capture() int {
	Helper := 2
	return helper + Helper
}
