// Package connectors defines the seams between the engine and the places rows
// come from: RecordStream today; Provider (schema, statistics, pushdown
// answers, splits) arrives with the lake issue. It imports only sql/* and
// arrow, so every source — lake, streams, MVs, remote databases — can be
// planned and executed the same way.
package connectors
