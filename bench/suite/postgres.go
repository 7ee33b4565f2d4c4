package suite

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"
)

// loadPostgres creates the suite's tables in a schema of their own (UNLOGGED,
// as the research runs did) and loads them with COPY, unless they already
// hold the right number of rows.
func loadPostgres(ctx context.Context, c *pgconn.PgConn, schema string, n int64) error {
	exec := func(q string) ([][][]byte, error) {
		res, err := c.Exec(ctx, q).ReadAll()
		if err != nil {
			return nil, err
		}
		return res[len(res)-1].Rows, nil
	}
	if _, err := exec("CREATE SCHEMA IF NOT EXISTS " + schema); err != nil {
		return err
	}
	// Point reads (pgbench-style) look dim_user up by its key, as a
	// PostgreSQL user would: through an index.
	index := "CREATE INDEX IF NOT EXISTS dim_user_user_id ON " + schema + ".dim_user (user_id)"
	rows, err := exec("SELECT (SELECT count(*) FROM " + schema + ".t10m), (SELECT count(*) FROM " + schema + ".dim_user)")
	if err == nil && string(rows[0][0]) == strconv.FormatInt(n, 10) && string(rows[0][1]) == strconv.Itoa(DimRows) {
		_, err := exec(index)
		return err
	}
	for _, q := range []string{
		"DROP TABLE IF EXISTS " + schema + ".t10m, " + schema + ".dim_user",
		"CREATE UNLOGGED TABLE " + schema + ".t10m (id bigint, user_id bigint, region text, price double precision, qty int, ts timestamp, url text)",
		"CREATE UNLOGGED TABLE " + schema + ".dim_user (user_id bigint, segment text, signup date)",
	} {
		if _, err := exec(q); err != nil {
			return err
		}
	}
	copyRows := func(table string, total int64, line func(i int64) string) error {
		pr, pw := io.Pipe()
		go func() {
			buf := make([]byte, 0, 1<<20)
			for i := int64(0); i < total; i++ {
				buf = append(buf, line(i)...)
				if len(buf) > 1<<20-256 {
					if _, err := pw.Write(buf); err != nil {
						return
					}
					buf = buf[:0]
				}
			}
			pw.Write(buf)
			pw.Close()
		}()
		_, err := c.CopyFrom(ctx, pr, "COPY "+table+" FROM STDIN")
		return err
	}
	if err := copyRows(schema+".t10m", n, func(i int64) string {
		r := FactRow(i)
		return fmt.Sprintf("%d\t%d\t%s\t%s\t%d\t%s\t%s\n", r.ID, r.UserID, r.Region,
			strconv.FormatFloat(r.Price, 'g', -1, 64), r.Qty, r.TS.Format("2006-01-02 15:04:05"), r.URL)
	}); err != nil {
		return err
	}
	if err := copyRows(schema+".dim_user", DimRows, func(u int64) string {
		id, seg, signup := DimRow(u)
		return fmt.Sprintf("%d\t%s\t%s\n", id, seg, signup.Format("2006-01-02"))
	}); err != nil {
		return err
	}
	_, err = exec(index + "; ANALYZE " + schema + ".t10m; ANALYZE " + schema + ".dim_user")
	return err
}
