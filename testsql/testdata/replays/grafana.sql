-- Replay of the SQL Grafana's PostgreSQL data source sends: the health check, the config page's feature
-- detection, the query editor's schema/table/column pickers, and panel queries after the backend's macro
-- expansion, including a multi-statement string. Grafana sends panel SQL through database/sql + lib/pq
-- without arguments, i.e. the simple query protocol, in autocommit (Grafana >= 12.x may use pgx instead).
-- mode: autocommit
-- Format and directives: see the header of dbt.sql. The Go side runs these through lib/pq; clients/replay.py
-- (autocommit on because of the line above) was used to check them against PostgreSQL.
-- Tokens: RPL = fixture schema.
--
-- Macro expansion: pkg/tsdb/grafana-postgresql-datasource/macros.go (postgresMacroEngine.evaluateMacro), time
-- range From = 2024-01-01T00:00:00Z, To = 2024-01-06T00:00:00Z (RFC3339Nano in UTC), no TimescaleDB:
--   $__time(c)                -> c AS "time"
--   $__timeEpoch(c)           -> extract(epoch from c) as "time"
--   $__timeFilter(c)          -> c BETWEEN '2024-01-01T00:00:00Z' AND '2024-01-06T00:00:00Z'
--   $__timeFrom() / $__timeTo() -> '2024-01-01T00:00:00Z' / '2024-01-06T00:00:00Z'
--   $__timeGroup(c,1h)        -> floor(extract(epoch from c)/3600)*3600   (interval seconds printed with %v)
--   $__timeGroupAlias(c,1h)   -> floor(extract(epoch from c)/3600)*3600 AS "time"
--   $__unixEpochFilter(c)     -> c >= 1704067200 AND c <= 1704499200
--   $__unixEpochGroupAlias(c,1d) -> floor((c)/86400)*86400 AS "time"
-- Sources: grafana/grafana public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts
-- (getVersion, getTimescaleDBVersion, showSchemas, showTables, getSchema/buildSchemaConstraint; indexed commit
-- 12f912ab), datasource.ts (fetchTables/fetchFields use showTables()/getSchema(table)), sqlUtil.ts (toRawSql
-- of the visual builder), pkg/tsdb/grafana-postgresql-datasource/macros.go (commit 02ab314b),
-- sqleng/handler_checkhealth.go (CheckHealth -> db.Ping; lib/pq v1.12.3 conn_go18.go Ping sends ";").

-- @@
-- source: grafana/grafana pkg/tsdb/grafana-postgresql-datasource/sqleng/handler_checkhealth.go (CheckHealth -> e.Ping()); lib/pq conn_go18.go (Ping: simpleQuery(";"))
-- via: "Save & test" on the data source page: an empty query
;
-- @@
-- source: grafana/grafana .../grafana-postgresql-datasource/postgresMetaQuery.ts (getVersion), configuration/useAutoDetectFeatures.ts
-- via: config page: detect the PostgreSQL version (15.x -> 1500)
SELECT current_setting('server_version_num')::int/100 as version
-- @@
-- source: grafana/grafana .../grafana-postgresql-datasource/postgresMetaQuery.ts (getTimescaleDBVersion)
-- via: config page: is TimescaleDB installed? (no row: $__timeGroup stays floor(extract(epoch ...)))
SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'
-- @@
-- only: name=RPL
-- source: grafana/grafana .../grafana-postgresql-datasource/postgresMetaQuery.ts (showSchemas)
-- via: schema list
SELECT schema_name AS "name"
    FROM information_schema.schemata
    WHERE schema_name NOT IN ('information_schema',
                              'pg_catalog',
                              'pg_toast',
                              '_timescaledb_cache',
                              '_timescaledb_catalog',
                              '_timescaledb_internal',
                              '_timescaledb_config',
                              'timescaledb_information',
                              'timescaledb_experimental')
    ORDER BY schema_name
-- @@
-- only: table^=RPL.
-- source: grafana/grafana .../grafana-postgresql-datasource/postgresMetaQuery.ts (showTables() with buildSchemaConstraint), datasource.ts (fetchTables)
-- via: query editor table picker: tables outside the search_path come back as schema.table (the runner keeps those of the fixture schema)
SELECT
    CASE WHEN 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema',
                             'pg_catalog',
                             '_timescaledb_cache',
                             '_timescaledb_catalog',
                             '_timescaledb_internal',
                             '_timescaledb_config',
                             'timescaledb_information',
                             'timescaledb_experimental')
    ORDER BY CASE WHEN 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
    THEN 0 ELSE 1 END, 1
-- @@
-- source: grafana/grafana .../grafana-postgresql-datasource/postgresMetaQuery.ts (showTables(schema))
-- via: table picker with a schema chosen
SELECT quote_ident(table_name) AS "table"
      FROM information_schema.tables
      WHERE quote_ident(table_schema) = 'RPL'
      ORDER BY 1
