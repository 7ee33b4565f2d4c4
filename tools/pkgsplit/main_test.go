package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// copyDir copies the demo module into a temporary directory.
func copyDemo(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "demo")
	if out, err := exec.Command("cp", "-r", "testdata/demo", dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	return dst
}

func runTool(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String() + errb.String()
}

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func TestSplitBuilds(t *testing.T) {
	mod := copyDemo(t)
	code, out := runTool(t, "-dir", filepath.Join(mod, "calc"), "-plan", "testdata/demo/plan.txt", "-write")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, f := range []string{"calc/node.go", "calc/op.go", "calc/parse.go", "calc/node_test.go"} {
		if _, err := os.Stat(filepath.Join(mod, f)); err == nil {
			t.Errorf("%s should have been removed", f)
		}
	}
	goCmd(t, mod, "build", "./...")
	goCmd(t, mod, "vet", "./...")
	goCmd(t, mod, "test", "./...")
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(mod, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	parse := read("calc/parse/parse.go")
	for _, want := range []string{
		`exprpkg "example.com/demo/calc/expr"`, // local variable expr shadows the package name
		`exprpkg.Num{V: v}`,                    // unkeyed literal of a moved struct gets keys
		`func (n neg) Operand() exprpkg.Node`,  // interface literal method implemented across packages
		`st.Push(exprpkg.Binop{Op: expr[0], L: l, R: r})`,
		`// Parse parses`,          // doc comment follows the rename
		"//go:generate echo parse", // comments around the imports survive
		"\t// errors for errEmpty\n\t\"errors\"",
		`"strings" // Fields`,
	} {
		if !strings.Contains(parse, want) {
			t.Errorf("parse.go lacks %q:\n%s", want, parse)
		}
	}
	calc := read("calc/calc.go")
	if !strings.Contains(calc, "// Package calc evaluates") || !strings.Contains(calc, "// Copyright 2026") {
		t.Errorf("calc.go lost its header:\n%s", calc)
	}
	moved := read("calc/expr/calc.go")
	if strings.Contains(moved, "Package calc") || !strings.Contains(moved, "// Copyright 2026") || !strings.Contains(moved, "package expr") {
		t.Errorf("expr/calc.go header wrong:\n%s", moved)
	}
	op := read("calc/expr/op.go")
	if !strings.Contains(op, "// This free-floating comment travels with binop.") || !strings.Contains(op, "c := counted{Env: e}") {
		t.Errorf("expr/op.go:\n%s", op)
	}
}

func TestCycleReported(t *testing.T) {
	mod := copyDemo(t)
	code, out := runTool(t, "-dir", filepath.Join(mod, "calc"), "-plan", "testdata/demo/plan_cycle.txt", "-write")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{"cycle {expr, parse}", "expr -> parse: 1 identifiers, 1 uses:", "newEnv", "TestNum (node_test.go:"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(mod, "calc/expr")); err == nil {
		t.Errorf("a cyclic plan wrote files")
	}
}

func TestErrorsReported(t *testing.T) {
	code, out := runTool(t, "-dir", "testdata/demo/bad", "-plan", "testdata/demo/plan_bad.txt")
	if code != 2 {
		t.Fatalf("exit %d, want 2:\n%s", code, out)
	}
	for _, want := range []string{
		"const block moves as one unit",
		"decl first second -> other",
		"export box.get -> Get collides with box.Get",
		"export helper -> Helper: the use at bad.go:24 would refer to Helper",
		"method string becomes String() string",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	mod := copyDemo(t)
	code, out := runTool(t, "-dir", filepath.Join(mod, "calc"), "-plan", "testdata/demo/plan.txt")
	if code != 0 || !strings.Contains(out, "dry run") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(mod, "calc/expr")); err == nil {
		t.Errorf("dry run wrote files")
	}
}
