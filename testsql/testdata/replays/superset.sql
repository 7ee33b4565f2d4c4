-- Replay of the SQL Apache Superset sends to PostgreSQL: SQLAlchemy 1.4 (psycopg2 dialect) connect and
-- Inspector reflection as Superset's database/dataset pages call it, SQL Lab (search_path prequery, backend pid,
-- LIMIT added to the query, cancel, cost estimate via EXPLAIN), table preview (select_star) and an Explore chart.
-- Format and directives: see the header of dbt.sql. Runner: clients/replay.py (psycopg2, autocommit off, as
-- SQLAlchemy 1.4 uses it: psycopg2's implicit BEGIN, and SQLAlchemy ends each use of a pooled connection with
-- the DB-API rollback() (pool reset on checkin), written here as `-- driver: rollback`).
-- Tokens: RPL = fixture schema, RPLDB = database. ${orders_oid} is the table oid SQLAlchemy reads first and
-- then inlines (psycopg2 interpolates it), as in the real session.
--
-- Sources:
--  * SQLAlchemy 1.4.46 (Debian python3-sqlalchemy, the version Superset 2.x-4.x pins below 2.0):
--    sqlalchemy/dialects/postgresql/base.py (PGDialect.initialize/_get_server_version_info/_get_default_schema_name/
--    get_isolation_level/get_schema_names/get_table_names/_get_foreign_table_names/get_view_names/get_table_oid/
--    get_columns/_load_domains/_load_enums/get_pk_constraint/get_foreign_keys/get_indexes/get_table_comment/
--    has_table) and engine/default.py (do_ping). The statement texts below were produced by running those
--    methods from Debian's SQLAlchemy 1.4.46 against PostgreSQL 15 and recording what psycopg2 executed
--    (cursor.query), so whitespace and interpolated literals are exact. The index holds
--    sqlalchemy/sqlalchemy base.py only at a 2.x commit; 1.4's text matches research/client-captures.md.
--  * psycopg2 lib/extras.py (HstoreAdapter.get_oids: the hstore probe the psycopg2 dialect runs on connect;
--    text from research/client-captures.md, sqlalchemy14_psycopg2 capture).
--  * apache/superset superset/db_engine_specs/postgres.py (indexed commit 007e4f5f): get_catalog_names,
--    get_table_names (+ foreign tables), get_prequeries (set search_path = "<schema>"), estimate_statement_cost
--    (EXPLAIN <statement>, parses cost=a..b), get_cancel_query_id (SELECT pg_backend_pid()), cancel_query
--    (pg_terminate_backend via pg_stat_activity), _time_grain_expressions (DATE_TRUNC), convert_dttm
--    (TO_TIMESTAMP(..., 'YYYY-MM-DD HH24:MI:SS.US'), TO_DATE(..., 'YYYY-MM-DD')).
--  * apache/superset superset/db_engine_specs/base.py: select_star (SELECT * ... LIMIT 100), apply_limit_to_sql
--    (LimitMethod.FORCE_LIMIT: "\nLIMIT 1001" for the default SQL Lab limit 1000 + 1). The exact layout of
--    select_star and the Explore query depends on the Superset version's formatter (sqlparse reindent in 2.x/3.x);
--    those two are written in that layout, not captured.

-- @@
-- reconnect
-- source: psycopg2 lib/extras.py (HstoreAdapter.get_oids), via SQLAlchemy PGDialect_psycopg2.initialize (use_native_hstore)
-- via: first connection of the engine
SELECT t.oid, typarray FROM pg_type t JOIN pg_namespace ns ON typnamespace = ns.oid WHERE typname = 'hstore';
-- @@
-- driver: rollback
-- note: get_oids rolls back what it started
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect._get_server_version_info; parses 'PostgreSQL (\d+)...')
-- via: dialect initialize
select pg_catalog.version()
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect._get_default_schema_name)
select current_schema()
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_isolation_level)
show transaction isolation level
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.initialize: _supports_... standard_conforming_strings check)
show standard_conforming_strings
-- @@
-- driver: rollback
-- note: end of initialize
-- @@
-- source: sqlalchemy engine/default.py 1.4.46 (DefaultDialect.do_ping)
-- via: Superset test_connection (engine.dialect.do_ping on a raw connection)
SELECT 1
-- @@
-- driver: rollback
-- @@
-- only: datname=RPLDB
-- source: apache/superset superset/db_engine_specs/postgres.py (PostgresEngineSpec.get_catalog_names, inspector.bind.execute of a literal string)
-- via: database page: list catalogs (databases)

