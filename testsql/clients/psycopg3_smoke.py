"""psycopg 3 smoke test (run with /usr/bin/python3, where Debian's psycopg lives).

Server-side parameters (the extended protocol with typed binds), binary
results, a server-side cursor, COPY in and out, pipeline mode, a prepared
statement past prepare_threshold, an error and a cancel. Prints one JSON line that
clients_test.go compares with PostgreSQL's.
"""
import json
import os
import threading

import psycopg

out = {}
with psycopg.connect(os.environ["DATABASE_URL"], prepare_threshold=1) as conn:
    cur = conn.cursor()
    cur.execute("SELECT %s::int + 1, %s::text, %s::numeric, %s::date", (41, "it's", "12.50", "2024-02-29"))
    n, s, d, day = cur.fetchone()
    out["params"] = [n, s, str(d), day.isoformat()]
    bcur = conn.cursor(binary=True)
    bcur.execute("SELECT 1.5::float8, 'x'::text, 7::int8, ARRAY[1, 2]::int4[]")
    out["binary"] = [str(v) for v in bcur.fetchone()]
    for i in range(3):  # prepared after the first execution
        cur.execute("SELECT %s::int * 2", (i,))
    out["prepared"] = cur.fetchone()[0]
    cur.execute("CREATE TEMP TABLE t (id int, name text)")
    with cur.copy("COPY t FROM STDIN") as cp:
        cp.write_row((1, "a"))
        cp.write_row((2, None))
    rows = []
    with cur.copy("COPY (SELECT id, name FROM t ORDER BY id) TO STDOUT") as cp:
        for row in cp.rows():
            rows.append(list(row))
    out["copy"] = rows
    conn.commit()
    with conn.cursor(name="srv") as named:
        named.itersize = 2
        named.execute("SELECT g FROM generate_series(1, 5) AS g")
        out["named"] = [r[0] for r in named]
    conn.commit()
    with conn.pipeline():
        c1 = conn.execute("SELECT 1")
        c2 = conn.execute("SELECT %s::text || '!'", ("piped",))
    out["pipeline"] = [c1.fetchone()[0], c2.fetchone()[0]]
    try:
        cur.execute("SELECT 1/0")
    except psycopg.Error as e:
        out["error"] = e.sqlstate
    conn.rollback()
    # conn.cancel() from another thread while a statement runs.
    timer = threading.Timer(0.5, conn.cancel)
    timer.start()
    try:
        cur.execute("SELECT pg_sleep(10)")
        out["cancel"] = "not cancelled"
    except psycopg.Error as e:
        out["cancel"] = e.sqlstate
    conn.rollback()
print(json.dumps(out, sort_keys=True))
