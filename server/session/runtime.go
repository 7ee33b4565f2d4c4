package session

import (
	"bufio"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// TuneGC configures the Go collector for an analytical server; the server
// binary calls it at startup (and the benchmark harness, which runs sluice
// in its own process, does too).
//
// Scans decode every batch into fresh buffers, so a query allocates
// gigabytes while the live heap stays small; with Go's default GOGC=100 the
// collector then runs dozens of times per query, and a CPU profile of a 10 M
// row scan spent a third of its time in GC assists. GOGC=400 lets the heap
// grow to five times the live data between collections (q02–q06 of the
// benchmark suite ran 1.4–1.6× faster). A soft memory limit of three
// quarters of physical memory makes the collector aggressive again before
// the machine runs short; per-query budgets (sluice.query_memory) still
// apply. GOGC or GOMEMLIMIT in the environment take precedence.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		if m := physicalMemory(); m > 0 {
			debug.SetMemoryLimit(m / 4 * 3)
		}
	}
}

// physicalMemory is MemTotal from /proc/meminfo in bytes, or 0 where that
// is not available.
func physicalMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
