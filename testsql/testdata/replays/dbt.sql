-- Replay of the SQL dbt-postgres 1.8 (dbt-core/dbt-adapters 1.8) sends, after Jinja rendering.
--
-- Format (all replay files): text before the first line `-- @@` is this header. Every statement block starts
-- with a line that is exactly `-- @@`. A block's leading `-- word:` lines are directives for the runner and
-- are not sent; everything after them is sent as one query string (it may hold several statements, dollar
-- quotes and comments). Directives:
--   -- source: <owner/repo> <path> (<macro or function>)   where the SQL comes from
--   -- via: <what the tool is doing>
--   -- note: <free text>
--   -- reconnect                  close the connection (psycopg2 close(): the server rolls back what is open)
--                                 and open a new one, as dbt does for each node (release() closes it)
--   -- driver: commit|rollback    conn.commit()/conn.rollback() through the driver (block has no SQL)
--   -- only: <column>=<value>     print only result rows whose column equals value (catalog-wide queries)
--   -- save: <name>               keep row 1 column 1 of the result; later blocks may use ${name}
--   -- params: <lit>, <lit>       (pgjdbc files) bind these SQL literals to the ? markers
--   -- expect: <SQLSTATE>         the tool expects this statement to fail with this SQLSTATE
-- Trailing `--` comment lines and blank lines at the end of a block are file commentary, not sent.
-- Tokens: RPLDB = current database, RPL = fixture schema (replace RPLDB before RPL). Schema names must be
-- lower case: dbt quotes them ("RPL_dbt").
--
-- Runner: clients/replay.py, psycopg2 with autocommit OFF as dbt-postgres uses it (dbt/adapters/postgres/
-- connections.py never sets autocommit). psycopg2 sends its own BEGIN before the first statement of a
-- connection; dbt then sends BEGIN/COMMIT as plain statements (SQLConnectionManager.add_begin_query/
-- add_commit_query, no query comment), so the first BEGIN of each connection draws WARNING 25001.
-- Every other statement carries dbt's query comment (DEFAULT_QUERY_COMMENT, "/* {...} */\n" + sql).
--
-- What runs: dbt debug; then two consecutive `dbt build`-like invocations (seed, table, views, two
-- incremental models, tests) into schema RPL_dbt; then `dbt docs generate`. The file first drops RPL_dbt
-- (postgres__drop_schema, as `dbt run-operation`/dbt's own test teardown send it), so the whole file can be
-- run twice in a row: each pass builds from nothing in invocation 1 and exercises rename-and-swap
-- (__dbt_backup), seed truncate and the incremental paths in invocation 2.
--
-- Sources: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (1.8, commit 09a15f6);
-- dbt-labs/dbt-core plugins/postgres/dbt/include/postgres/macros/{adapters,relations}.sql (1.7.x);
-- dbt-labs/dbt-adapters dbt/include/global_project/macros/... (materializations, seeds, tests, relation.sql);
-- dbt-labs/dbt-core core/dbt/include/global_project/macros/{relations/rename.sql,adapters/drop_relation.sql,
-- materializations/models/view/view.sql, materializations/models/table/table.sql}; catalog:
-- emmyoop/dbt-core plugins/postgres/.../catalog.sql (1.7.0b2) and crate/dbt-cratedb2
-- dbt/include/postgres/macros/catalog.sql (a copy of dbt-postgres 1.8's catalog.sql; its only change, the
-- commented-out pg_is_other_temp_schema line, is restored here as in dbt-postgres).
-- dbt-labs/dbt-postgres's own catalog.sql is not in the index.

-- @@
-- source: dbt-labs/dbt-adapters dbt/adapters/sql/connections.py (SQLConnectionManager.execute via BaseAdapter.debug_query)
-- via: dbt debug, connection test
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "debug"} */
select 1 as id
-- @@
-- reconnect
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__drop_schema)
-- via: dbt run-operation / test teardown: drop the model schema left by a previous pass; statement() auto-begins
BEGIN
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "macro_drop_schema"} */
drop schema if exists "RPL_dbt" cascade
-- @@
-- note: dbt run-operation commits when the macro finishes (adapter.commit_if_has_connection)
COMMIT

-- ===================== invocation 1 (nothing exists yet) =====================
-- @@
-- reconnect
-- only: nspname=RPL_dbt
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__list_schemas)
-- via: dbt build start: which schemas exist (the runner keeps only the row for the model schema)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "list_RPLDB"} */

    select distinct nspname from pg_namespace
  
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__check_schema_exists)
-- via: dbt build start: adapter.check_schema_exists for the model schema
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "list_RPLDB"} */

    select count(*) from pg_namespace where nspname = 'RPL_dbt'
  
