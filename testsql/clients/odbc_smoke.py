"""psqlODBC through unixODBC and pyodbc, the way ODBC tools use it:
SQLTables, SQLColumns, a parameterized query, manual commit, rollback.
Run with /usr/bin/python3: python3 odbc_smoke.py SERVER PORT DATABASE USER SCHEMA.
Prints one JSON line that clients_test.go compares with PostgreSQL's."""
import json
import sys

import pyodbc

server, port, database, user, schema = sys.argv[1:6]
conn = pyodbc.connect(f"DRIVER={{PostgreSQL Unicode}};SERVER={server};PORT={port};DATABASE={database};UID={user};PWD=x", autocommit=False)
cur = conn.cursor()
out = {}
cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
cur.execute(f"CREATE SCHEMA {schema}")
cur.execute(f"CREATE TABLE {schema}.items (id integer NOT NULL, name varchar(20), price numeric(8,2), seen timestamp)")
cur.execute(f"CREATE VIEW {schema}.names AS SELECT name FROM {schema}.items")
conn.commit()
out["tables"] = sorted([r.table_name, r.table_type] for r in cur.tables(schema=schema))
out["columns"] = [[r.table_name, r.column_name, r.type_name, r.column_size, r.nullable] for r in cur.columns(schema=schema, table="items")]
cur.execute(f"INSERT INTO {schema}.items VALUES (?, ?, ?, ?)", 1, "pen", "1.50", "2024-01-02 03:04:05")
conn.rollback()
cur.execute(f"INSERT INTO {schema}.items VALUES (?, ?, ?, ?)", 2, "ink", "2.25", None)
conn.commit()
cur.execute(f"SELECT id, name, price, seen FROM {schema}.items WHERE id >= ? ORDER BY id", 0)
out["rows"] = [[r[0], r[1], str(r[2]), r[3]] for r in cur.fetchall()]
cur.execute(f"DROP SCHEMA {schema} CASCADE")
conn.commit()
conn.close()
print(json.dumps(out, sort_keys=True))
