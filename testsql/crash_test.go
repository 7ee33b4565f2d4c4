package testsql

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/connectors/lake"
)

var (
	crashRounds = flag.Int("crash-rounds", 20, "kill -9 rounds of TestKillDuringInsert")
	crashRows   = flag.Int("crash-rows", 300_000, "rows of each INSERT … SELECT that TestKillDuringInsert kills")
)

// child is a sluice server process.
type child struct {
	cmd  *exec.Cmd
	addr string
}

var listenRE = regexp.MustCompile(`listen=(127\.0\.0\.1:\d+)`)

// startChild runs the real binary on a data directory and waits until it
// listens.
func startChild(t *testing.T, bin, dir string) *child {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data-dir", dir, "--listen", "127.0.0.1:0", "--http", "")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listenRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case addr := <-found:
		return &child{cmd: cmd, addr: addr}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("sluice did not start")
	}
	return nil
}

// buildSluice builds the real binary into a temporary directory.
func buildSluice(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sluice")
	build := exec.Command("go", "build", "-o", bin, "github.com/sluicedb/sluice/cmd/sluice")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func (c *child) url() string { return "postgres://sluice@" + c.addr + "/sluice?sslmode=disable" }

func (c *child) kill9() {
	c.cmd.Process.Kill() // SIGKILL
	c.cmd.Wait()
}

// tableState is a table's row count and checksums.
type tableState struct{ rows, sumID, sumV int64 }

func readState(t *testing.T, conn *pgx.Conn) tableState {
	t.Helper()
	var s tableState
	err := conn.QueryRow(context.Background(), "SELECT count(*), coalesce(sum(id), 0), coalesce(sum(v), 0) FROM t").Scan(&s.rows, &s.sumID, &s.sumV)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestKillDuringInsert kills the server with SIGKILL at random moments of
// an INSERT … SELECT into a managed table, restarts it, and checks the
// table is exactly at its last committed snapshot: either without the
// insert's rows or with all of them (when the commit landed before the
// kill), never in between; every file the snapshot lists is there, and
// VACUUM removes the crashed writes' leftovers.
func TestKillDuringInsert(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 rounds are skipped in -short mode")
	}
	bin := buildSluice(t)
	dir := t.TempDir()
	ctx := context.Background()
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	c := startChild(t, bin, dir)
	conn, err := pgx.Connect(ctx, c.url())
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn, "CREATE TABLE t (id int8, v int8)")
	mustExec(t, conn, "INSERT INTO t SELECT i, i * 2 FROM generate_series(1, 1000) g(i)")
	// Time one insert to spread the kills over its length.
	t0 := time.Now()
	mustExec(t, conn, fmt.Sprintf("INSERT INTO t SELECT i, i * 2 FROM generate_series(1, %d) g(i)", *crashRows))
	dur := time.Since(t0)
	want := readState(t, conn)
	conn.Close(ctx)
	c.kill9()
	var committed, lost int
	next := int64(*crashRows) + 1
	for round := 0; round < *crashRounds; round++ {
		c = startChild(t, bin, dir)
		conn, err := pgx.Connect(ctx, c.url())
		if err != nil {
			t.Fatal(err)
		}
		if got := readState(t, conn); got != want {
			t.Fatalf("round %d: after restart %+v, want the last committed state %+v", round, got, want)
		}
		lo, hi := next, next+int64(*crashRows)-1
		next = hi + 1
		done := make(chan error, 1)
		go func() {
			_, err := conn.Exec(ctx, fmt.Sprintf("INSERT INTO t SELECT i, i * 2 FROM generate_series(%d, %d) g(i)", lo, hi))
			done <- err
		}()
		time.Sleep(time.Duration(rng.Int63n(int64(dur) * 5 / 4)))
		c.kill9()
		acked := <-done == nil
		c = startChild(t, bin, dir)
		conn2, err := pgx.Connect(ctx, c.url())
		if err != nil {
			t.Fatal(err)
		}
		got := readState(t, conn2)
		n := hi - lo + 1
		with := tableState{want.rows + n, want.sumID + n*(lo+hi)/2, want.sumV + n*(lo+hi)}
		switch {
		case got == with:
			committed++
			want = with
		case got == want && !acked:
			lost++
		default:
			t.Fatalf("round %d: table %+v is neither %+v (before) nor %+v (after); insert acknowledged: %v", round, got, want, with, acked)
		}
		conn2.Close(ctx)
		c.kill9()
	}
	// Every file of the current snapshot exists; VACUUM removes the rest.
	c = startChild(t, bin, dir)
	conn, err = pgx.Connect(ctx, c.url())
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn, "VACUUM t")
	if got := readState(t, conn); got != want {
		t.Fatalf("after VACUUM %+v, want %+v", got, want)
	}
	conn.Close(ctx)
	c.kill9()
	store, err := catalog.OpenStore(filepath.Join(dir, "catalog"))
	if err != nil {
		t.Fatal(err)
	}
	rel := store.Snapshot().Lookup("public", "t")
	tdir := filepath.Join(dir, "warehouse", rel.Dir)
	snap, err := lake.LoadSnapshot(tdir, rel.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, f := range snap.Files {
		if _, err := os.Stat(filepath.Join(tdir, f.Path)); err != nil {
			t.Errorf("snapshot file missing: %v", err)
		}
		listed[filepath.Base(f.Path)] = true
	}
	ents, _ := os.ReadDir(lake.DataDir(tdir))
	for _, e := range ents {
		if !listed[e.Name()] {
			t.Errorf("unreferenced file left after VACUUM: %s", e.Name())
		}
	}
	if snap.Rows != want.rows {
		t.Errorf("snapshot says %d rows, table has %d", snap.Rows, want.rows)
	}
	t.Logf("%d rounds of %d rows (one insert takes %v): %d committed before the kill, %d rolled back; %d data files",
		*crashRounds, *crashRows, dur.Round(time.Millisecond), committed, lost, len(snap.Files))
}
