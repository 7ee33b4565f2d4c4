// postgres.js smoke test: tagged-template queries (extended protocol with
// Describe to learn parameter types, then Flush), typed results, a
// transaction, multi-statement simple queries (unsafe), and an error.
// Prints one JSON line that clients_test.go compares with PostgreSQL's.
import postgres from 'postgres'

const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} })
const out = {}
try {
  const [r] = await sql`SELECT ${41}::int + 1 AS n, ${"it's"}::text AS s, ${'12.50'}::numeric AS d, ${true} AS b`
  out.params = [r.n, r.s, r.d, r.b]
  const rows = await sql`SELECT g, g * 1.5::float8 AS f FROM generate_series(1, ${3}) AS g`
  out.rows = rows.map(x => [x.g, x.f])
  await sql`CREATE TEMP TABLE t (id int, name text)`
  await sql.begin(async tx => {
    await tx`INSERT INTO t VALUES (${1}, ${'a'}), (${2}, ${null})`
  })
  out.after_tx = (await sql`SELECT id, name FROM t ORDER BY id`).map(x => [x.id, x.name])
  const multi = await sql.unsafe('SELECT 1 AS a; SELECT 2 AS b')
  out.multi = multi.map(rs => rs.map(x => Object.values(x)[0]))
  try {
    await sql`SELECT 1 / ${0}::int`
  } catch (e) {
    out.error = e.code
  }
} finally {
  await sql.end()
}
console.log(JSON.stringify(out))