-- @@
-- reconnect
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__create_schema)
-- via: dbt build start: create the missing model schema (statement auto_begin: psycopg2 BEGIN, dbt BEGIN)
BEGIN
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "create_RPLDB_RPL_dbt"} */
create schema if not exists "RPL_dbt"
-- @@
COMMIT
-- @@
-- reconnect
-- note: statement() auto-begins
BEGIN
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__list_relations_without_caching)
-- via: dbt build start: fill the relation cache for the model schema
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "list_RPLDB_RPL_dbt"} */
select
      'RPLDB' as database,
      tablename as name,
      schemaname as schema,
      'table' as type
    from pg_tables
    where schemaname ilike 'RPL_dbt'
    union all
    select
      'RPLDB' as database,
      viewname as name,
      schemaname as schema,
      'view' as type
    from pg_views
    where schemaname ilike 'RPL_dbt'
    union all
    select
      'RPLDB' as database,
      matviewname as name,
      schemaname as schema,
      'materialized_view' as type
    from pg_matviews
    where schemaname ilike 'RPL_dbt'
  
-- @@
-- driver: rollback
-- note: release() closes the connection; the transaction is open, so psycopg2 rollback() first
-- @@
-- reconnect
-- note: statement() auto-begins
BEGIN
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__list_relations_without_caching)
-- via: dbt build start: relation cache for the source schema
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "list_RPLDB_RPL"} */
select
      'RPLDB' as database,
      tablename as name,
      schemaname as schema,
      'table' as type
    from pg_tables
    where schemaname ilike 'RPL'
    union all
    select
      'RPLDB' as database,
      viewname as name,
      schemaname as schema,
      'view' as type
    from pg_views
    where schemaname ilike 'RPL'
    union all
    select
      'RPLDB' as database,
      matviewname as name,
      schemaname as schema,
      'materialized_view' as type
    from pg_matviews
    where schemaname ilike 'RPL'
  
-- @@
-- driver: rollback
-- note: release() closes the connection; the transaction is open, so psycopg2 rollback() first
-- @@
-- reconnect
-- note: statement() auto-begins
BEGIN
-- @@
-- only: referenced_schema=RPL
-- source: dbt-labs/dbt-core plugins/postgres/dbt/include/postgres/macros/relations.sql (postgres__get_relations)
-- via: dbt build start: PostgresAdapter._link_cached_relations, view -> table dependencies from pg_rewrite/pg_depend
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "master"} */
with relation as (
        select
            pg_rewrite.ev_class as class,
            pg_rewrite.oid as id
        from pg_rewrite
    ),
    class as (
        select
            oid as id,
            relname as name,
            relnamespace as schema,
            relkind as kind
        from pg_class
    ),
    dependency as (
        select distinct
            pg_depend.objid as id,
            pg_depend.refobjid as ref
        from pg_depend
    ),
    schema as (
        select
            pg_namespace.oid as id,
            pg_namespace.nspname as name
        from pg_namespace
        where nspname != 'information_schema' and nspname not like 'pg\_%'
    ),
    referenced as (
        select
            relation.id AS id,
            referenced_class.name ,
            referenced_class.schema ,
            referenced_class.kind
        from relation
        join class as referenced_class on relation.class=referenced_class.id
        where referenced_class.kind in ('r', 'v', 'm')
    ),
    relationships as (
        select
            referenced.name as referenced_name,
            referenced.schema as referenced_schema_id,
            dependent_class.name as dependent_name,
            dependent_class.schema as dependent_schema_id,
            referenced.kind as kind
        from referenced
        join dependency on referenced.id=dependency.id
        join class as dependent_class on dependency.ref=dependent_class.id
        where
            (referenced.name != dependent_class.name or
             referenced.schema != dependent_class.schema)
    )

    select
        referenced_schema.name as referenced_schema,
        relationships.referenced_name as referenced_name,
        dependent_schema.name as dependent_schema,
        relationships.dependent_name as dependent_name
    from relationships
    join schema as dependent_schema on relationships.dependent_schema_id=dependent_schema.id
    join schema as referenced_schema on relationships.referenced_schema_id=referenced_schema.id
    group by referenced_schema, referenced_name, dependent_schema, dependent_name
    order by referenced_schema, referenced_name, dependent_schema, dependent_name;

