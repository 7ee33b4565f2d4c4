-- Fixture for the client replays in this directory (dbt.sql, metabase.sql, superset.sql, grafana.sql).
-- The test replaces the token RPL with a unique lower-case schema name (replace RPLDB first where it occurs
-- elsewhere; it does not occur here). Plain SQL, one statement per ';', no ';' inside literals.
-- Only what sluice has: CREATE SCHEMA/TABLE/VIEW, INSERT, COMMENT ON TABLE/COLUMN, CREATE TABLE AS.
-- No keys, indexes, sequences, serials or constraints besides NOT NULL, so PostgreSQL and sluice hold the
-- same objects. All timestamps are in UTC and fall in 2024-01-01 .. 2024-01-05 (Grafana's time range).
CREATE SCHEMA RPL;
CREATE TABLE RPL.customers (id bigint NOT NULL, name text NOT NULL, email varchar(64), country varchar(2), signup_date date, signup_ts timestamp, rating double precision);
CREATE TABLE RPL.orders (id bigint NOT NULL, customer_id bigint, customer text, amount numeric(10,2), qty integer, placed_at timestamptz, shipped boolean, note varchar(40));
INSERT INTO RPL.customers VALUES (1, 'alice', 'alice@example.com', 'US', '2023-11-02', '2023-11-02 10:00:00', 4.5), (2, 'bob', NULL, 'DE', '2023-12-15', '2023-12-15 18:30:00', 3.25), (3, 'carol', 'carol@example.com', 'FR', '2024-01-03', '2024-01-03 07:45:00', NULL), (4, 'dave', 'dave@example.com', NULL, NULL, NULL, 2);
INSERT INTO RPL.orders VALUES (1, 1, 'alice', 120.50, 2, '2024-01-01 09:15:00+00', true, 'first'), (2, 2, 'bob', 35.00, 1, '2024-01-01 17:40:00+00', true, NULL), (3, 1, 'alice', 250.00, 5, '2024-01-02 08:05:00+00', false, 'bulk'), (4, 3, 'carol', 15.25, 1, '2024-01-02 23:59:59+00', true, NULL);
INSERT INTO RPL.orders VALUES (5, 2, 'bob', 99.99, 3, '2024-01-03 12:00:00+00', NULL, 'gift'), (6, 4, 'dave', NULL, 1, '2024-01-04 06:30:00+00', false, NULL), (7, 3, 'carol', 310.00, 7, '2024-01-05 14:45:30+00', true, 'rush'), (8, 1, 'alice', 42.00, 2, NULL, false, NULL);
CREATE VIEW RPL.big_orders AS SELECT id, customer, amount, placed_at FROM RPL.orders WHERE amount > 100;
CREATE TABLE RPL.order_totals AS SELECT customer, count(*) AS orders, sum(amount) AS total FROM RPL.orders GROUP BY customer;
COMMENT ON TABLE RPL.orders IS 'Customer orders';
COMMENT ON COLUMN RPL.orders.amount IS 'Order total in EUR';
COMMENT ON COLUMN RPL.orders.placed_at IS 'When the order was placed';
COMMENT ON TABLE RPL.customers IS 'People who order';
