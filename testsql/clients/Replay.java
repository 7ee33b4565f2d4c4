// Replays a client's SQL (testsql/testdata/replays/*.sql) through pgjdbc, the driver Metabase uses, and prints
// the same normalized blocks as replay.py so that PostgreSQL's and sluice's output can be diffed.
//
//   java -cp /usr/share/java/postgresql.jar clients/Replay.java URL USER PASSWORD REPLAYFILE SCHEMA DBNAME
//
// URL is a jdbc:postgresql:// URL; SCHEMA replaces the token RPL and DBNAME the token RPLDB (RPLDB first).
// Blocks with a `-- params:` directive run as a PreparedStatement with those SQL literals bound to the ?
// markers (integers setLong, decimals setBigDecimal, true/false setBoolean, NULL setNull, 'text' setString),
// the rest through Statement.execute (pgjdbc splits multi-statement strings itself). Autocommit stays on;
// transactions in the files are explicit statements. The JVM time zone is set to UTC before connecting,
// because pgjdbc sends it as the TimeZone startup parameter.
//
// Output and masking are those of replay.py (see its docstring): `## n`, `columns: name:type_oid,...`, rows
// joined by |, NULL as NULL, sorted unless the last statement has a top-level ORDER BY; `status: <update
// count>` for statements without rows; `warning: <SQLSTATE>` for WARNING notices; `error: <SQLSTATE>` (the
// message goes to stderr). Masked columns (case-insensitive, NULL too): oid, pid, pg_backend_pid, table_oid, relid,
// reloid, objoid, attrelid, typarray, ev_class, estimated_row_count, n_live_tup, reltuples, relpages; the
// schema name (substring) prints as RPL (user and database: see replay.py for the same-name case), a version() string in a column named version as <PostgreSQL NN>, the database name as RPLDB, the user as <user>.
// Values are read with getString: the server's text (results arrive in text format: every statement is
// executed once, below pgjdbc's prepareThreshold, so no binary transfer).

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Replay {
    static final Set<String> MASKED = new HashSet<>(Arrays.asList("oid", "pid", "pg_backend_pid", "table_oid",
            "relid", "reloid", "objoid", "attrelid", "typarray", "ev_class", "estimated_row_count", "n_live_tup",
            "reltuples", "relpages"));
    static final Pattern DIRECTIVE =
            Pattern.compile("^-- (source|via|note|reconnect|driver|only|save|params|expect|mode)\\b:?\\s*(.*)$");
    static final Pattern USERCOL = Pattern.compile("owner|user|role|grantee|grantor|usename", Pattern.CASE_INSENSITIVE);
    static final Pattern VERSION = Pattern.compile("(?:PostgreSQL|EnterpriseDB) \\d+");
    static final Pattern COST = Pattern.compile("cost=[\\d.]+\\.\\.[\\d.]+ rows=\\d+ width=\\d+");

    record Block(List<String[]> directives, String sql) {}

    String url, user, password, schema, dbname;
    Connection conn;
    Map<String, String> saved = new HashMap<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: Replay URL USER PASSWORD REPLAYFILE SCHEMA DBNAME");
            System.exit(2);
        }
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        Replay r = new Replay();
        r.url = args[0];
        r.user = args[1];
        r.password = args[2];
        r.schema = args[4];
        r.dbname = args[5];
        List<Block> blocks = parse(Path.of(args[3]));
        r.connect();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            all.append("## ").append(i + 1).append('\n');
            for (String line : r.run(blocks.get(i))) {
                all.append(line).append('\n');
            }
        }
        System.out.print(all);
        r.conn.close();
    }

    static List<Block> parse(Path p) throws Exception {
        String[] lines = new String(Files.readAllBytes(p), StandardCharsets.UTF_8).split("\n", -1);
        List<List<String>> raw = new ArrayList<>();
        List<String> cur = null;
        for (String line : lines) {
            if (line.equals("-- @@")) {
                cur = new ArrayList<>();
                raw.add(cur);
            } else if (cur != null) {
                cur.add(line);
            }
        }
        List<Block> out = new ArrayList<>();
        for (List<String> b : raw) {
            List<String[]> dirs = new ArrayList<>();
            int i = 0;
            while (i < b.size()) {
                Matcher m = DIRECTIVE.matcher(b.get(i));
                if (!m.matches()) break;
                dirs.add(new String[] {m.group(1), m.group(2).trim()});
                i++;
            }
            List<String> body = new ArrayList<>(b.subList(i, b.size()));
            while (!body.isEmpty()) {
                String last = body.get(body.size() - 1);
                if (last.trim().isEmpty() || last.startsWith("--")) body.remove(body.size() - 1);
                else break;
            }
            out.add(new Block(dirs, String.join("\n", body)));
        }
        return out;
    }

    void connect() throws SQLException {
        if (conn != null) {
            try { conn.close(); } catch (SQLException e) { /* ignore */ }
        }
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        conn = DriverManager.getConnection(url, props);
    }

    String subst(String s) {
        s = s.replace("RPLDB", dbname).replace("RPL", schema);
        for (Map.Entry<String, String> e : saved.entrySet()) s = s.replace("${" + e.getKey() + "}", e.getValue());
        return s;
    }

    String norm(String v, String column) {
        if (v == null) return "NULL";
        if (v.equals(user) && USERCOL.matcher(column).find()) return "<user>";
        if (v.equals(dbname)) return "RPLDB";
        if (v.equals(user)) return "<user>";
        return v.replace(schema, "RPL");
    }

    static void warnings(SQLWarning w, List<String> out) {
        for (; w != null; w = w.getNextWarning()) {
            if (w instanceof org.postgresql.util.PSQLWarning pw && pw.getServerErrorMessage() != null
                    && "WARNING".equals(pw.getServerErrorMessage().getSeverity())) {
                out.add("warning: " + w.getSQLState());
            }
        }
    }

    static int typeOid(ResultSetMetaData md, int col) {
        try {
            java.lang.reflect.Method m = md.getClass().getDeclaredMethod("getField", int.class);
            m.setAccessible(true);
            Object f = m.invoke(md, col);
            return (Integer) f.getClass().getMethod("getOID").invoke(f);
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }

    static List<String> splitParams(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inStr = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                if (inStr && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                    cur.append("''");
                    i++;
                    continue;
                }
                inStr = !inStr;
                cur.append(c);
            } else if (c == ',' && !inStr) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) out.add(cur.toString().trim());
        return out;
    }

    void bind(PreparedStatement ps, List<String> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            String p = params.get(i);
            int idx = i + 1;
            if (p.startsWith("'")) {
                ps.setString(idx, subst(p.substring(1, p.length() - 1).replace("''", "'")));
            } else if (p.equalsIgnoreCase("NULL")) {
                ps.setNull(idx, Types.VARCHAR);
            } else if (p.equalsIgnoreCase("true") || p.equalsIgnoreCase("false")) {
                ps.setBoolean(idx, Boolean.parseBoolean(p));
            } else if (p.matches("-?\\d+")) {
                ps.setLong(idx, Long.parseLong(p));
            } else {
                ps.setBigDecimal(idx, new BigDecimal(p));
            }
        }
    }

    List<String> run(Block b) {
        List<String> out = new ArrayList<>();
        Map<String, String> d = new HashMap<>();
        for (String[] kv : b.directives()) d.putIfAbsent(kv[0], kv[1]);
        try {
            if (d.containsKey("reconnect")) {
                connect();
                out.add("reconnect");
            }
            if ("commit".equals(d.get("driver"))) {
                conn.commit();
                out.add("driver: commit");
            } else if ("rollback".equals(d.get("driver"))) {
                conn.rollback();
                out.add("driver: rollback");
            }
        } catch (SQLException e) {
            out.add("error: " + e.getSQLState());
        }
        if (b.sql().trim().isEmpty()) return out;
        String sql = subst(b.sql());
        Statement st = null;
        try {
            boolean hasRs;
            if (d.containsKey("params")) {
                PreparedStatement ps = conn.prepareStatement(sql);
                bind(ps, splitParams(d.get("params")));
                st = ps;
                hasRs = ps.execute();
            } else {
                st = conn.createStatement();
                hasRs = st.execute(sql);
            }
            List<String> colsLine = null;
            List<List<String>> rows = null;
            List<String> names = null;
            String status = null;
            while (true) {
                if (hasRs) {
                    try (ResultSet rs = st.getResultSet()) {
                        ResultSetMetaData md = rs.getMetaData();
                        names = new ArrayList<>();
                        List<String> cols = new ArrayList<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            names.add(md.getColumnLabel(i));
                            cols.add(md.getColumnLabel(i) + ":" + typeOid(md, i));
                        }
                        colsLine = cols;
                        rows = new ArrayList<>();
                        while (rs.next()) {
                            List<String> row = new ArrayList<>();
                            for (int i = 1; i <= md.getColumnCount(); i++) row.add(rs.getString(i));
                            rows.add(row);
                        }
                        status = null;
                    }
                } else {
                    int n = st.getUpdateCount();
                    if (n == -1) break;
                    status = String.valueOf(n);
                    colsLine = null;
                }
                hasRs = st.getMoreResults();
            }
            warnings(st.getWarnings(), out);
            if (colsLine == null) {
                out.add("status: " + (status == null ? "" : status));
                return out;
            }
            out.add("columns: " + String.join(",", colsLine));
            if (d.containsKey("save") && !rows.isEmpty()) {
                saved.put(d.get("save"), rows.get(0).get(0));
                out.add("saved: " + d.get("save"));
            }
            if (d.containsKey("only")) {
                String[] kv = d.get("only").split("=", 2);
                boolean prefix = kv[0].endsWith("^");
                int idx = names.indexOf((prefix ? kv[0].substring(0, kv[0].length() - 1) : kv[0]).trim());
                String want = subst(kv[1].trim());
                List<List<String>> keep = new ArrayList<>();
                for (List<String> r : rows) {
                    String v = r.get(idx);
                    if (v != null && (prefix ? v.startsWith(want) : v.equals(want))) keep.add(r);
                }
                rows = keep;
            }
            int plan = names.indexOf("QUERY PLAN");
            if (plan >= 0 && rows.size() > 1) rows = rows.subList(0, 1);
            List<String> text = new ArrayList<>();
            for (List<String> r : rows) {
                List<String> vals = new ArrayList<>();
                for (int i = 0; i < r.size(); i++) {
                    String v = r.get(i);
                    if (MASKED.contains(names.get(i).toLowerCase())) vals.add("<masked>");
                    else if (names.get(i).equalsIgnoreCase("version") && v != null && VERSION.matcher(v).find()) {
                        Matcher vm = VERSION.matcher(v);
                        vm.find();
                        vals.add("<" + vm.group() + ">");
                    } else if (i == plan) vals.add(v != null && COST.matcher(v).find() ? "<plan cost=ok>" : norm(v, names.get(i)));
                    else vals.add(norm(v, names.get(i)));
                }
                text.add(String.join("|", vals));
            }
            if (!hasTopLevelOrderBy(sql)) Collections.sort(text);
            out.addAll(text);
        } catch (SQLException e) {
            if (st != null) {
                try { warnings(st.getWarnings(), out); } catch (SQLException ignored) { /* ignore */ }
            }
            out.add("error: " + e.getSQLState());
            System.err.println("error " + e.getSQLState() + ": " + e.getMessage().split("\n")[0]);
            try {
                if (conn.isClosed()) connect();
                else if (!conn.getAutoCommit()) conn.rollback();
            } catch (SQLException ignored) { /* ignore */ }
        } finally {
            if (st != null) {
                try { st.close(); } catch (SQLException ignored) { /* ignore */ }
            }
        }
        return out;
    }

    // SQL with comments, string literals, quoted identifiers and dollar quotes blanked out.
    static String stripSql(String sql) {
        StringBuilder out = new StringBuilder();
        int i = 0, n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (sql.startsWith("--", i)) {
                int j = sql.indexOf('\n', i);
                i = j < 0 ? n : j;
            } else if (sql.startsWith("/*", i)) {
                int j = sql.indexOf("*/", i + 2);
                i = j < 0 ? n : j + 2;
                out.append(' ');
            } else if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                i = j + 1;
                out.append(" x ");
            } else if (c == '$') {
                Matcher m = Pattern.compile("^\\$[A-Za-z_]*\\$").matcher(sql.substring(i));
                if (m.find()) {
                    String tag = m.group();
                    int j = sql.indexOf(tag, i + tag.length());
                    i = j < 0 ? n : j + tag.length();
                    out.append(" x ");
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    static boolean hasTopLevelOrderBy(String sql) {
        String[] parts = stripSql(sql).split(";");
        String last = null;
        for (String p : parts) if (!p.trim().isEmpty()) last = p;
        if (last == null) return false;
        StringBuilder flat = new StringBuilder();
        int depth = 0;
        for (char ch : last.toCharArray()) {
            if (ch == '(') depth++;
            else if (ch == ')') depth--;
            flat.append(depth == 0 && ch != '(' && ch != ')' ? ch : ' ');
        }
        return Pattern.compile("\\border\\s+by\\b", Pattern.CASE_INSENSITIVE).matcher(flat).find();
    }
}
