package plan

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// Vectorized equi-joins under an aggregation. A GROUP BY over
// scan ⋈ dim₁ ⋈ dim₂ … (inner joins, or left joins without extra ON
// conditions) keeps the scan vectorized: each build input is collected
// once into column vectors and a hash table on its key; every chunk of the
// scan's passing rows probes the tables in turn, and the joined chunk —
// probe columns and build columns gathered by match — goes to the
// aggregation's kernels. Nothing is boxed per row.
//
// Rows come out in the row engine's order (probe order, then the matches
// of one probe row in build order), so float sums agree with it to the
// last digit.

// VecJoin is one join of the vectorized input with a build input.
type VecJoin struct {
	Build     Node
	BuildCols []Column     // the build input's output columns
	ProbeKey  expr.Vexpr   // over the space before this join
	BuildKey  expr.Expr    // over the build input's rows
	Left      bool         // LEFT JOIN: unmatched probe rows stay, build columns NULL
	Width     int          // width of the space before this join
	Post      []expr.Vexpr // further conditions over the joined space (inner joins), conjunct by conjunct
	PostFails []bool       // post[i] may fail (narrow)
}

// RowVecs turns rows into column vectors (nil for kinds without kernels).
func RowVecs(rows [][]types.Datum, cols []Column) []*expr.Vcol {
	out := make([]*expr.Vcol, len(cols))
	n := len(rows)
	for ci, c := range cols {
		kind, ok := expr.VkindOf(c.Type)
		if !ok {
			continue
		}
		v := &expr.Vcol{Kind: kind}
		switch kind {
		case expr.VInt, expr.VTS:
			v.I = make([]int64, n)
		case expr.VFloat:
			v.F = make([]float64, n)
		case expr.VStr:
			v.S = make([]string, n)
		case expr.VBool:
			v.B = make([]bool, n)
		}
		for r, row := range rows {
			d := row[ci]
			if d == nil {
				if v.Null == nil {
					v.Null = make([]bool, n)
				}
				v.Null[r] = true
				continue
			}
			switch kind {
			case expr.VInt:
				v.I[r] = d.(int64)
			case expr.VTS:
				v.I[r] = int64(d.(types.Timestamp))
			case expr.VFloat:
				v.F[r] = d.(float64)
			case expr.VStr:
				v.S[r] = d.(string)
			case expr.VBool:
				v.B[r] = d.(bool)
			}
		}
		out[ci] = v
	}
	return out
}
