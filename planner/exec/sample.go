package exec

import (
	"math"
	"math/rand/v2"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// sampleNodeExec runs a SampleNode (its plan node, with execution methods).
type sampleNodeExec plan.SampleNode

func (s *sampleNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	v, err := s.Pct.Eval(ec, nil)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, sqlerr.New(sqlerr.InvalidTablesampleArgument, "TABLESAMPLE parameter cannot be null")
	}
	pct := v.(float64)
	if math.IsNaN(pct) || pct < 0 || pct > 100 {
		return nil, sqlerr.New(sqlerr.InvalidTablesampleArgument, "sample percentage must be between 0 and 100")
	}
	var rng *rand.Rand
	if s.Seed != nil {
		sv, err := s.Seed.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		if sv == nil {
			return nil, sqlerr.New(sqlerr.InvalidTablesampleRepeat, "TABLESAMPLE REPEATABLE parameter cannot be null")
		}
		bits := math.Float64bits(sv.(float64))
		rng = rand.New(rand.NewPCG(bits, bits^0x9e3779b97f4a7c15))
	} else {
		rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if pct == 0 {
		return &sliceIter{}, nil
	}
	c, err := OpenNode(ec, s.Child)
	if err != nil {
		return nil, err
	}
	return &sampleIter{c: c, keep: pct / 100, rng: rng}, nil
}

type sampleIter struct {
	c    rowIter
	keep float64
	rng  *rand.Rand
}

func (it *sampleIter) Next() ([]types.Datum, error) {
	for {
		row, err := it.c.Next()
		if row == nil || err != nil {
			return row, err
		}
		if it.keep >= 1 || it.rng.Float64() < it.keep {
			return row, nil
		}
	}
}

func (it *sampleIter) Close() { it.c.Close() }
