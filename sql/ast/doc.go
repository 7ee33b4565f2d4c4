// Package ast is sluice's own syntax tree: the small, typed view of a parsed
// statement that every layer after sql/parse works with. pg_query's protobuf
// nodes stop at the border (sql/parse converts them), so nothing past the
// parser knows which grammar library produced the tree.
//
// Nodes are immutable after parsing: parse results are cached and shared
// between sessions, so binders must copy rather than mutate. Positions are
// 0-based byte offsets into the whole query string, -1 when unknown.
package ast