SELECT datname FROM pg_database
WHERE datistemplate = false;
            
-- @@
-- driver: rollback
-- @@
-- only: nspname=RPL
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_schema_names)
-- via: SQL Lab / dataset editor: schema dropdown (Database.get_all_schema_names)
SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' ORDER BY nspname

-- @@
-- driver: rollback
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_table_names)
-- via: PostgresEngineSpec.get_table_names: table list of the schema (part 1)
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'RPL' AND c.relkind in ('r', 'p')

-- @@
-- driver: rollback
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect._get_foreign_table_names via PGInspector.get_foreign_table_names)
-- via: PostgresEngineSpec.get_table_names (part 2: foreign tables)
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'RPL' AND c.relkind = 'f'

-- @@
-- driver: rollback
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_view_names, include=('plain', 'materialized'))
-- via: BaseEngineSpec.get_view_names: view list of the schema
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'RPL' AND c.relkind IN ('v', 'm')

-- @@
-- driver: rollback
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_view_names, include=('materialized',))
-- via: materialized views only (what SQLAlchemy 1.4 sends where 2.0 has get_materialized_view_names)
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'RPL' AND c.relkind IN ('m')

-- @@
-- driver: rollback
-- @@
-- save: orders_oid
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_table_oid, cached per Inspector)
-- via: SQL Lab table metadata / dataset sync for RPL.orders (superset/databases/utils.py get_table_metadata)

            SELECT c.oid
            FROM pg_catalog.pg_class c
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'RPL')
            AND c.relname = 'orders' AND c.relkind in
            ('r', 'v', 'm', 'f', 'p')
        

-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_columns; server >= 12 adds attgenerated, >= 10 the identity json)
-- via: get_columns

            SELECT a.attname,
              pg_catalog.format_type(a.atttypid, a.atttypmod),
              (
                SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid)
                FROM pg_catalog.pg_attrdef d
                WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum
                AND a.atthasdef
              ) AS DEFAULT,
              a.attnotnull,
              a.attrelid as table_oid,
              pgd.description as comment,
              a.attgenerated as generated,
                              (SELECT json_build_object(
                    'always', a.attidentity = 'a',
                    'start', s.seqstart,
                    'increment', s.seqincrement,
                    'minvalue', s.seqmin,
                    'maxvalue', s.seqmax,
                    'cache', s.seqcache,
                    'cycle', s.seqcycle)
                FROM pg_catalog.pg_sequence s
                JOIN pg_catalog.pg_class c on s.seqrelid = c."oid"
                WHERE c.relkind = 'S'
                AND a.attidentity != ''
                AND s.seqrelid = pg_catalog.pg_get_serial_sequence(
                    a.attrelid::regclass::text, a.attname
                )::regclass::oid
                ) as identity_options                
            FROM pg_catalog.pg_attribute a
            LEFT JOIN pg_catalog.pg_description pgd ON (
                pgd.objoid = a.attrelid AND pgd.objsubid = a.attnum)
            WHERE a.attrelid = ${orders_oid}
            AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
        

-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect._load_domains)
-- via: get_columns: domains to resolve column types

            SELECT t.typname as "name",
               pg_catalog.format_type(t.typbasetype, t.typtypmod) as "attype",
               not t.typnotnull as "nullable",
               t.typdefault as "default",
               pg_catalog.pg_type_is_visible(t.oid) as "visible",
               n.nspname as "schema"
            FROM pg_catalog.pg_type t
               LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'd'
        

