package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestFlagsFromEnvironment(t *testing.T) {
	t.Setenv("SLUICE_LISTEN", "127.0.0.1:6543")
	t.Setenv("SLUICE_MAX_CONNECTIONS", "7")
	c, err := parseFlags([]string{"--max-connections", "9"})
	if err != nil {
		t.Fatal(err)
	}
	if c.listen != "127.0.0.1:6543" || c.maxConns != 9 {
		t.Fatalf("listen %q maxConns %d: env should apply and flags should win", c.listen, c.maxConns)
	}
	t.Setenv("SLUICE_AUTH", "kerberos")
	if _, err := parseFlags(nil); err == nil {
		t.Fatal("bad --auth accepted")
	}
}

func TestServeEndToEnd(t *testing.T) {
	c, err := parseFlags([]string{"--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", t.TempDir(), "--shutdown-grace", "2s"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan [2]string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, c, slog.New(slog.NewTextHandler(io.Discard, nil)), func(pg, h string) { addrs <- [2]string{pg, h} })
	}()
	var a [2]string
	select {
	case a = <-addrs:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start")
	}
	get := func(path string) string {
		resp, err := http.Get("http://" + a[1] + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	get("/healthz")
	get("/readyz")
	conn, err := pgx.Connect(context.Background(), "postgres://sluice@"+a[0]+"/sluice?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	var v string
	if err := conn.QueryRow(context.Background(), "select version()").Scan(&v); err != nil || !strings.Contains(v, "sluice") {
		t.Fatalf("%q %v", v, err)
	}
	conn.Exec(context.Background(), "select 1/0")
	m := get("/metrics")
	for _, want := range []string{`sluice_statements_total{tag="SELECT"}`, `sluice_errors_total{sqlstate="22012"} 1`,
		"sluice_connections 1", "sluice_statement_duration_seconds_bucket", "go_goroutines"} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	conn.Close(context.Background())
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no graceful shutdown")
	}
}
