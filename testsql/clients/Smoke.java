// pgjdbc smoke test, run with the JDK's source launcher:
//   java -cp /usr/share/java/postgresql.jar Smoke.java URL USER PASSWORD
// Prepared statements (server-side after the first use, binary transfer),
// setFetchSize portals (Execute with max rows), savepoints, setQueryTimeout
// (57014 through a CancelRequest) and metadata basics. Prints key=value lines that clients_test.go checks.
import java.sql.*;
import java.util.Properties;

public class Smoke {
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", args[1]);
        p.setProperty("password", args[2]);
        p.setProperty("prepareThreshold", "1");
        p.setProperty("binaryTransfer", "true");
        try (Connection c = DriverManager.getConnection(args[0], p)) {
            DatabaseMetaData md = c.getMetaData();
            System.out.println("product=" + md.getDatabaseProductName() + " " + md.getDatabaseMajorVersion());
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int4 + 1, ?::text || '!', ?::numeric * 2, ?::timestamptz")) {
                for (int i = 0; i < 3; i++) {
                    ps.setInt(1, 41 + i);
                    ps.setString(2, "hi");
                    ps.setBigDecimal(3, new java.math.BigDecimal("1.25"));
                    ps.setTimestamp(4, Timestamp.valueOf("2024-05-06 07:08:09"));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        System.out.println("row" + i + "=" + rs.getInt(1) + "," + rs.getString(2) + "," + rs.getBigDecimal(3) + "," + (rs.getTimestamp(4) != null));
                    }
                }
            }
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setFetchSize(3);
                int n = 0;
                long sum = 0;
                try (ResultSet rs = st.executeQuery("SELECT g FROM generate_series(1, 10) AS g")) {
                    while (rs.next()) { n++; sum += rs.getLong(1); }
                }
                System.out.println("fetched=" + n + ",sum=" + sum);
                st.execute("CREATE TEMP TABLE j (id int)");
                st.execute("INSERT INTO j VALUES (1)");
                Savepoint sp = c.setSavepoint();
                st.execute("INSERT INTO j VALUES (2)");
                c.rollback(sp);
                c.commit();
                try (ResultSet rs = st.executeQuery("SELECT id FROM j")) {
                    int rows = 0;
                    while (rs.next()) rows++;
                    System.out.println("after_savepoint=" + rows);
                }
                c.commit();
            }
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1/0");
            } catch (SQLException e) {
                System.out.println("error=" + e.getSQLState());
            }
            // setQueryTimeout: pgjdbc sends a CancelRequest when the timer fires.
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(1);
                long t0 = System.nanoTime();
                st.executeQuery("SELECT pg_sleep(10)");
                System.out.println("timeout=none");
            } catch (SQLException e) {
                System.out.println("timeout=" + e.getSQLState());
            }
            System.out.println("valid=" + c.isValid(2));
        }
    }
}
