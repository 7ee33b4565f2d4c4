// Package lake serves Parquet data as connectors.Providers: external tables
// over files someone else wrote (a file, a directory, a glob, or a
// hive-partitioned tree whose key=value folders become columns), and managed
// tables sluice writes itself.
//
// A Table is an immutable list of data files with their footers' statistics
// and their partition values. Planning a scan prunes whole files on
// partition values and min/max statistics, then row groups on their
// statistics, and hands out one split per surviving row group, so scans
// parallelise by row group. Only the requested columns are read.
//
// Managed tables keep their state as snapshots: a JSON metadata file per
// version listing the data files (with row counts and statistics), written
// with temp + fsync + rename. A write first writes and syncs its new data
// files, then its metadata file, and becomes visible only when the catalog
// records the new metadata location — one atomic replace. A crash at any
// point leaves the previous snapshot intact; files written by a crashed or
// failed write are unreferenced and removed by Vacuum, which never removes
// a file that a retained snapshot or a running scan uses.
//
// The layout is ours, not Iceberg's (yet): data files are plain Parquet
// that DuckDB, Spark or Trino read directly, and the arrow schema stored in
// each file carries the PostgreSQL types. Emitting Iceberg metadata beside
// ours is the next step; see the package's notes in the README.
//
// lake imports connectors, sql/* and arrow only.
package lake
