package testsql

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/server/pgwire"
)

// TestVerifierCompatibleWithPostgres checks that a SCRAM verifier written by
// PostgreSQL itself is accepted by sluice's verifier code, and that a wrong
// password is not: the stored formats are the same.
func TestVerifierCompatibleWithPostgres(t *testing.T) {
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	ctx := context.Background()
	c, err := pgx.Connect(ctx, PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "DROP ROLE IF EXISTS sluice_scram_probe"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "SET password_encryption = 'scram-sha-256'; CREATE ROLE sluice_scram_probe PASSWORD 'probe pw'"); err != nil {
		t.Fatal(err)
	}
	defer c.Exec(ctx, "DROP ROLE IF EXISTS sluice_scram_probe")
	var v string
	if err := c.QueryRow(ctx, "SELECT rolpassword FROM pg_authid WHERE rolname = 'sluice_scram_probe'").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if !pgwire.VerifyPassword(v, "probe pw") {
		t.Fatalf("PostgreSQL's verifier %q rejected the right password", v)
	}
	if pgwire.VerifyPassword(v, "probe pw!") {
		t.Fatal("wrong password accepted")
	}
}
