// node-postgres smoke test: connect, parameterized queries (parameters sent
// with OID 0, so the server must infer their types), text and binary results,
// a transaction and an error. Prints one JSON line per check; the Go test
// (clients_test.go) compares them.
const { Client } = require('pg');

async function main() {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const out = {};
  let r = await client.query('SELECT $1::int + 1 AS n, $2 AS s, $3::numeric AS d', [41, 'héllo', '12.50']);
  out.params = r.rows[0];
  r = await client.query({ text: 'SELECT $1::int8 AS big, true AS b, 1.5::float8 AS f', values: [9007199254740993n.toString()], binary: true });
  out.binary = { big: r.rows[0].big, b: r.rows[0].b, f: r.rows[0].f };
  r = await client.query("SELECT version() AS v");
  out.version = r.rows[0].v.split(' ').slice(0, 2).join(' ');
  await client.query('BEGIN');
  await client.query('CREATE TEMP TABLE t (id int, name text)');
  await client.query('INSERT INTO t VALUES ($1, $2), ($3, $4)', [1, 'a', 2, 'b']);
  r = await client.query('SELECT id, name FROM t ORDER BY id');
  await client.query('COMMIT');
  out.rows = r.rows;
  try {
    await client.query('SELECT 1/0');
  } catch (e) {
    out.error = e.code;
  }
  r = await client.query({ name: 'named', text: 'SELECT $1::text || $1::text AS twice', values: ['ab'] });
  r = await client.query({ name: 'named', text: 'SELECT $1::text || $1::text AS twice', values: ['cd'] });
  out.named = r.rows[0].twice;
  await client.end();
  console.log(JSON.stringify(out));
}

main().catch((e) => { console.error(e); process.exit(1); });
