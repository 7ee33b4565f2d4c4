// Package connectors defines the seams between the engine and the places rows
// come from: RecordStream (pull Arrow batches) and Provider (columns,
// statistics, per-predicate pushdown answers, splits). Every source — lake
// tables, streams, MVs, remote databases — implements Provider, so the
// planner plans and executes them the same way. It imports only sql/* and
// arrow.
package connectors