-- ---- seed country_codes (first load: create table + insert) ----
-- @@
-- driver: rollback
-- note: release() closes the connection; the transaction is open, so psycopg2 rollback() first
-- @@
-- reconnect
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/materializations/seeds/seed.sql (seed materialization)
-- via: dbt seed: statement('_') auto-begins
BEGIN
-- @@
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/materializations/seeds/helpers.sql (default__create_csv_table)
-- via: dbt seed: column types from agate (SQLAdapter.convert_text/number/boolean/date_type), quote_columns default
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "seed.jaffle_shop.country_codes"} */

    create table "RPLDB"."RPL_dbt"."country_codes" ("code" text,"name" text,"rank" integer,"share" float8,"active" boolean,"since" date)
  
-- @@
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/materializations/seeds/helpers.sql (default__load_csv_rows)
-- via: dbt seed: adapter.add_query(sql, bindings) - no query comment; psycopg2 interpolates the %s bindings (Decimal, bool, date)
insert into "RPLDB"."RPL_dbt"."country_codes" ("code", "name", "rank", "share", "active", "since") values
          ('US','United States',1,0.25,true,'2024-01-05'::date),('DE','Germany',2,0.125,false,'2023-12-31'::date),('FR','France',3,NULL,true,NULL)
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/materializations/seeds/seed.sql (adapter.commit)
COMMIT

-- ---- table model customer_totals (first build: no existing relation) ----
-- @@
-- reconnect
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/materializations/models/table/table.sql (table materialization)
-- via: dbt run: BEGIN happens at the first statement
BEGIN
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__create_table_as)
-- via: dbt run: build the intermediate relation
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.customer_totals"} */

  
    

  create  table "RPLDB"."RPL_dbt"."customer_totals__dbt_tmp"
  
  
    as
  
  (
    select customer_id, sum(amount) as total, count(*) as n_orders
from "RPLDB"."RPL"."orders"
where shipped
group by customer_id
  );
  
-- @@
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/relations/rename.sql (default__rename_relation)
-- via: dbt run: move the intermediate relation into place
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.customer_totals"} */
alter table "RPLDB"."RPL_dbt"."customer_totals__dbt_tmp" rename to "customer_totals"
-- @@
COMMIT
-- @@
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/adapters/drop_relation.sql (default__drop_table)
-- via: dbt run: drop_relation_if_exists(backup_relation) after the commit (auto_begin=False)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.customer_totals"} */
drop table if exists "RPLDB"."RPL_dbt"."customer_totals__dbt_backup" cascade

-- ---- view model top_customers (ref customer_totals) ----
-- @@
-- reconnect
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/materializations/models/view/view.sql (view materialization)
BEGIN
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/relations/view/create.sql (default__create_view_as)
-- via: dbt run: build the intermediate view
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.top_customers"} */


  create view "RPLDB"."RPL_dbt"."top_customers__dbt_tmp"
    
    
  as (
    select customer_id, total
from "RPLDB"."RPL_dbt"."customer_totals"
where total > 100
  );
-- @@
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/relations/rename.sql (default__rename_relation)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.top_customers"} */
alter table "RPLDB"."RPL_dbt"."top_customers__dbt_tmp" rename to "top_customers"
-- @@
COMMIT
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/relations/view/drop.sql (default__drop_view)
-- via: dbt run: drop_relation_if_exists(backup_relation) after the commit
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.top_customers"} */
drop view if exists "RPLDB"."RPL_dbt"."top_customers__dbt_backup" cascade

-- ---- view model order_summary with persist_docs (relation + column comments) ----
-- @@
-- reconnect
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/materializations/models/view/view.sql (view materialization)
BEGIN
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/relations/view/create.sql (default__create_view_as)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */


  create view "RPLDB"."RPL_dbt"."order_summary__dbt_tmp"
    
    
  as (
    select
    customer,
    count(*) as order_count,
    sum(amount) as total_amount,
    max(placed_at) as last_order_at
from "RPLDB"."RPL"."orders"
group by customer
  );
-- @@
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/relations/rename.sql (default__rename_relation)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */
alter table "RPLDB"."RPL_dbt"."order_summary__dbt_tmp" rename to "order_summary"
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__alter_relation_comment, postgres_escape_comment)
-- via: dbt run: persist_docs(relation=true), dollar-quoted comment
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */

  
  comment on view "RPLDB"."RPL_dbt"."order_summary" is $dbt_comment_literal_block$One row per customer; it's built from "orders"$dbt_comment_literal_block$;

-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__get_columns_in_relation)
-- via: dbt run: persist_docs(columns=true) first lists the existing columns
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */

      select
          column_name,
          data_type,
          character_maximum_length,
          numeric_precision,
          numeric_scale

      from "RPLDB".INFORMATION_SCHEMA.columns
      where table_name = 'order_summary'
        
        and table_schema = 'RPL_dbt'
        
      order by ordinal_position

  
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__alter_column_comment)
-- via: dbt run: one query string holding a comment statement per documented column
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */

  
  
    
    
    comment on column "RPLDB"."RPL_dbt"."order_summary".customer is $dbt_comment_literal_block$Customer name$dbt_comment_literal_block$;
  
    
    
    comment on column "RPLDB"."RPL_dbt"."order_summary".total_amount is $dbt_comment_literal_block$Sum of amount (NULL amounts skipped)$dbt_comment_literal_block$;
  

