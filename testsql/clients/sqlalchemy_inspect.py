"""SQLAlchemy 1.4 Inspector over a fixture, the way BI tools and pandas
reflect a database, and pandas.read_sql of a query: python3 sqlalchemy_inspect.py URL SCHEMA.
Prints one line per fact; clients_test.go compares sluice with PostgreSQL."""
import sys

import pandas as pd
import sqlalchemy as sa

url, schema = sys.argv[1], sys.argv[2]
engine = sa.create_engine(url)
with engine.begin() as c:
    c.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    c.execute(sa.text(f"CREATE SCHEMA {schema}"))
    c.execute(sa.text(f"CREATE TABLE {schema}.items (id bigint NOT NULL, code varchar(12), price numeric(9,3), qty integer, seen timestamptz, ok boolean)"))
    c.execute(sa.text(f"COMMENT ON TABLE {schema}.items IS 'the items'"))
    c.execute(sa.text(f"COMMENT ON COLUMN {schema}.items.price IS 'unit price'"))
    c.execute(sa.text(f"INSERT INTO {schema}.items VALUES (1, 'a', 1.5, 2, '2024-01-01 00:00:00+00', true), (2, 'b', NULL, 3, NULL, false)"))
    c.execute(sa.text(f"CREATE VIEW {schema}.item_codes AS SELECT code, count(*) AS n FROM {schema}.items GROUP BY code"))
insp = sa.inspect(engine)
print("schema", schema in insp.get_schema_names())
print("tables", insp.get_table_names(schema=schema))
print("views", insp.get_view_names(schema=schema))
for t in ["items", "item_codes"]:
    for col in insp.get_columns(t, schema=schema):
        print("column", t, col["name"], str(col["type"]), col["nullable"], col.get("default"), col.get("comment"))
print("pk", insp.get_pk_constraint("items", schema=schema))
print("fks", insp.get_foreign_keys("items", schema=schema))
print("indexes", insp.get_indexes("items", schema=schema))
print("comment", insp.get_table_comment("items", schema=schema))
with engine.connect() as c:
    rows = c.execute(sa.text(f"SELECT id, code, price FROM {schema}.items ORDER BY id")).fetchall()
    print("rows", [tuple(str(v) for v in r) for r in rows])
    t = sa.Table("items", sa.MetaData(), autoload_with=c, schema=schema)
    print("reflected", [c.name for c in t.columns])
    # pandas.read_sql, as notebooks and BI scripts load a query.
    df = pd.read_sql(sa.text(f"SELECT id, code, price, seen FROM {schema}.items ORDER BY id"), c)
    print("pandas", list(df.columns), [str(t) for t in df.dtypes], df.to_csv(index=False).replace("\n", "|"))
with engine.begin() as c:
    c.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
