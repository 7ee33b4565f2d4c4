package expr

type SortKey struct {
	Idx        int
	Desc       bool
	NullsFirst bool
}