-- @@
COMMIT
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/relations/view/drop.sql (default__drop_view)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */
drop view if exists "RPLDB"."RPL_dbt"."order_summary__dbt_backup" cascade

-- ---- incremental model orders_inc (unique_key='id'), first build: plain create table as ----
-- @@
-- reconnect
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/materializations/models/incremental/incremental.sql (existing_relation is none)
BEGIN
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__create_table_as)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_inc"} */

      
  
    

  create  table "RPLDB"."RPL_dbt"."orders_inc"
  
  
    as
  
  (
    select id, customer, amount, placed_at
from "RPLDB"."RPL"."orders"

  );
  
  
-- @@
COMMIT

-- ---- incremental model orders_log (append, no unique_key), first build ----
-- @@
-- reconnect
BEGIN
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__create_table_as)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_log"} */

      
  
    

  create  table "RPLDB"."RPL_dbt"."orders_log"
  
  
    as
  
  (
    select id, amount
from "RPLDB"."RPL"."orders"
where amount > 200
  );
  
  
-- @@
COMMIT

-- ===================== invocation 2 (everything exists: swap, truncate, incremental) =====================
-- @@
-- reconnect
-- only: nspname=RPL_dbt
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__list_schemas)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "list_RPLDB"} */

    select distinct nspname from pg_namespace
  
-- @@
-- reconnect
-- note: statement() auto-begins
BEGIN
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__list_relations_without_caching)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "list_RPLDB_RPL_dbt"} */
select
      'RPLDB' as database,
      tablename as name,
      schemaname as schema,
      'table' as type
    from pg_tables
    where schemaname ilike 'RPL_dbt'
    union all
    select
      'RPLDB' as database,
      viewname as name,
      schemaname as schema,
      'view' as type
    from pg_views
    where schemaname ilike 'RPL_dbt'
    union all
    select
      'RPLDB' as database,
      matviewname as name,
      schemaname as schema,
      'materialized_view' as type
    from pg_matviews
    where schemaname ilike 'RPL_dbt'
  
-- @@
-- driver: rollback
-- note: release() closes the connection; the transaction is open, so psycopg2 rollback() first
-- @@
-- reconnect
-- note: statement() auto-begins
BEGIN
-- @@
-- only: referenced_schema=RPL_dbt
-- source: dbt-labs/dbt-core plugins/postgres/dbt/include/postgres/macros/relations.sql (postgres__get_relations)
-- via: dbt learns top_customers depends on customer_totals, so dropping customer_totals__dbt_backup cascades in its cache too
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "master"} */
with relation as (
        select
            pg_rewrite.ev_class as class,
            pg_rewrite.oid as id
        from pg_rewrite
    ),
    class as (
        select
            oid as id,
            relname as name,
            relnamespace as schema,
            relkind as kind
        from pg_class
    ),
    dependency as (
        select distinct
            pg_depend.objid as id,
            pg_depend.refobjid as ref
        from pg_depend
    ),
    schema as (
        select
            pg_namespace.oid as id,
            pg_namespace.nspname as name
        from pg_namespace
        where nspname != 'information_schema' and nspname not like 'pg\_%'
    ),
    referenced as (
        select
            relation.id AS id,
            referenced_class.name ,
            referenced_class.schema ,
            referenced_class.kind
        from relation
        join class as referenced_class on relation.class=referenced_class.id
        where referenced_class.kind in ('r', 'v', 'm')
    ),
    relationships as (
        select
            referenced.name as referenced_name,
            referenced.schema as referenced_schema_id,
            dependent_class.name as dependent_name,
            dependent_class.schema as dependent_schema_id,
            referenced.kind as kind
        from referenced
        join dependency on referenced.id=dependency.id
        join class as dependent_class on dependency.ref=dependent_class.id
        where
            (referenced.name != dependent_class.name or
             referenced.schema != dependent_class.schema)
    )

    select
        referenced_schema.name as referenced_schema,
        relationships.referenced_name as referenced_name,
        dependent_schema.name as dependent_schema,
        relationships.dependent_name as dependent_name
    from relationships
    join schema as dependent_schema on relationships.dependent_schema_id=dependent_schema.id
    join schema as referenced_schema on relationships.referenced_schema_id=referenced_schema.id
    group by referenced_schema, referenced_name, dependent_schema, dependent_name
    order by referenced_schema, referenced_name, dependent_schema, dependent_name;

