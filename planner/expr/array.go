package expr

import "github.com/sluicedb/sluice/sql/types"

// arrayAggState is array_agg.
type arrayAggState struct {
	elem types.Type
	vals []types.Datum
	seen bool
}

func (s *arrayAggState) Add(args []types.Datum) error {
	s.vals = append(s.vals, args[0])
	s.seen = true
	return nil
}

func (s *arrayAggState) Result() (types.Datum, error) {
	if !s.seen {
		return nil, nil
	}
	return &types.Array{Elem: s.elem, Vals: s.vals}, nil
}
