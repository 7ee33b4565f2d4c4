package plan

import "github.com/sluicedb/sluice/planner/expr"

// TopNScan replaces the scan under ORDER BY … LIMIT k when the first sort
// key is a numeric column of a lake table. Each worker keeps the k best
// values of that key it has seen; a row whose key is strictly worse than
// all of them cannot be among the first k (those k rows precede it
// whatever the later keys say), so it is dropped before any of its
// columns is materialized. Rows tied with the k-th value and NULLs are
// kept, and the kept rows go to the ordinary top-N sort in scan order, so
// the result is exactly the row path's.
type TopNScan struct {
	Src   *SourceScan
	Col   int // the source column of the first sort key
	Desc  bool
	Limit expr.Expr // k = limit + offset, evaluated at open
	Off   expr.Expr
}