-- ---- seed again: the table exists and this is not --full-refresh, so truncate + insert ----
-- @@
-- driver: rollback
-- note: release() closes the connection; the transaction is open, so psycopg2 rollback() first
-- @@
-- reconnect
BEGIN
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/adapters/relation.sql (default__truncate_relation, via default__reset_csv_table)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "seed.jaffle_shop.country_codes"} */
truncate table "RPLDB"."RPL_dbt"."country_codes"
-- @@
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/materializations/seeds/helpers.sql (default__load_csv_rows)
insert into "RPLDB"."RPL_dbt"."country_codes" ("code", "name", "rank", "share", "active", "since") values
          ('US','United States',1,0.25,true,'2024-01-05'::date),('DE','Germany',2,0.125,false,'2023-12-31'::date),('FR','France',3,NULL,true,NULL)
-- @@
COMMIT

-- ---- table model customer_totals: rename-and-swap ----
-- @@
-- reconnect
BEGIN
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__create_table_as)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.customer_totals"} */

  
    

  create  table "RPLDB"."RPL_dbt"."customer_totals__dbt_tmp"
  
  
    as
  
  (
    select customer_id, sum(amount) as total, count(*) as n_orders
from "RPLDB"."RPL"."orders"
where shipped
group by customer_id
  );
  
-- @@
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/relations/rename.sql (default__rename_relation)
-- via: dbt run: move the existing relation out of the way
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.customer_totals"} */
alter table "RPLDB"."RPL_dbt"."customer_totals" rename to "customer_totals__dbt_backup"
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.customer_totals"} */
alter table "RPLDB"."RPL_dbt"."customer_totals__dbt_tmp" rename to "customer_totals"
-- @@
COMMIT
-- @@
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/adapters/drop_relation.sql (default__drop_table)
-- via: dbt run: dropping the backup cascades to the view top_customers (it now refers to the backup table)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.customer_totals"} */
drop table if exists "RPLDB"."RPL_dbt"."customer_totals__dbt_backup" cascade
-- @@
-- reconnect
-- note: not sent by dbt - a check by the replay that the cascade above removed the dependent view top_customers
select table_name from information_schema.views where table_schema = 'RPL_dbt'

-- ---- view model top_customers: dbt's cache dropped it with the backup (cascade link), so no rename of an existing view ----
-- @@
-- reconnect
BEGIN
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.top_customers"} */


  create view "RPLDB"."RPL_dbt"."top_customers__dbt_tmp"
    
    
  as (
    select customer_id, total
from "RPLDB"."RPL_dbt"."customer_totals"
where total > 100
  );
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.top_customers"} */
alter table "RPLDB"."RPL_dbt"."top_customers__dbt_tmp" rename to "top_customers"
-- @@
COMMIT
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.top_customers"} */
drop view if exists "RPLDB"."RPL_dbt"."top_customers__dbt_backup" cascade

-- ---- view model order_summary: rename-and-swap ----
-- @@
-- reconnect
BEGIN
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */


  create view "RPLDB"."RPL_dbt"."order_summary__dbt_tmp"
    
    
  as (
    select
    customer,
    count(*) as order_count,
    sum(amount) as total_amount,
    max(placed_at) as last_order_at
from "RPLDB"."RPL"."orders"
group by customer
  );
-- @@
-- source: dbt-labs/dbt-core core/dbt/include/global_project/macros/relations/rename.sql (default__rename_relation)
-- via: dbt run: existing view -> backup (ALTER TABLE on a view)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */
alter table "RPLDB"."RPL_dbt"."order_summary" rename to "order_summary__dbt_backup"
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */
alter table "RPLDB"."RPL_dbt"."order_summary__dbt_tmp" rename to "order_summary"
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */

  
  comment on view "RPLDB"."RPL_dbt"."order_summary" is $dbt_comment_literal_block$One row per customer; it's built from "orders"$dbt_comment_literal_block$;

-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */

      select
          column_name,
          data_type,
          character_maximum_length,
          numeric_precision,
          numeric_scale

      from "RPLDB".INFORMATION_SCHEMA.columns
      where table_name = 'order_summary'
        
        and table_schema = 'RPL_dbt'
        
      order by ordinal_position

  
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */

  
  
    
    
    comment on column "RPLDB"."RPL_dbt"."order_summary".customer is $dbt_comment_literal_block$Customer name$dbt_comment_literal_block$;
  
    
    
    comment on column "RPLDB"."RPL_dbt"."order_summary".total_amount is $dbt_comment_literal_block$Sum of amount (NULL amounts skipped)$dbt_comment_literal_block$;
  

