package expr

import "time"

// EXPLAIN: every operator describes itself in one line; the plan prints as
// an indented tree, deterministic so it can be golden-tested. EXPLAIN
// ANALYZE runs the plan with every iterator counted and timed (inclusive of
// its inputs, as PostgreSQL reports).

// NodeStats are one operator's EXPLAIN ANALYZE figures.
type NodeStats struct {
	Rows  int64
	Loops int64
	Dur   time.Duration
	Extra []string // detail lines (a scan's pruning)
	// SplitsRead counts the splits (row groups of a lake table) a scan
	// began to read, over all its loops.
	SplitsRead int64
}
