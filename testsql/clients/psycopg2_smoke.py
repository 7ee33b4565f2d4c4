"""psycopg2 smoke test (run with /usr/bin/python3, where Debian's psycopg2 lives).

Client-side parameter interpolation, the implicit BEGIN, a server-side (named)
cursor over DECLARE/FETCH, COPY through copy_expert, an error and a cancel. Prints one
JSON line that clients_test.go checks.
"""
import io
import json
import os
import sys
import threading

import psycopg2

conn = psycopg2.connect(os.environ["DATABASE_URL"])
out = {}
cur = conn.cursor()
cur.execute("SELECT %s::int + 1, %s::text, %s::numeric", (41, "it's", "12.50"))
n, s, d = cur.fetchone()
out["params"] = [n, s, str(d)]
cur.execute("SHOW transaction_isolation")
out["isolation"] = cur.fetchone()[0]
cur.execute("CREATE TEMP TABLE t (id int, name text)")
cur.execute("INSERT INTO t VALUES (%s, %s), (%s, %s)", (1, "a", 2, None))
conn.commit()
named = conn.cursor(name="srv")
named.itersize = 2
named.execute("SELECT g FROM generate_series(1, 5) AS g")
out["named"] = [r[0] for r in named]
named.close()
conn.commit()
buf = io.StringIO()
cur.copy_expert("COPY (SELECT id, name FROM t ORDER BY id) TO STDOUT WITH CSV HEADER", buf)
out["copy_out"] = buf.getvalue()
cur.copy_expert("COPY t FROM STDIN WITH (FORMAT csv)", io.StringIO("3,c\n4,\n"))
cur.execute("SELECT count_id FROM (SELECT id AS count_id FROM t) s ORDER BY 1")
out["after_copy"] = [r[0] for r in cur.fetchall()]
conn.commit()
try:
    cur.execute("SELECT 1/0")
except psycopg2.Error as e:
    out["error"] = e.pgcode
conn.rollback()
# conn.cancel() from another thread while a statement runs: a CancelRequest.
timer = threading.Timer(0.5, conn.cancel)
timer.start()
try:
    cur.execute("SELECT pg_sleep(10)")
    out["cancel"] = "not cancelled"
except psycopg2.Error as e:
    out["cancel"] = e.pgcode
conn.rollback()
conn.close()
print(json.dumps(out))
sys.exit(0)
