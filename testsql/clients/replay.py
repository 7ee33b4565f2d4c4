"""Replays a client's SQL (testsql/testdata/replays/*.sql) through psycopg2, the driver dbt-postgres and
Superset (SQLAlchemy 1.4) use, and prints one normalized block per statement block so that the output
from PostgreSQL and from sluice can be diffed.

Run with /usr/bin/python3 (Debian's psycopg2):
    python3 replay.py URL REPLAYFILE SCHEMA DBNAME
URL is a libpq URL; SCHEMA replaces the token RPL and DBNAME the token RPLDB (RPLDB first).

Connection: psycopg2 with autocommit OFF, as dbt-postgres and SQLAlchemy use it: psycopg2 sends its own
BEGIN before the first statement of a transaction, the tools' BEGIN/COMMIT statements from the file are
sent as they are, and driver-level commits/rollbacks are the `-- driver:` directive. A header line
`-- mode: autocommit` (grafana.sql: lib/pq has no implicit transactions) turns autocommit on.
After an error the runner rolls back (conn.rollback(), then ROLLBACK if the server is still in a
transaction) and goes on. At the end the connection is closed without a commit, as dbt does.

File format and directives: see the header of testdata/replays/dbt.sql. `-- only: col=value` keeps rows whose
column equals value, `-- only: col^=value` rows whose column starts with value.

Output per block, after a line `## <block number>`:
    columns: name:type_oid,...        then one line per row, values joined by |, NULL as NULL
    status: <command tag>             for statements without a result (EMPTY QUERY for an empty query)
    warning: <first line>             WARNING notices (e.g. BEGIN inside a transaction, 25001)
    error: <SQLSTATE>                 (the message goes to stderr)
    saved/driver/reconnect lines      for directives
Rows are sorted unless the (last) statement has ORDER BY at its top level.
All values are fetched as the server's text (no Python conversion).

Masking, so that two runs against PostgreSQL print the same thing and the output does not depend on the
names chosen by the test:
  - values (NULL too) of columns named (case-insensitive) oid, pid, pg_backend_pid, table_oid, relid, reloid,
    objoid, attrelid, typarray, ev_class, estimated_row_count, n_live_tup, reltuples, relpages -> <masked>
  - column "version" holding a version() string -> <PostgreSQL NN> (what SQLAlchemy parses)
  - column "QUERY PLAN" (EXPLAIN): only row 1 is printed, as <plan cost=ok> when it carries
    "cost=a..b rows=n width=w" (what Superset parses), else the raw text
  - the schema name (substring) -> RPL, the database name (whole value) -> RPLDB, the session user
    (whole value) -> <user>; when user and database have the same name (sluice: both "sluice"), <user> is
    used only in columns whose name contains owner/user/role/grantee/grantor/usename
"""
import re
import sys

import psycopg2
import psycopg2.extensions as ext

MASKED = {"oid", "pid", "pg_backend_pid", "table_oid", "relid", "reloid", "objoid", "attrelid", "typarray",
          "ev_class", "estimated_row_count", "n_live_tup", "reltuples", "relpages"}
DIRECTIVE = re.compile(r"^-- (source|via|note|reconnect|driver|only|save|params|expect|mode)\b:?\s*(.*)$")
USERCOL = re.compile(r"owner|user|role|grantee|grantor|usename", re.I)
VERSION = re.compile(r"(?:PostgreSQL|EnterpriseDB) \d+")
COST = re.compile(r"cost=[\d.]+\.\.[\d.]+ rows=\d+ width=\d+")


def raw_text_typecasters():
    """Make psycopg2 return every value as the text the server sent."""
    for oid in list(ext.string_types.keys()):
        ext.register_type(ext.new_type((oid,), "RAW%d" % oid, lambda value, cur: value))


