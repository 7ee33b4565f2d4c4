package testsql

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// s3Server is an in-process S3 server (gofakes3, in memory) on loopback.
// Test data is put straight into its backend; sluice reads it over HTTP.
func s3Server(t *testing.T, bucket string) (endpoint string, be *s3mem.Backend) {
	t.Helper()
	be = s3mem.New()
	if err := be.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be).Server())
	t.Cleanup(srv.Close)
	return srv.URL, be
}

// upload copies a local tree into the bucket under prefix.
func upload(t *testing.T, be *s3mem.Backend, bucket, prefix, root string) int {
	t.Helper()
	n := 0
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = be.PutObject(bucket, prefix+filepath.ToSlash(rel), map[string]string{"Last-Modified": time.Now().UTC().Format(http.TimeFormat)}, bytes.NewReader(b), int64(len(b)), nil)
		n++
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestExternalS3MatchesPostgres serves the hive-partitioned tree from an
// in-process S3 server and runs the same queries as over the local
// directory, against PostgreSQL; partition pruning works the same way and
// credentials never appear in what sluice sends back.
func TestExternalS3MatchesPostgres(t *testing.T) {
	sl, pg, _ := lakeConns(t)
	endpoint, be := s3Server(t, "lake")
	root := t.TempDir()
	const n = 20_000
	writeHive(t, root, n)
	upload(t, be, "lake", "warehouse/ev/", root)
	const secret = "s3cr3t-never-shown"
	opts := fmt.Sprintf("s3_endpoint = '%s', s3_url_style = 'path', s3_access_key_id = 'test-key', s3_secret_access_key = '%s'", endpoint, secret)
	mustExec(t, sl, "CREATE TABLE ev WITH (location = 's3://lake/warehouse/ev/', format = 'parquet', "+opts+")")
	mustExec(t, pg, "CREATE TEMP TABLE ev AS "+series(hiveGen, 0, n-1))
	compareHive(t, sl, pg)
	if files, rgs := pruned(t, sl, "SELECT count(*) FROM ev WHERE region = 'us' AND v > 990"); files < 4 || rgs < 0 {
		t.Errorf("region = 'us' skipped %d of 6 files, want at least 4", files)
	}
	// A single object and a glob are locations too.
	mustExec(t, sl, "CREATE TABLE ev_glob WITH (location = 's3://lake/warehouse/ev/region=eu/*/*.parquet', "+opts+")")
	var got, want int64
	if err := sl.QueryRow(context.Background(), "SELECT count(*) FROM ev_glob").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if err := pg.QueryRow(context.Background(), "SELECT count(*) FROM ev WHERE region = 'eu'").Scan(&want); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("glob: %d rows, want %d", got, want)
	}
	// Errors name the location, never the credentials.
	for _, q := range []string{
		"CREATE TABLE nope WITH (location = 's3://missing-bucket/x/', " + opts + ")",
		"CREATE TABLE nope WITH (location = 's3://lake/nothing-here/', " + opts + ")",
	} {
		_, err := sl.Exec(context.Background(), q)
		if err == nil {
			t.Fatalf("%s: expected an error", q)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "test-key") {
			t.Errorf("error shows credentials: %v", err)
		}
	}
}
