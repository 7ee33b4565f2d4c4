// Copyright 2026 The Demo Authors.

// Package calc evaluates tiny arithmetic expressions.
package calc

import (
	"fmt"
	"strings"
)

// Eval parses and evaluates s.
func Eval(s string) (string, error) {
	e, err := parse(s)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	en := newEnv()
	fmt.Fprintf(&sb, "%d", e.eval(en))
	if en.depth > maxDepth {
		return "", fmt.Errorf("too deep: %d", en.depth)
	}
	return sb.String(), nil
}

// maxDepth bounds evaluation depth.
const maxDepth = 100

// Kinds returns the kind names of the nodes of s.
func Kinds(s string) []string {
	e, err := parse(s)
	if err != nil {
		return nil
	}
	var out []string
	walk(e, func(n node) { out = append(out, kindNames[n.kind()]) })
	return out
}

// newEnv makes an empty environment. It moves to expr by a decl line.
func newEnv() *env { return &env{vars: map[string]int{}, depth: 0} }
