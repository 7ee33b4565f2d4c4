package expr

import "github.com/sluicedb/sluice/sql/types"

// RowValueExpr is a row constructor used as a value: a record.
type RowValueExpr struct {
	Args   []Expr
	Fields []types.Field
	T      types.Type
}

func (e *RowValueExpr) Type() types.Type { return e.T }

func (e *RowValueExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	vals := make([]types.Datum, len(e.Args))
	for i, a := range e.Args {
		v, err := a.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return &types.Record{Fields: e.Fields, Vals: vals}, nil
}

// RecordNullExpr is IS [NOT] NULL over a record value: true when every
// field is NULL (IS NOT NULL: when none is), as for a row constructor.
type RecordNullExpr struct {
	X   Expr
	Not bool
}

func (e *RecordNullExpr) Type() types.Type { return types.Bool }

func (e *RecordNullExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.X.Eval(ec, row)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return !e.Not, nil
	}
	for _, f := range v.(*types.Record).Vals {
		if (f == nil) == e.Not {
			return false, nil
		}
	}
	return true, nil
}