-- @@
COMMIT
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.order_summary"} */
drop view if exists "RPLDB"."RPL_dbt"."order_summary__dbt_backup" cascade

-- ---- incremental orders_inc: temp table, column checks, delete+insert (postgres default with unique_key) ----
-- @@
-- reconnect
BEGIN
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__create_table_as temporary, postgres__make_temp_relation: suffix __dbt_tmp + %H%M%S%f)
-- via: dbt run: run_query(get_create_table_as_sql(True, temp_relation, sql)), is_incremental() filter rendered
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_inc"} */

  
    

  create temporary table "orders_inc__dbt_tmp101530123456"
  
  
    as
  
  (
    select id, customer, amount, placed_at
from "RPLDB"."RPL"."orders"

where placed_at >= (select coalesce(max(placed_at), '1900-01-01') from "RPLDB"."RPL_dbt"."orders_inc")

  );
  
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__get_columns_in_relation)
-- via: dbt run: adapter.expand_target_column_types, columns of the temp relation (no schema: it has none)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_inc"} */

      select
          column_name,
          data_type,
          character_maximum_length,
          numeric_precision,
          numeric_scale

      from INFORMATION_SCHEMA.columns
      where table_name = 'orders_inc__dbt_tmp101530123456'
        
      order by ordinal_position

  
-- @@
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/adapters.sql (postgres__get_columns_in_relation)
-- via: dbt run: expand_target_column_types, columns of the target; then the same again for dest_columns
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_inc"} */

      select
          column_name,
          data_type,
          character_maximum_length,
          numeric_precision,
          numeric_scale

      from "RPLDB".INFORMATION_SCHEMA.columns
      where table_name = 'orders_inc'
        
        and table_schema = 'RPL_dbt'
        
      order by ordinal_position

  
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_inc"} */

      select
          column_name,
          data_type,
          character_maximum_length,
          numeric_precision,
          numeric_scale

      from "RPLDB".INFORMATION_SCHEMA.columns
      where table_name = 'orders_inc'
        
        and table_schema = 'RPL_dbt'
        
      order by ordinal_position

  
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/materializations/models/incremental/merge.sql (default__get_delete_insert_merge_sql)
-- via: dbt run: statement('main'), delete + insert in one query string
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_inc"} */

      
    
        
            delete from "RPLDB"."RPL_dbt"."orders_inc"
            where (
                id) in (
                select (id)
                from "orders_inc__dbt_tmp101530123456"
            );

        
    

    insert into "RPLDB"."RPL_dbt"."orders_inc" ("id", "customer", "amount", "placed_at")
    (
        select "id", "customer", "amount", "placed_at"
        from "orders_inc__dbt_tmp101530123456"
    )
  
-- @@
COMMIT

-- ---- incremental orders_log: append ----
-- @@
-- reconnect
BEGIN
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_log"} */

  
    

  create temporary table "orders_log__dbt_tmp101530654321"
  
  
    as
  
  (
    select id, amount
from "RPLDB"."RPL"."orders"

where amount > 300

  );
  
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_log"} */

      select
          column_name,
          data_type,
          character_maximum_length,
          numeric_precision,
          numeric_scale

      from INFORMATION_SCHEMA.columns
      where table_name = 'orders_log__dbt_tmp101530654321'
        
      order by ordinal_position

  
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_log"} */

      select
          column_name,
          data_type,
          character_maximum_length,
          numeric_precision,
          numeric_scale

      from "RPLDB".INFORMATION_SCHEMA.columns
      where table_name = 'orders_log'
        
        and table_schema = 'RPL_dbt'
        
      order by ordinal_position

  
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_log"} */

      select
          column_name,
          data_type,
          character_maximum_length,
          numeric_precision,
          numeric_scale

      from "RPLDB".INFORMATION_SCHEMA.columns
      where table_name = 'orders_log'
        
        and table_schema = 'RPL_dbt'
        
      order by ordinal_position

  
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/materializations/models/incremental/strategies.sql (get_insert_into_sql via default__get_incremental_append_sql)
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "model.jaffle_shop.orders_log"} */

      

    insert into "RPLDB"."RPL_dbt"."orders_log" ("id", "amount")
    (
        select "id", "amount"
        from "orders_log__dbt_tmp101530654321"
    )


  
-- @@
COMMIT

-- ---- dbt test: each test node auto-begins; closing the node's connection rolls back (psycopg2 rollback()) ----
-- @@
-- reconnect
BEGIN
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/materializations/tests/helpers.sql (default__get_test_sql) around generic_test_sql/not_null.sql (default__test_not_null)
-- via: dbt test not_null_order_summary_customer
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "test.jaffle_shop.not_null_order_summary_customer.4c3d6b6f0e"} */

    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
    