-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect._load_enums)
-- via: get_columns: enum types

            SELECT t.typname as "name",
               -- no enum defaults in 8.4 at least
               -- t.typdefault as "default",
               pg_catalog.pg_type_is_visible(t.oid) as "visible",
               n.nspname as "schema",
               e.enumlabel as "label"
            FROM pg_catalog.pg_type t
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                 LEFT JOIN pg_catalog.pg_enum e ON t.oid = e.enumtypid
            WHERE t.typtype = 'e'
        ORDER BY "schema", "name", e.oid

-- @@
-- driver: rollback
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_pk_constraint: key columns)
-- via: get_table_metadata: primary key

                SELECT a.attname
                FROM pg_attribute a JOIN (
                    SELECT unnest(ix.indkey) attnum,
                           generate_subscripts(ix.indkey, 1) ord
                    FROM pg_index ix
                    WHERE ix.indrelid = ${orders_oid} AND ix.indisprimary
                    ) k ON a.attnum=k.attnum
                WHERE a.attrelid = ${orders_oid}
                ORDER BY k.ord
            

-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_pk_constraint: constraint name)

        SELECT conname
           FROM  pg_catalog.pg_constraint r
           WHERE r.conrelid = ${orders_oid} AND r.contype = 'p'
           ORDER BY 1
        

-- @@
-- driver: rollback
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_foreign_keys)
-- via: get_table_metadata: foreign keys

          SELECT r.conname,
                pg_catalog.pg_get_constraintdef(r.oid, true) as condef,
                n.nspname as conschema
          FROM  pg_catalog.pg_constraint r,
                pg_namespace n,
                pg_class c

          WHERE r.conrelid = ${orders_oid} AND
                r.contype = 'f' AND
                c.oid = confrelid AND
                n.oid = c.relnamespace
          ORDER BY 1
        

-- @@
-- driver: rollback
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_indexes; >= 11 adds indnkeyatts)
-- via: get_table_metadata: indexes

              SELECT
                  i.relname as relname,
                  ix.indisunique, ix.indexprs,
                  a.attname, a.attnum, c.conrelid, ix.indkey::varchar,
                  ix.indoption::varchar, i.reloptions, am.amname,
                  pg_get_expr(ix.indpred, ix.indrelid),
                  ix.indnkeyatts as indnkeyatts
              FROM
                  pg_class t
                        join pg_index ix on t.oid = ix.indrelid
                        join pg_class i on i.oid = ix.indexrelid
                        left outer join
                            pg_attribute a
                            on t.oid = a.attrelid and a.attnum = ANY(ix.indkey)
                        left outer join
                            pg_constraint c
                            on (ix.indrelid = c.conrelid and
                                ix.indexrelid = c.conindid and
                                c.contype in ('p', 'u', 'x'))
                        left outer join
                            pg_am am
                            on i.relam = am.oid
              WHERE
                  t.relkind IN ('r', 'v', 'f', 'm', 'p')
                  and t.oid = ${orders_oid}
                  and ix.indisprimary = 'f'
              ORDER BY
                  t.relname,
                  i.relname
            

-- @@
-- driver: rollback
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.get_table_comment)
-- via: BaseEngineSpec.get_table_comment

            SELECT
                pgd.description as table_comment
            FROM
                pg_catalog.pg_description pgd
            WHERE
                pgd.objsubid = 0 AND
                pgd.objoid = ${orders_oid}
        

-- @@
-- driver: rollback
-- @@
-- source: sqlalchemy/sqlalchemy lib/sqlalchemy/dialects/postgresql/base.py 1.4.46 (Debian python3-sqlalchemy, text captured from it) (PGDialect.has_table)
-- via: dataset creation: Database.has_table
select relname from pg_class c join pg_namespace n on n.oid=c.relnamespace where n.nspname='RPL' and relname='orders'

