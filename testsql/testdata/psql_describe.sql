CREATE SCHEMA FX;
CREATE TABLE FX.orders (id integer NOT NULL, customer text, amount numeric(10,2), placed timestamptz, flags boolean[]);
COMMENT ON TABLE FX.orders IS 'all orders';
COMMENT ON COLUMN FX.orders.amount IS 'in euros';
CREATE VIEW FX.big_orders AS SELECT id, amount FROM FX.orders WHERE amount > 100;
\dn FX
\dt FX.*
\dv FX.*
\d FX.orders
\d+ FX.orders
\d FX.big_orders
\dt+ FX.orders
\d FX.nothing
\df FX.*
\dT FX.*
\di FX.*
\ds FX.*
\dm FX.*
\d FX.*
DROP SCHEMA FX CASCADE;