select customer
from "RPLDB"."RPL_dbt"."order_summary"
where customer is null



      
    ) dbt_internal_test
-- @@
-- driver: rollback
-- @@
-- reconnect
BEGIN
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/materializations/tests/helpers.sql (default__get_test_sql) around generic_test_sql/unique.sql (default__test_unique)
-- via: dbt test unique_customer_totals_customer_id
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "test.jaffle_shop.unique_customer_totals_customer_id.9a1f0c2b7d"} */

    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
    

select
    customer_id as unique_field,
    count(*) as n_records

from "RPLDB"."RPL_dbt"."customer_totals"
where customer_id is not null
group by customer_id
having count(*) > 1



      
    ) dbt_internal_test
-- @@
-- driver: rollback
-- @@
-- reconnect
BEGIN
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/materializations/tests/helpers.sql (default__get_test_sql) around generic_test_sql/accepted_values.sql (default__test_accepted_values)
-- via: dbt test accepted_values_country_codes_code__US__DE__FR
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "test.jaffle_shop.accepted_values_country_codes_code__US__DE__FR.1e2f3a4b5c"} */

    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
    

with all_values as (

    select
        code as value_field,
        count(*) as n_records

    from "RPLDB"."RPL_dbt"."country_codes"
    group by code

)

select *
from all_values
where value_field not in (
    'US','DE','FR'
)



      
    ) dbt_internal_test
-- @@
-- driver: rollback
-- @@
-- reconnect
BEGIN
-- @@
-- source: dbt-labs/dbt-adapters dbt/include/global_project/macros/materializations/tests/helpers.sql (default__get_test_sql) around generic_test_sql/relationships.sql (default__test_relationships)
-- via: dbt test relationships_customer_totals_customer_id__id__source_shop_customers_
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "node_id": "test.jaffle_shop.relationships_customer_totals_customer_id__id__source_shop_customers_.7d8e9f0a1b"} */

    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
    

with child as (
    select customer_id as from_field
    from "RPLDB"."RPL_dbt"."customer_totals"
    where customer_id is not null
),

parent as (
    select id as to_field
    from "RPLDB"."RPL"."customers"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



      
    ) dbt_internal_test
-- @@
-- driver: rollback

-- ---- dbt test models: the data the tests ran over, as a user would look at it (not dbt SQL) ----
-- @@
-- reconnect
-- note: not sent by dbt - shows the models' contents after invocation 2 so the diff covers them
select 'customer_totals' as model, customer_id::text as k, total::text as v from "RPL_dbt".customer_totals
union all select 'top_customers', customer_id::text, total::text from "RPL_dbt".top_customers
union all select 'order_summary', customer, order_count::text || '/' || coalesce(total_amount::text, 'null') || '/' || coalesce(last_order_at::text, 'null') from "RPL_dbt".order_summary
union all select 'orders_inc', id::text, coalesce(amount::text, 'null') from "RPL_dbt".orders_inc
union all select 'orders_log', id::text, amount::text from "RPL_dbt".orders_log
union all select 'country_codes', code, name || '/' || rank || '/' || coalesce(share::text, 'null') || '/' || active || '/' || coalesce(since::text, 'null') from "RPL_dbt".country_codes
-- @@
-- driver: rollback

