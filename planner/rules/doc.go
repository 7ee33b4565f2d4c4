// Package rules holds the rewrite rules applied to a bound plan, in one
// ordered, named list (RuleNames): predicate pushdown into joins and
// scans, hash joins and join order, top-N, LIMIT into scans, partition
// pruning and vectorization. Each rule keeps a plan's output columns and
// results; any can be disabled by name (SET sluice.disabled_rules), and the
// test corpus runs with all of them off to prove it.
package rules
