/* {"app": "dbt", "dbt_version": "1.7.0", "node_id": "model.x.orders"} */
create schema if not exists "SCHEMA";
create schema if not exists "SCHEMA";
begin;
create table "DB"."SCHEMA"."orders__dbt_tmp" as (
  select 1 as id, 'a'::text as name union all select 2, 'b'
);
alter table "DB"."SCHEMA"."orders__dbt_tmp" rename to "orders";
comment on table "SCHEMA"."orders" is 'orders model';
comment on column "SCHEMA"."orders"."id" is 'the id';
commit;
create view "SCHEMA"."orders_v__dbt_tmp" as (
  select id, upper(name) as n from "SCHEMA"."orders"
);
alter table "SCHEMA"."orders_v__dbt_tmp" rename to "orders_v";
select * from SCHEMA.orders_v order by id;
begin;
insert into SCHEMA.orders values (3, 'c');
select count(*) from SCHEMA.orders_v;
rollback;
select count(*) from SCHEMA.orders;
insert into SCHEMA.orders select id + 10, name from SCHEMA.orders;
select id, name from SCHEMA.orders order by id;
drop table SCHEMA.orders;
drop view if exists "SCHEMA"."nope" cascade;
drop table if exists "SCHEMA"."orders__dbt_backup" cascade;
alter table if exists "SCHEMA"."nope" rename to "nope2";
create table SCHEMA.orders (x int);
drop table if exists "SCHEMA"."orders" cascade;
select * from SCHEMA.orders_v;
create table SCHEMA.t2 (a int not null, b text);
insert into SCHEMA.t2 values (null, 'x');
insert into SCHEMA.t2 (b) values ('y');
truncate SCHEMA.t2;
drop schema SCHEMA;
drop schema SCHEMA cascade;
drop schema SCHEMA;
drop schema if exists SCHEMA;