-- ===================== dbt docs generate =====================
-- @@
-- reconnect
-- source: dbt-labs/dbt-postgres dbt/include/postgres/macros/catalog.sql 1.8 (postgres__get_catalog_relations; relation filter, via crate/dbt-cratedb2 copy)
-- via: dbt docs generate: catalog of the selected relations (models, seed, sources)
BEGIN
-- @@
/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "RPLDB.information_schema"} */


    
    

    select
        'RPLDB' as table_database,
        sch.nspname as table_schema,
        tbl.relname as table_name,
        case tbl.relkind
            when 'v' then 'VIEW'
            when 'm' then 'MATERIALIZED VIEW'
            else 'BASE TABLE'
        end as table_type,
        tbl_desc.description as table_comment,
        col.attname as column_name,
        col.attnum as column_index,
        pg_catalog.format_type(col.atttypid, col.atttypmod) as column_type,
        col_desc.description as column_comment,
        pg_get_userbyid(tbl.relowner) as table_owner

    from pg_catalog.pg_namespace sch
    join pg_catalog.pg_class tbl on tbl.relnamespace = sch.oid
    join pg_catalog.pg_attribute col on col.attrelid = tbl.oid
    left outer join pg_catalog.pg_description tbl_desc on (tbl_desc.objoid = tbl.oid and tbl_desc.objsubid = 0)
    left outer join pg_catalog.pg_description col_desc on (col_desc.objoid = tbl.oid and col_desc.objsubid = col.attnum)
    where ((upper(sch.nspname) = upper('RPL_dbt') and
           upper(tbl.relname) = upper('country_codes')) or (upper(sch.nspname) = upper('RPL_dbt') and
           upper(tbl.relname) = upper('customer_totals')) or (upper(sch.nspname) = upper('RPL_dbt') and
           upper(tbl.relname) = upper('top_customers')) or (upper(sch.nspname) = upper('RPL_dbt') and
           upper(tbl.relname) = upper('order_summary')) or (upper(sch.nspname) = upper('RPL_dbt') and
           upper(tbl.relname) = upper('orders_inc')) or (upper(sch.nspname) = upper('RPL_dbt') and
           upper(tbl.relname) = upper('orders_log')) or (upper(sch.nspname) = upper('RPL') and
           upper(tbl.relname) = upper('orders')) or (upper(sch.nspname) = upper('RPL') and
           upper(tbl.relname) = upper('customers')))
      and not pg_is_other_temp_schema(sch.oid) -- not a temporary schema belonging to another session
      and tbl.relpersistence in ('p', 'u') -- [p]ermanent table or [u]nlogged table. Exclude [t]emporary tables
      and tbl.relkind in ('r', 'v', 'f', 'p', 'm') -- o[r]dinary table, [v]iew, [f]oreign table, [p]artitioned table, [m]aterialized view. Other values are [i]ndex, [S]equence, [c]omposite type, [t]OAST table
      and col.attnum > 0 -- negative numbers are used for system columns such as oid
      and not col.attisdropped -- column as not been dropped

    order by
        sch.nspname,
        tbl.relname,
        col.attnum
-- @@
-- driver: rollback
-- @@
-- reconnect
-- source: emmyoop/dbt-core plugins/postgres/dbt/include/postgres/macros/catalog.sql 1.7 (postgres__get_catalog -> postgres__get_catalog_relations, whole-schema form)
-- via: dbt docs generate (1.7, or 1.8 with more than 100 selected relations): catalog of a whole schema
BEGIN
-- @@
/* {"app": "dbt", "dbt_version": "1.7.0", "profile_name": "jaffle_shop", "target_name": "dev", "connection_name": "RPLDB.information_schema"} */


    
    

    select
        'RPLDB' as table_database,
        sch.nspname as table_schema,
        tbl.relname as table_name,
        case tbl.relkind
            when 'v' then 'VIEW'
            else 'BASE TABLE'
        end as table_type,
        tbl_desc.description as table_comment,
        col.attname as column_name,
        col.attnum as column_index,
        pg_catalog.format_type(col.atttypid, col.atttypmod) as column_type,
        col_desc.description as column_comment,
        pg_get_userbyid(tbl.relowner) as table_owner

    from pg_catalog.pg_namespace sch
    join pg_catalog.pg_class tbl on tbl.relnamespace = sch.oid
    join pg_catalog.pg_attribute col on col.attrelid = tbl.oid
    left outer join pg_catalog.pg_description tbl_desc on (tbl_desc.objoid = tbl.oid and tbl_desc.objsubid = 0)
    left outer join pg_catalog.pg_description col_desc on (col_desc.objoid = tbl.oid and col_desc.objsubid = col.attnum)
    
    where (upper(sch.nspname) = upper('RPL'))
      and not pg_is_other_temp_schema(sch.oid) -- not a temporary schema belonging to another session
      and tbl.relpersistence in ('p', 'u') -- [p]ermanent table or [u]nlogged table. Exclude [t]emporary tables
      and tbl.relkind in ('r', 'v', 'f', 'p') -- o[r]dinary table, [v]iew, [f]oreign table, [p]artitioned table. Other values are [i]ndex, [S]equence, [c]omposite type, [t]OAST table, [m]aterialized view
      and col.attnum > 0 -- negative numbers are used for system columns such as oid
      and not col.attisdropped -- column as not been dropped

    order by
        sch.nspname,
        tbl.relname,
        col.attnum
-- @@
-- driver: rollback
-- @@
-- reconnect
-- source: dbt-labs/dbt-postgres dbt/adapters/postgres/connections.py (PostgresConnectionManager.cancel)
-- via: Ctrl-C during a run: from the master connection, terminate each node connection's backend (pid from get_backend_pid; here a pid no backend has, so the result is false and nothing is killed)
BEGIN
-- @@
select pg_terminate_backend(2147483647)
-- @@
-- driver: rollback
