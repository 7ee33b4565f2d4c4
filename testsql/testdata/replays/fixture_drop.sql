-- Drops the replay fixture (RPL is replaced as in fixture.sql). dbt.sql builds its models in RPL_dbt.
DROP SCHEMA IF EXISTS RPL_dbt CASCADE;
DROP SCHEMA RPL CASCADE;
