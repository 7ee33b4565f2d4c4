package testsql

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestDescribeMatchesPostgres prepares statements with untyped parameters
// (OID 0, as node-postgres and postgres.js send them) on sluice and on
// PostgreSQL and compares the inferred parameter types and the result
// columns (names, type OIDs, sizes, modifiers).
func TestDescribeMatchesPostgres(t *testing.T) {
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	ctx := context.Background()
	srv := Start(t)
	setup := "CREATE TEMP TABLE dt (id int, name text, price numeric(10,2), ts timestamptz, tags text[], v varchar(20), f float8, b bool, d date)"
	stmts := []string{
		"SELECT $1::int + 1",
		"SELECT $1 + 1",
		"SELECT $1 || 'x'",
		"SELECT * FROM dt WHERE id = $1",
		"SELECT * FROM dt WHERE name = $1 AND price > $2",
		"SELECT id FROM dt WHERE ts >= $1 AND ts < $2",
		"SELECT id FROM dt WHERE id IN ($1, $2, $3)",
		"SELECT id FROM dt WHERE $1::text IS NULL OR name = $1",
		"SELECT id FROM dt WHERE name LIKE $1",
		"SELECT id FROM dt WHERE id = ANY($1)",
		"SELECT id FROM dt LIMIT $1 OFFSET $2",
		"SELECT id, price * $1 FROM dt",
		"SELECT count(*), sum(price), avg(id), max(name) FROM dt WHERE d > $1",
		"SELECT name, count(*) FROM dt GROUP BY name HAVING count(*) > $1",
		"SELECT COALESCE(name, $1) FROM dt",
		"SELECT CASE WHEN id > $1 THEN $2 ELSE 'none' END FROM dt",
		"SELECT v, f, b, tags, tags[1] FROM dt",
		"SELECT $1::varchar(5), $2::numeric(6,2), $3::timestamp",
		"SELECT id FROM dt WHERE d BETWEEN $1 AND $2",
		"SELECT id FROM dt WHERE f > $1 OR b = $2",
		"INSERT INTO dt (id, name) VALUES ($1, $2)",
		"UPDATE dt SET name = $1, price = price * $2 WHERE id = $3",
		"DELETE FROM dt WHERE ts < $1 OR name = $2",
		"UPDATE dt SET tags = $1 WHERE d BETWEEN $2 AND $3",
		"SELECT now() - $1::interval",
		"SELECT ARRAY[$1::int, 2], $2::jsonb -> 'k'",
		"SELECT row_number() OVER (ORDER BY id), lag(name) OVER (ORDER BY id) FROM dt",
		"SELECT 1 AS a UNION SELECT $1::int",
		"WITH c AS (SELECT id FROM dt WHERE id > $1) SELECT count(*) FROM c",
	}
	describe := func(url string) map[string]string {
		c, err := pgconn.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, setup).ReadAll(); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for i, s := range stmts {
			sd, err := c.Prepare(ctx, fmt.Sprintf("d%d", i), s, nil)
			if err != nil {
				out[s] = "error: " + err.Error()
				continue
			}
			desc := fmt.Sprintf("params %v", sd.ParamOIDs)
			for _, f := range sd.Fields {
				desc += fmt.Sprintf(" | %s %d/%d/%d", f.Name, f.DataTypeOID, f.DataTypeSize, f.TypeModifier)
			}
			out[s] = desc
		}
		return out
	}
	got, want := describe(srv.URL("sluice", "")), describe(PostgresURL())
	for _, s := range stmts {
		if got[s] != want[s] {
			t.Errorf("%s\n  sluice:   %s\n  postgres: %s", s, got[s], want[s])
		}
	}
}
