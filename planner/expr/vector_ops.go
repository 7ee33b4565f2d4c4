package expr

// Slice returns rows [lo, hi) of a column (sharing its storage).
func (c *Vcol) Slice(lo, hi int) *Vcol {
	if c == nil {
		return nil
	}
	out := &Vcol{Kind: c.Kind}
	switch c.Kind {
	case VInt, VTS:
		out.I = c.I[lo:hi]
	case VFloat:
		out.F = c.F[lo:hi]
	case VStr:
		out.S = c.S[lo:hi]
	case VBool:
		out.B = c.B[lo:hi]
	}
	if c.Null != nil {
		out.Null = c.Null[lo:hi]
	}
	if c.Codes != nil {
		out.Codes, out.Dict = c.Codes[lo:hi], c.Dict
	}
	return out
}
