package exec

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// setOpNodeExec runs a SetOpNode (its plan node, with execution methods).
type setOpNodeExec plan.SetOpNode

func (s *setOpNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	idx := plan.Seq(len(s.Types))
	left, err := collect(ec, s.Left)
	if err != nil {
		return nil, err
	}
	right, err := collect(ec, s.Right)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	var buf []byte
	key := func(r []types.Datum) string {
		buf = appendKey(buf[:0], r, idx, s.Types)
		return string(buf)
	}
	switch s.Kind {
	case ast.Union:
		if s.All {
			out = append(left, right...)
			break
		}
		seen := map[string]bool{}
		for _, r := range append(left, right...) {
			k := key(r)
			if !seen[k] {
				seen[k] = true
				out = append(out, r)
			}
		}
	case ast.Intersect, ast.Except:
		counts := map[string]int{}
		for _, r := range right {
			counts[key(r)]++
		}
		emitted := map[string]bool{}
		for _, r := range left {
			k := key(r)
			inRight := counts[k] > 0
			if s.All {
				if inRight {
					counts[k]--
				}
				if inRight == (s.Kind == ast.Intersect) {
					out = append(out, r)
				}
				continue
			}
			if emitted[k] || inRight != (s.Kind == ast.Intersect) {
				continue
			}
			emitted[k] = true
			out = append(out, r)
		}
	}
	return &sliceIter{rows: out}, nil
}