-- @@
-- source: grafana/grafana .../grafana-postgresql-datasource/postgresMetaQuery.ts (getSchema('RPL.orders')), datasource.ts (fetchFields)
-- via: column picker (with data_type) for the table chosen as schema.table: parse_ident splits it
SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('RPL.orders'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('RPL.orders'))[1]
          AND quote_ident(table_name) = (parse_ident('RPL.orders'))[2]
        ELSE quote_ident(table_name) = 'RPL.orders'
          AND 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      END
-- @@
-- source: grafana/grafana .../grafana-postgresql-datasource/sqlUtil.ts (toRawSql: createSelectClause + FROM/GROUP BY/ORDER BY/LIMIT, each part followed by a space)
-- via: visual query builder: SUM(amount) by customer, limit 50
SELECT customer, SUM(amount) AS total FROM RPL.orders GROUP BY customer ORDER BY customer ASC LIMIT 50 
-- @@
-- source: grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go ($__timeGroupAlias(placed_at,1h), $__timeFilter(placed_at))
-- via: time-series panel, code editor: SELECT $__timeGroupAlias(placed_at,1h), sum(amount) AS "amount" FROM RPL.orders WHERE $__timeFilter(placed_at) GROUP BY 1 ORDER BY 1
SELECT
  floor(extract(epoch from placed_at)/3600)*3600 AS "time",
  sum(amount) AS "amount"
FROM RPL.orders
WHERE
  placed_at BETWEEN '2024-01-01T00:00:00Z' AND '2024-01-06T00:00:00Z'
GROUP BY 1
ORDER BY 1
-- @@
-- source: grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go ($__timeGroupAlias(placed_at,'1d',0) - quotes trimmed, fill done in Go; multi-value variable $customer interpolated by datasource.ts interpolateVariable as 'a','b')
-- via: time-series panel with one series per customer ("metric" column), fill 0
SELECT
  floor(extract(epoch from placed_at)/86400)*86400 AS "time",
  customer AS metric,
  count(*) AS orders
FROM RPL.orders
WHERE placed_at BETWEEN '2024-01-01T00:00:00Z' AND '2024-01-06T00:00:00Z' AND customer IN ('alice','bob','carol')
GROUP BY 1, 2
ORDER BY 1, 2
-- @@
-- source: grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go ($__timeGroup(placed_at,'6h') followed by ',' is rewritten to $__timeGroupAlias for pre-5.3 dashboards; $__timeFrom(), $__timeTo())
-- via: old dashboard query: SELECT $__timeGroup(placed_at,'6h'), max(qty) ... WHERE placed_at >= $__timeFrom() AND placed_at < $__timeTo()
SELECT floor(extract(epoch from placed_at)/21600)*21600 AS "time", max(qty) AS max_qty FROM RPL.orders WHERE placed_at >= '2024-01-01T00:00:00Z' AND placed_at < '2024-01-06T00:00:00Z' GROUP BY 1 ORDER BY 1
-- @@
-- source: grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go ($__time(placed_at), $__timeEpoch is the same with extract(epoch ...))
-- via: table panel, raw rows in the time range
SELECT placed_at AS "time", extract(epoch from placed_at) as "epoch", customer, amount, shipped FROM RPL.orders WHERE placed_at BETWEEN '2024-01-01T00:00:00Z' AND '2024-01-06T00:00:00Z' ORDER BY 1 DESC
-- @@
-- source: grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go ($__unixEpochGroupAlias(ts,1d), $__unixEpochFilter(ts) on an integer epoch column)
-- via: panel over a column holding unix seconds
SELECT floor((ts)/86400)*86400 AS "time", sum(amount) AS amount FROM (SELECT extract(epoch from placed_at)::bigint AS ts, amount FROM RPL.orders) o WHERE ts >= 1704067200 AND ts <= 1704499200 GROUP BY 1 ORDER BY 1
-- @@
-- source: grafana/grafana variables: a query variable (SQL written by the user, sent as is)
-- via: dashboard variable $customer: SELECT DISTINCT customer FROM RPL.orders
SELECT DISTINCT customer FROM RPL.orders
-- @@
-- source: research/clients.md (Grafana sends panel SQL as one simple-protocol string; users write session settings in front)
-- via: panel query with two statements in one string: SET TIMEZONE then $__time/$__timeFilter query (the result is the last statement's)
SET TIMEZONE TO 'UTC'; SELECT placed_at AS "time", amount FROM RPL.orders WHERE placed_at BETWEEN '2024-01-01T00:00:00Z' AND '2024-01-06T00:00:00Z' ORDER BY 1
