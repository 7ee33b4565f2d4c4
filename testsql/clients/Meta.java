// pgjdbc DatabaseMetaData over a fixture, as BI tools and IDEs call it:
//   java -cp /usr/share/java/postgresql.jar Meta.java URL USER PASSWORD SCHEMA
// Prints one line per metadata row; clients_test.go compares sluice's
// output with PostgreSQL's.
import java.sql.*;
import java.util.Properties;

public class Meta {
    interface Call { ResultSet run() throws SQLException; }

    // dump prints a metadata call's rows, or "error|what|SQLSTATE".
    static void dump(String what, Call call, String... cols) {
        try (ResultSet rs = call.run()) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder(what);
                for (String c : cols) b.append('|').append(rs.getString(c));
                System.out.println(b);
            }
        } catch (SQLException e) {
            System.out.println("error|" + what + "|" + e.getSQLState());
        }
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", args[1]);
        p.setProperty("password", args[2]);
        String s = args[3];
        try (Connection c = DriverManager.getConnection(args[0], p); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
            st.execute("CREATE SCHEMA " + s);
            st.execute("CREATE TABLE " + s + ".items (id bigint NOT NULL, code varchar(12), price numeric(9,3), qty integer, seen timestamptz, ok boolean, tags text[])");
            st.execute("COMMENT ON TABLE " + s + ".items IS 'the items'");
            st.execute("COMMENT ON COLUMN " + s + ".items.price IS 'unit price'");
            st.execute("CREATE VIEW " + s + ".item_codes AS SELECT code, count(*) AS n FROM " + s + ".items GROUP BY code");
            DatabaseMetaData md = c.getMetaData();
            dump("schema", () -> md.getSchemas(null, s), "TABLE_SCHEM");
            dump("table", () -> md.getTables(null, s, "%", null), "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS");
            dump("table-types", () -> md.getTables(null, s, "%", new String[] {"VIEW"}), "TABLE_NAME", "TABLE_TYPE");
            dump("column", () -> md.getColumns(null, s, "%", "%"), "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME",
                "COLUMN_SIZE", "DECIMAL_DIGITS", "NULLABLE", "REMARKS", "ORDINAL_POSITION", "IS_NULLABLE", "IS_AUTOINCREMENT");
            dump("pk", () -> md.getPrimaryKeys(null, s, "items"), "COLUMN_NAME");
            dump("index", () -> md.getIndexInfo(null, s, "items", false, true), "INDEX_NAME");
            dump("fk", () -> md.getImportedKeys(null, s, "items"), "FKCOLUMN_NAME");
            int types = 0;
            try (ResultSet rs = md.getTypeInfo()) { while (rs.next()) types++; }
            System.out.println("typeinfo>20=" + (types > 20));
            st.execute("DROP SCHEMA " + s + " CASCADE");
        }
    }
}