-- @@
-- driver: rollback
-- @@
-- reconnect
-- source: apache/superset superset/db_engine_specs/postgres.py (PostgresEngineSpec.get_prequeries)
-- via: SQL Lab with schema RPL selected: prequery on the query's connection
set search_path = "RPL"
-- @@
-- source: apache/superset superset/db_engine_specs/postgres.py (PostgresEngineSpec.get_cancel_query_id)
-- via: SQL Lab remembers the backend pid to cancel the query later
SELECT pg_backend_pid()
-- @@
-- source: apache/superset superset/db_engine_specs/base.py (apply_limit_to_sql, LimitMethod.FORCE_LIMIT: limit 1000 + 1 appended on a new line)
-- via: SQL Lab: the user's query with the row limit added; unqualified table through search_path
SELECT customer, sum(amount) AS total, count(*) AS n
FROM orders
GROUP BY customer
ORDER BY total DESC
LIMIT 1001
-- @@
-- driver: commit
-- note: sql_lab.execute_sql_statements commits after the statements
-- @@
-- reconnect
-- source: apache/superset superset/db_engine_specs/postgres.py (PostgresEngineSpec.cancel_query)
-- via: SQL Lab "Stop": from another connection, terminate the query's backend (a pid no backend has: zero rows)
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid='2147483647'
-- @@
-- driver: rollback
-- @@
-- reconnect
-- source: apache/superset superset/db_engine_specs/postgres.py (get_prequeries) before estimate_statement_cost
-- via: SQL Lab "Estimate cost"
set search_path = "RPL"
-- @@
-- source: apache/superset superset/db_engine_specs/postgres.py (PostgresEngineSpec.estimate_statement_cost: f"EXPLAIN {statement}", reads row 1 and matches cost=a..b)
-- note: the runner prints only row 1 of the plan, as <plan cost=ok> when it has cost=a..b rows=n width=w
EXPLAIN SELECT customer, sum(amount) AS total, count(*) AS n
FROM orders
GROUP BY customer
ORDER BY total DESC
-- @@
-- driver: rollback
-- @@
-- reconnect
-- source: apache/superset superset/db_engine_specs/base.py (BaseEngineSpec.select_star, indent=True) run through SQL Lab
-- via: SQL Lab table preview ("SELECT *" with limit 100; schema unquoted because it needs no quoting)
SELECT *
FROM RPL.orders
LIMIT 100
-- @@
-- driver: rollback
-- @@
-- source: apache/superset superset/db_engine_specs/postgres.py (_time_grain_expressions P1D, convert_dttm for TIMESTAMP WITH TIME ZONE) in SqlaTable.get_sqla_query, sqlparse-reindented
-- via: Explore: time-series bar chart, SUM(amount) per day, time range 2024-01-01 .. 2024-01-06, row limit 10000
SELECT DATE_TRUNC('day', placed_at) AS placed_at,
       sum(amount) AS "SUM(amount)"
FROM RPL.orders
WHERE placed_at >= TO_TIMESTAMP('2024-01-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US')
  AND placed_at < TO_TIMESTAMP('2024-01-06 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US')
GROUP BY DATE_TRUNC('day', placed_at)
ORDER BY "SUM(amount)" DESC
LIMIT 10000
-- @@
-- driver: rollback
-- @@
-- source: apache/superset superset/connectors/sqla/models.py (SqlaTable.get_sqla_query: metric COUNT(*) labelled count, adhoc filter), sqlparse-reindented
-- via: Explore: Big Number chart with a filter on a boolean and an IN list
SELECT COUNT(*) AS count
FROM RPL.orders
WHERE shipped = true
  AND customer IN ('alice',
                   'carol')
LIMIT 50000
-- @@
-- driver: rollback
-- @@
-- source: apache/superset superset/db_engine_specs/postgres.py (convert_dttm for a DATE column: TO_DATE('<iso date>', 'YYYY-MM-DD')), sqlparse-reindented
-- via: Explore: table chart of customers who signed up in the time range (date column as the time column)
SELECT name AS name,
       country AS country,
       signup_date AS signup_date
FROM RPL.customers
WHERE signup_date >= TO_DATE('2023-12-01', 'YYYY-MM-DD')
  AND signup_date < TO_DATE('2024-01-06', 'YYYY-MM-DD')
ORDER BY signup_date ASC
LIMIT 1000
-- @@
-- driver: rollback