def parse(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    header, blocks, cur = [], [], None
    for line in lines:
        if line == "-- @@":
            cur = []
            blocks.append(cur)
        elif cur is None:
            header.append(line)
        else:
            cur.append(line)
    out = []
    for b in blocks:
        directives, i = [], 0
        while i < len(b) and DIRECTIVE.match(b[i]):
            m = DIRECTIVE.match(b[i])
            directives.append((m.group(1), m.group(2).strip()))
            i += 1
        body = b[i:]
        while body and (body[-1].strip() == "" or body[-1].startswith("--")):
            body.pop()
        out.append((directives, "\n".join(body)))
    return header, out


def strip_sql(sql):
    """SQL with comments, string literals and quoted identifiers blanked out."""
    out, i, n = [], 0, len(sql)
    while i < n:
        c = sql[i]
        if sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif c == "'" or c == '"':
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
            out.append(" x ")
        elif c == "$":
            m = re.match(r"\$[A-Za-z_]*\$", sql[i:])
            if m:
                tag = m.group(0)
                j = sql.find(tag, i + len(tag))
                i = n if j < 0 else j + len(tag)
                out.append(" x ")
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def has_top_level_order_by(sql):
    text = strip_sql(sql)
    parts = [p for p in text.split(";") if p.strip()]
    if not parts:
        return False
    last, depth, flat = parts[-1], 0, []
    for ch in last:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        flat.append(ch if depth == 0 and ch not in "()" else " ")
    return re.search(r"\border\s+by\b", "".join(flat), re.I) is not None


class Runner:
    def __init__(self, url, schema, dbname, autocommit):
        self.url, self.schema, self.dbname, self.autocommit = url, schema, dbname, autocommit
        self.saved = {}
        self.conn = None
        self.connect()

    def connect(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except psycopg2.Error:
                pass
        self.conn = psycopg2.connect(self.url)
        self.conn.autocommit = self.autocommit
        self.user = self.conn.info.user

    def subst(self, s):
        s = s.replace("RPLDB", self.dbname).replace("RPL", self.schema)
        for k, v in self.saved.items():
            s = s.replace("${%s}" % k, v)
        return s

    def norm(self, value, column):
        if value is None:
            return "NULL"
        if value == self.user and USERCOL.search(column):
            return "<user>"
        if value == self.dbname:
            return "RPLDB"
        if value == self.user:
            return "<user>"
        return value.replace(self.schema, "RPL")

    def notices(self, out):
        for n in self.conn.notices:
            first = n.strip().split("\n")[0]
            if first.startswith("WARNING"):
                out.append("warning: " + first)
        del self.conn.notices[:]

    def recover(self):
        try:
            self.conn.rollback()
            if self.conn.info.transaction_status != ext.TRANSACTION_STATUS_IDLE:
                self.conn.cursor().execute("ROLLBACK")
        except psycopg2.Error:
            self.connect()
        del self.conn.notices[:]

    def run_block(self, directives, sql):
        out = []
        d = dict()
        for k, v in directives:
            d.setdefault(k, v)
        if "reconnect" in d:
            self.connect()
            out.append("reconnect")
        if d.get("driver") in ("commit", "rollback"):
            try:
                getattr(self.conn, d["driver"])()
                out.append("driver: " + d["driver"])
            except psycopg2.Error as e:
                out.append("error: %s" % e.pgcode)
                self.recover()
        if not sql.strip():
            return out
        sql = self.subst(sql)
        cur = self.conn.cursor()
        try:
            cur.execute(sql)
        except psycopg2.Error as e:
            self.notices(out)
            if e.pgcode is None and "empty query" in str(e):
                # libpq got EmptyQueryResponse (e.g. lib/pq's Ping ";"); psycopg2 reports it as an error
                out.append("status: EMPTY QUERY")
                return out
            out.append("error: %s" % e.pgcode)
            msg = (getattr(e, "pgerror", None) or str(e)).strip().split("\n")[0]
            sys.stderr.write("error %s: %s\n" % (e.pgcode, msg))
            if e.pgcode is None and self.conn.closed:
                self.connect()
            else:
                self.recover()
            return out
        self.notices(out)
        if cur.description is None:
            out.append("status: " + (cur.statusmessage or ""))
            return out
        names = [c.name for c in cur.description]
        out.append("columns: " + ",".join("%s:%s" % (c.name, c.type_code) for c in cur.description))
        rows = cur.fetchall()
        if "save" in d and rows:
            self.saved[d["save"]] = rows[0][0]
            out.append("saved: " + d["save"])
        if "only" in d:
            col, _, want = d["only"].partition("=")
            prefix = col.endswith("^")
            idx = names.index(col.rstrip("^").strip())
            want = self.subst(want.strip())
            rows = [r for r in rows if r[idx] is not None and (r[idx].startswith(want) if prefix else r[idx] == want)]
        plan = [i for i, n in enumerate(names) if n == "QUERY PLAN"]
        if plan:
            rows = rows[:1]
        text = []
        for r in rows:
            vals = []
            for i, v in enumerate(r):
                if names[i].lower() in MASKED:
                    vals.append("<masked>")
                elif names[i].lower() == "version" and v is not None and VERSION.search(v):
                    vals.append("<%s>" % VERSION.search(v).group(0))
                elif i in plan:
                    vals.append("<plan cost=ok>" if COST.search(v or "") else self.norm(v, names[i]))
                else:
                    vals.append(self.norm(v, names[i]))
            text.append("|".join(vals))
        if not has_top_level_order_by(sql):
            text.sort()
        out.extend(text)
        return out


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: replay.py URL REPLAYFILE SCHEMA DBNAME")
    url, path, schema, dbname = sys.argv[1:5]
    raw_text_typecasters()
    header, blocks = parse(path)
    autocommit = any(re.match(r"^-- mode:\s*autocommit\b", h) for h in header)
    r = Runner(url, schema, dbname, autocommit)
    for n, (directives, sql) in enumerate(blocks, 1):
        print("## %d" % n)
        for line in r.run_block(directives, sql):
            print(line)
    try:
        r.conn.close()
    except psycopg2.Error:
        pass


if __name__ == "__main__":
    main()
