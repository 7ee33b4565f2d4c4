package calc

import "testing"

func TestEval(t *testing.T) {
	for in, want := range map[string]string{"+ 1 * 2 3": "7", "- 4": "-4", "5": "5"} {
		got, err := Eval(in)
		if err != nil || got != want {
			t.Errorf("Eval(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := parse(""); err != errEmpty {
		t.Errorf("parse empty: %v", err)
	}
	if k := Kinds("+ 1 - 2"); len(k) != 4 || k[2] != "neg" {
		t.Errorf("Kinds = %v", k)
	}
}
