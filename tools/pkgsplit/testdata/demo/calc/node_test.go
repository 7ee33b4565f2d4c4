package calc

import "testing"

func TestNum(t *testing.T) {
	e := newEnv()
	e.vars["x"] = 1
	if got := (num{3}).eval(e); got != 3 {
		t.Errorf("eval = %d", got)
	}
	var s stack[int]
	s.push(1)
	if s.pop() != 1 {
		t.Error("stack")
	}
	if (num{4}).String() != "4" {
		t.Error("String")
	}
}
