package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/catalog/pgcatalog"
	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/bind"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/planner/rules"
	"github.com/sluicedb/sluice/server/pgwire"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/parse"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// prepared is a parsed (and, for queries, planned) statement.
type prepared struct {
	name       string
	sql        string
	stmt       *parse.Statement // nil for an empty query
	paramTypes []types.Type
	plan       *planner.Plan       // SELECT/VALUES
	ins        *planner.InsertPlan // INSERT
	ret        *bind.ReturningPlan // INSERT/UPDATE/DELETE … RETURNING
	fromSQL    bool                // created by SQL PREPARE
	created    time.Time
	cat        *catalog.State // the catalog state the plan was bound against
}

// planErr is the error PostgreSQL would raise when planning the statement.
func (p *prepared) planErr() error {
	switch {
	case p.plan != nil:
		return p.plan.Err
	case p.ins != nil:
		return p.ins.Err
	}
	return nil
}

// portal is a bound statement ready to run, or an open SQL cursor.
type portal struct {
	name    string
	prep    *prepared
	plan    *planner.Plan // the plan to run: prep's, or a custom one for params
	params  []types.Datum
	formats []int16
	cursor  bool // created by DECLARE
	hold    bool

	cols   []plan.Column
	stream connectors.RecordStream
	batch  arrow.RecordBatch
	off    int
	done   bool
	ran    bool // a non-row statement already executed
	pos    int64
}

func (p *portal) close() {
	if p.batch != nil {
		p.batch.Release()
		p.batch = nil
	}
	if p.stream != nil {
		p.stream.Close()
		p.stream = nil
	}
}

type txState int

const (
	txIdle txState = iota
	txImplicit
	txExplicit
	txFailed
)

// Session is one connection's state; it implements pgwire.Handler.
type Session struct {
	m        *Manager
	key      pgwire.BackendKey
	notify   pgwire.Notifier
	user     string
	super    bool
	appStart *pgwire.Startup

	set      *settings
	reported map[string]string // ParameterStatus values the client has

	prepared map[string]*prepared
	portals  map[string]*portal
	temp     map[string]*plan.MemTable

	tx        txState
	txStart   time.Time
	undo      []undoEntry
	saves     []savepoint
	txSaved   map[string]string // settings at transaction start
	txModes   ast.TxModes
	stmtTime  time.Time
	notices   []sqlerr.Notice      // warnings raised by the running statement
	relOID    types.OID            // last OID given to a temporary table
	catTx     *catTx               // a transaction block's pending catalog changes
	plans     map[string]*prepared // simple queries' plans by text (see simplePlan)
	tempGen   int                  // bumped whenever the set of temporary tables changes
	replaying bool                 // COMMIT is replaying a block's catalog changes
	batch     bool                 // running a multi-statement simple query
	act       activity             // what pg_stat_activity shows
}

var _ pgwire.Handler = (*Session)(nil)

func newSession(m *Manager, st *pgwire.Startup, key pgwire.BackendKey, n pgwire.Notifier, role catalog.Role) *Session {
	s := &Session{m: m, key: key, notify: n, user: role.Name, super: role.Superuser, appStart: st,
		set: newSettings(), reported: map[string]string{}, prepared: map[string]*prepared{},
		portals: map[string]*portal{}, temp: map[string]*plan.MemTable{}}
	s.set.vals["session_authorization"] = role.Name
	s.act.backendStart, s.act.stateChange, s.act.state = time.Now(), time.Now(), "idle"
	if role.Superuser {
		s.set.vals["is_superuser"] = "on"
	}
	return s
}

func (s *Session) setFromStartup(k, v string) error {
	key, val, err := validate(k, v)
	if err != nil {
		return err
	}
	s.set.vals[key] = val
	return nil
}

// markReported records the current reportable values as sent.
func (s *Session) markReported() {
	for _, d := range settingList {
		if d.report {
			v, _ := s.set.get(d.name)
			s.reported[d.name] = v
		}
	}
}

// reportedStatus lists ParameterStatus pairs in PostgreSQL's order.
func (s *Session) reportedStatus() [][2]string {
	var out [][2]string
	for _, d := range settingList {
		if d.report {
			out = append(out, [2]string{d.name, s.reported[d.name]})
		}
	}
	return out
}

// reportChanges sends ParameterStatus for reportable settings that changed.
func (s *Session) reportChanges(w *pgwire.ResultWriter) {
	for _, d := range settingList {
		if !d.report {
			continue
		}
		v, _ := s.set.get(d.name)
		if s.reported[d.name] != v {
			s.reported[d.name] = v
			w.ParameterStatus(d.name, v)
		}
	}
}

// Terminate implements pgwire.Handler.
func (s *Session) Terminate() {
	for _, p := range s.portals {
		p.close()
	}
	s.m.remove(s.key.PID)
}

// TxStatus implements pgwire.Handler.
func (s *Session) TxStatus() byte {
	switch s.tx {
	case txExplicit:
		return 'T'
	case txFailed:
		return 'E'
	}
	return 'I'
}

// IdleInTransactionTimeout implements pgwire.Handler.
func (s *Session) IdleInTransactionTimeout() int64 {
	return s.set.durationMS("idle_in_transaction_session_timeout")
}

func (s *Session) format() *types.Format {
	return &types.Format{Loc: s.set.location(), ExtraFloatDigits: s.set.int("extra_float_digits"), Relations: pgcatalog.Info{S: catalogSession{s}}}
}

// nextRelOID numbers relations like PostgreSQL's user OIDs (from 16384).
func (s *Session) nextRelOID() types.OID {
	s.relOID++
	return 16384 + s.relOID
}

// env builds the planner environment for one statement.
func (s *Session) env() *expr.Env {
	return &expr.Env{
		Format: s.format(), User: s.user, SessionUser: s.user, Database: DatabaseName,
		BackendPID: int32(s.key.PID), Version: s.m.VersionString(), TxStart: s.txStartTime(), StmtStart: s.stmtTime,
		MemoryLimit: s.memoryLimit(), Catalog: catalogInfo{pgcatalog.Info{S: catalogSession{s}}, s},
		Setting: func(name string, missingOK bool) (types.Datum, error) {
			v, ok := s.set.get(name)
			if !ok {
				if missingOK {
					return nil, nil
				}
				return nil, unrecognized(name)
			}
			return v, nil
		},
		SetSetting: func(name, value string, local bool) (string, error) {
			if err := s.setVar(&ast.SetVar{Kind: ast.SetValue, Name: strings.ToLower(name), Values: []string{value}, Local: local}); err != nil {
				return "", err
			}
			v, _ := s.set.get(name)
			return v, nil
		},
		Signal: func(pid int32, terminate bool) (bool, error) {
			if s.m.Signaler == nil {
				return false, nil
			}
			ok := s.m.Signaler.Signal(uint32(pid), terminate)
			if !ok {
				s.notices = append(s.notices, sqlerr.Notice{Severity: sqlerr.SeverityWarning, Code: "01000",
					Message: fmt.Sprintf("PID %d is not a PostgreSQL backend process", pid)})
				return false, nil
			}
			return true, nil
		},
	}
}

func (s *Session) disabledRules() map[string]bool {
	v, _ := s.set.get("sluice.disabled_rules")
	if v == "" {
		return nil
	}
	return rules.Disabled(v)
}

func (s *Session) memoryLimit() int64 {
	v, _ := s.set.get("sluice.query_memory")
	n, _ := parseMemoryBytes(v)
	return n
}

func (s *Session) txStartTime() time.Time {
	if s.tx == txIdle || s.txStart.IsZero() {
		return s.stmtTime
	}
	return s.txStart
}

// guard runs fn and turns a panic into XX000, logging the stack.
func (s *Session) guard(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.m.Logger.Error("panic in statement", "pid", s.key.PID, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = sqlerr.Internal("internal error: %v", r)
		}
	}()
	return fn()
}

// withTimeout applies statement_timeout to ctx.
func (s *Session) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if ms := s.set.durationMS("statement_timeout"); ms > 0 {
		return context.WithTimeoutCause(ctx, time.Duration(ms)*time.Millisecond,
			sqlerr.New(sqlerr.QueryCanceled, "canceling statement due to statement timeout"))
	}
	return ctx, func() {}
}

// ctxErr names the reason a statement context ended, else returns err.
func ctxErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		if c := context.Cause(ctx); c != nil {
			var se *sqlerr.Error
			if errors.As(c, &se) {
				return se
			}
		}
	}
	return err
}

func (s *Session) observe(tag string, start time.Time, err error) {
	mt := s.m.Metrics
	if mt == nil {
		return
	}
	if tag == "" {
		tag = "EMPTY"
	}
	mt.Statements.WithLabelValues(tag).Inc()
	mt.Latency.WithLabelValues(tag).Observe(time.Since(start).Seconds())
	if err != nil {
		mt.Errors.WithLabelValues(string(sqlerr.CodeOf(err))).Inc()
	}
}

// Query implements pgwire.Handler: the simple protocol.
func (s *Session) Query(ctx context.Context, sql string, w *pgwire.ResultWriter) error {
	s.beginActivity(sql)
	defer func() { s.act.end(s.idleState()) }()
	s.stmtTime = time.Now()
	stmts, err := parse.Parse(sql)
	if err != nil {
		s.observe("", s.stmtTime, err)
		s.failBatch()
		return err
	}
	if len(stmts) == 0 {
		w.EmptyQuery()
		return nil
	}
	s.batch = len(stmts) > 1
	defer func() { s.batch = false }()
	for i := range stmts {
		st := &stmts[i]
		start := time.Now()
		s.stmtTime = start
		err := s.guard(func() error { return s.simpleStmt(ctx, st, w) })
		s.observe(st.Tag, start, err)
		s.reportChanges(w)
		if err != nil {
			s.failBatch()
			s.reportChanges(w)
			return err
		}
	}
	if s.tx == txImplicit {
		if err := s.commitCatalog(); err != nil {
			s.failBatch()
			s.reportChanges(w)
			return err
		}
	}
	s.endImplicit(true)
	s.reportChanges(w)
	return nil
}

func (s *Session) simpleStmt(ctx context.Context, st *parse.Statement, w *pgwire.ResultWriter) error {
	if err := s.checkFailed(st); err != nil {
		return err
	}
	s.beginImplicit()
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	prep, err := s.simplePlan(st)
	if err != nil {
		return ctxErr(ctx, err)
	}
	p := &portal{prep: prep}
	defer p.close()
	return ctxErr(ctx, s.run(ctx, p, 0, w, true))
}

// checkFailed refuses statements in a failed transaction block.
func (s *Session) checkFailed(st *parse.Statement) error {
	if s.tx != txFailed || st == nil {
		return nil
	}
	if t, ok := st.AST.(*ast.Transaction); ok {
		switch t.Kind {
		case ast.TxRollback, ast.TxRollbackTo, ast.TxCommit:
			return nil
		}
	}
	return sqlerr.New(sqlerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
}

// Parse implements pgwire.Handler.
func (s *Session) Parse(ctx context.Context, name, sql string, oids []uint32) error {
	return s.guard(func() error {
		if name != "" {
			if _, dup := s.prepared[name]; dup {
				return sqlerr.New(sqlerr.DuplicatePreparedStatement, "prepared statement \"%s\" already exists", name)
			}
		}
		stmts, err := parse.Parse(sql)
		if err != nil {
			return err
		}
		if len(stmts) > 1 {
			return sqlerr.New(sqlerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
		}
		var st *parse.Statement
		if len(stmts) == 1 {
			st = &stmts[0]
		}
		if err := s.checkFailed(st); err != nil {
			return err
		}
		pt := make([]types.Type, len(oids))
		for i, o := range oids {
			if o == 0 {
				pt[i] = types.Unknown
				continue
			}
			if _, ok := types.Lookup(o); !ok {
				return sqlerr.New(sqlerr.UndefinedObject, "type with OID %d does not exist", o)
			}
			pt[i] = types.Type{OID: o, Typmod: -1}
		}
		prep, err := s.prepare(st, pt, sql)
		if err != nil {
			return err
		}
		prep.name = name
		s.prepared[name] = prep
		return nil
	})
}

// prepare binds a statement: plans for queries and inserts, nothing else.
func (s *Session) prepare(st *parse.Statement, paramTypes []types.Type, sql string) (*prepared, error) {
	p := &prepared{sql: sql, stmt: st, paramTypes: paramTypes, created: time.Now(), cat: s.catState()}
	if st == nil {
		return p, nil
	}
	if p.sql == "" {
		p.sql = st.SQL
	}
	var err error
	switch x := st.AST.(type) {
	case *ast.Select:
		if p.plan, err = bind.BindQueryOpts(x, paramTypes, s.tables(), s.disabledRules()); err != nil {
			return nil, err
		}
		p.paramTypes = p.plan.Params
	case *ast.Insert:
		if p.ins, err = bind.BindInsert(x, paramTypes, s.tables()); err != nil {
			return nil, err
		}
		p.paramTypes = p.ins.Params
		if len(x.Returning) > 0 {
			if p.ret, err = bind.BindReturning(x.Table, p.ins.Table, x.Returning, p.paramTypes, s.tables()); err != nil {
				return nil, err
			}
		}
	case *ast.Update, *ast.Delete:
		// Bound once here for the parameter types; bound again when run.
		st := dmlOf(x)
		d, err := s.planDML(st, paramTypes)
		if err != nil {
			return nil, err
		}
		p.paramTypes = d.ins.Params
		if len(st.returning) > 0 {
			if p.ret, err = bind.BindReturning(st.table, d.rel, st.returning, p.paramTypes, s.tables()); err != nil {
				return nil, err
			}
		}
	default:
		for i, t := range p.paramTypes {
			if t.OID == types.OIDUnknown {
				p.paramTypes[i] = types.Text
			}
		}
	}
	return p, nil
}

// Bind implements pgwire.Handler.
func (s *Session) Bind(ctx context.Context, portalName, stmtName string, pformats []int16, params [][]byte, rformats []int16) error {
	return s.guard(func() error {
		prep, ok := s.prepared[stmtName]
		if !ok {
			return sqlerr.New(sqlerr.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", stmtName)
		}
		if err := s.checkFailed(prep.stmt); err != nil {
			return err
		}
		if err := s.revalidate(prep); err != nil {
			return err
		}
		if portalName != "" {
			if _, dup := s.portals[portalName]; dup {
				return sqlerr.New(sqlerr.DuplicateCursor, "portal \"%s\" already exists", portalName)
			}
		} else if old, ok := s.portals[""]; ok {
			old.close()
			delete(s.portals, "")
		}
		if len(params) != len(prep.paramTypes) {
			return sqlerr.New(sqlerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement \"%s\" requires %d",
				len(params), stmtName, len(prep.paramTypes))
		}
		if len(pformats) > 1 && len(pformats) != len(params) {
			return sqlerr.New(sqlerr.ProtocolViolation, "bind message has %d parameter formats but %d parameters", len(pformats), len(params))
		}
		vals := make([]types.Datum, len(params))
		f := s.format()
		for i, raw := range params {
			if raw == nil {
				continue
			}
			t := prep.paramTypes[i]
			var v types.Datum
			var err error
			if pgwire.FormatFor(pformats, i) == 1 {
				v, err = types.ParseBinary(t, raw)
			} else {
				v, err = types.ParseText(t, string(raw), f)
			}
			if err != nil {
				return err
			}
			vals[i] = v
		}
		ncols := 0
		if prep.plan != nil {
			ncols = len(prep.plan.Columns)
		}
		if len(rformats) > 1 && len(rformats) != ncols {
			return sqlerr.New(sqlerr.ProtocolViolation, "bind message has %d result formats but query has %d columns", len(rformats), ncols)
		}
		for _, rf := range rformats {
			if rf != 0 && rf != 1 {
				return sqlerr.New(sqlerr.InvalidParameterValue, "unsupported format code: %d", rf)
			}
		}
		if err := prep.planErr(); err != nil {
			return err
		}
		s.beginImplicit()
		pt := &portal{name: portalName, prep: prep, params: vals, formats: rformats, plan: prep.plan}
		if prep.stmt != nil && prep.plan != nil && len(vals) > 0 {
			// A custom plan for these values (PostgreSQL makes them too):
			// pruning and kernels see the parameters as constants. The
			// generic plan stays the fallback.
			if sel, ok := prep.stmt.AST.(*ast.Select); ok {
				custom, err := bind.BindQueryCustom(sel, prep.paramTypes, vals, s.tables(), s.disabledRules())
				if err == nil && len(custom.Columns) == len(prep.plan.Columns) {
					pt.plan = custom
				}
			}
		}
		s.portals[portalName] = pt
		return nil
	})
}

// DescribeStatement implements pgwire.Handler.
func (s *Session) DescribeStatement(ctx context.Context, name string) ([]uint32, []pgwire.Column, error) {
	prep, ok := s.prepared[name]
	if !ok {
		return nil, nil, sqlerr.New(sqlerr.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", name)
	}
	oids := make([]uint32, len(prep.paramTypes))
	for i, t := range prep.paramTypes {
		oids[i] = t.OID
	}
	cols, err := s.resultColumns(prep)
	if err != nil {
		return nil, nil, err
	}
	return oids, wireColumns(cols), nil
}

// DescribePortal implements pgwire.Handler.
func (s *Session) DescribePortal(ctx context.Context, name string) ([]pgwire.Column, []int16, error) {
	p, ok := s.portals[name]
	if !ok {
		return nil, nil, sqlerr.New(sqlerr.InvalidCursorName, "portal \"%s\" does not exist", name)
	}
	if p.cursor {
		return wireColumns(p.cols), p.formats, nil
	}
	cols, err := s.resultColumns(p.prep)
	if err != nil {
		return nil, nil, err
	}
	return wireColumns(cols), p.formats, nil
}

// resultColumns returns the columns a prepared statement will return (nil if none).
func (s *Session) resultColumns(prep *prepared) ([]plan.Column, error) {
	if prep.stmt == nil {
		return nil, nil
	}
	if prep.plan != nil {
		if prep.plan.Columns == nil {
			return []plan.Column{}, nil
		}
		return prep.plan.Columns, nil
	}
	if prep.ret != nil {
		return prep.ret.Columns, nil
	}
	switch x := prep.stmt.AST.(type) {
	case *ast.ShowVar:
		return showColumns(x), nil
	case *ast.Explain:
		return explainColumns, nil
	case *ast.Fetch:
		if x.Move {
			return nil, nil
		}
		c, ok := s.portals[x.Name]
		if !ok || !c.cursor {
			return nil, sqlerr.New(sqlerr.InvalidCursorName, "cursor \"%s\" does not exist", x.Name)
		}
		return c.cols, nil
	case *ast.Execute:
		inner, ok := s.prepared[x.Name]
		if !ok {
			return nil, sqlerr.New(sqlerr.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", x.Name)
		}
		return s.resultColumns(inner)
	}
	return nil, nil
}

func wireColumns(cols []plan.Column) []pgwire.Column {
	if cols == nil {
		return nil
	}
	out := make([]pgwire.Column, len(cols))
	for i, c := range cols {
		mod := c.Type.Typmod
		if c.Type.OID == types.OIDRecord {
			mod = -1 // a record's typmod names its fields inside sluice only
		}
		out[i] = pgwire.Column{Name: c.Name, TypeOID: c.Type.OID, TypeSize: c.Type.Size(), TypeMod: mod}
	}
	return out
}

// Execute implements pgwire.Handler.
func (s *Session) Execute(ctx context.Context, name string, maxRows int, w *pgwire.ResultWriter) error {
	p, ok := s.portals[name]
	if !ok {
		return sqlerr.New(sqlerr.InvalidCursorName, "portal \"%s\" does not exist", name)
	}
	if err := s.checkFailed(p.prep.stmt); err != nil {
		return err
	}
	s.beginActivity(p.prep.sql)
	defer func() { s.act.end(s.idleState()) }()
	start := time.Now()
	s.stmtTime = start
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	err := s.guard(func() error { return s.run(ctx, p, maxRows, w, false) })
	err = ctxErr(ctx, err)
	tag := ""
	if p.prep.stmt != nil {
		tag = p.prep.stmt.Tag
	}
	s.observe(tag, start, err)
	s.reportChanges(w)
	return err
}

// Close implements pgwire.Handler.
func (s *Session) Close(ctx context.Context, kind byte, name string) error {
	if kind == 'S' {
		delete(s.prepared, name)
		return nil
	}
	if p, ok := s.portals[name]; ok {
		p.close()
		delete(s.portals, name)
	}
	return nil
}

// Sync implements pgwire.Handler.
func (s *Session) Sync(ctx context.Context) byte {
	s.endImplicit(true)
	return s.TxStatus()
}

// ErrorInBatch implements pgwire.Handler.
func (s *Session) ErrorInBatch() { s.failBatch() }

// run executes a portal, writing its results. describe sends RowDescription
// first (simple protocol).
func (s *Session) run(ctx context.Context, p *portal, maxRows int, w *pgwire.ResultWriter, describe bool) error {
	if p.prep.stmt == nil {
		w.EmptyQuery()
		return nil
	}
	if err := p.prep.planErr(); err != nil && !p.cursor {
		return err
	}
	if p.prep.plan != nil || p.cursor {
		if describe {
			w.RowDescription(wireColumns(p.colsOrPlan()), p.formats)
		}
		n, more, err := s.sendRows(ctx, p, maxRows, w)
		if err != nil {
			return err
		}
		if more {
			w.Suspended()
			return nil
		}
		w.Complete(fmt.Sprintf("SELECT %d", n))
		return nil
	}
	if p.ran {
		// PostgreSQL re-executing a completed utility portal returns an empty result.
		w.Complete(p.prep.stmt.Tag)
		return nil
	}
	p.ran = true
	tag, err := s.utility(ctx, p, w, describe)
	if err != nil {
		return err
	}
	if tag != "" {
		w.Complete(tag)
	}
	return nil
}

func (p *portal) colsOrPlan() []plan.Column {
	if p.cols != nil || p.prep.plan == nil {
		return p.cols
	}
	return p.prep.plan.Columns
}

// sendRows streams up to maxRows rows (0 = all) of a query portal; more
// reports whether rows remain.
// flushNotices sends the notices statements have queued.
func (s *Session) flushNotices(w *pgwire.ResultWriter) {
	for _, n := range s.notices {
		w.Notice(n)
	}
	s.notices = nil
}

func (s *Session) sendRows(ctx context.Context, p *portal, maxRows int, w *pgwire.ResultWriter) (int64, bool, error) {
	if p.stream == nil && !p.done {
		st, err := s.execute(ctx, p)
		if err != nil {
			return 0, false, err
		}
		p.stream = st
		p.cols = p.prep.plan.Columns
	}
	colTypes := make([]types.Type, len(p.cols))
	for i, c := range p.cols {
		colTypes[i] = c.Type
	}
	w.BeginRows(colTypes, p.formats, s.format())
	var n int64
	for {
		if p.batch == nil || p.off >= int(p.batch.NumRows()) {
			if p.batch != nil {
				p.batch.Release()
				p.batch = nil
			}
			if p.done || p.stream == nil {
				return n, false, nil
			}
			rb, err := p.stream.Next(ctx)
			s.flushNotices(w) // raised while computing rows (pg_terminate_backend's WARNING)
			if err == io.EOF {
				p.done = true
				p.stream.Close()
				p.stream = nil
				return n, false, nil
			}
			if err != nil {
				return n, false, err
			}
			p.batch, p.off = rb, 0
		}
		end := int(p.batch.NumRows())
		if maxRows > 0 && int64(end-p.off) > int64(maxRows)-n {
			end = p.off + int(int64(maxRows)-n)
		}
		if err := w.WriteBatch(p.batch, p.off, end); err != nil {
			return n, false, err
		}
		n += int64(end - p.off)
		p.pos += int64(end - p.off)
		p.off = end
		if maxRows > 0 && n >= int64(maxRows) {
			more, err := p.hasMore(ctx)
			return n, more, err
		}
	}
}

// hasMore reports whether the portal has rows left, fetching ahead if needed.
func (p *portal) hasMore(ctx context.Context) (bool, error) {
	for p.batch == nil || p.off >= int(p.batch.NumRows()) {
		if p.batch != nil {
			p.batch.Release()
			p.batch = nil
		}
		if p.done || p.stream == nil {
			return false, nil
		}
		rb, err := p.stream.Next(ctx)
		if err == io.EOF {
			p.done = true
			p.stream.Close()
			p.stream = nil
			return false, nil
		}
		if err != nil {
			return false, err
		}
		p.batch, p.off = rb, 0
	}
	return true, nil
}

// revalidate re-binds a prepared statement whose plan was made against an
// older catalog state (a table was written, altered or dropped since), as
// PostgreSQL re-plans on invalidation; a changed result shape is an error.
func (s *Session) revalidate(prep *prepared) error {
	if prep.cat == s.catState() || (prep.plan == nil && prep.ins == nil) {
		return nil
	}
	np, err := s.prepare(prep.stmt, append([]types.Type(nil), prep.paramTypes...), prep.sql)
	if err != nil {
		return err
	}
	if prep.plan != nil {
		if np.plan == nil || len(np.plan.Columns) != len(prep.plan.Columns) {
			return sqlerr.Unsupported("cached plan must not change result type")
		}
		for i, c := range np.plan.Columns {
			if c.Type != prep.plan.Columns[i].Type {
				return sqlerr.Unsupported("cached plan must not change result type")
			}
		}
	}
	prep.plan, prep.ins, prep.cat = np.plan, np.ins, np.cat
	return nil
}

// planCacheMax bounds a session's cache of simple-query plans.
const planCacheMax = 256

// simplePlan binds a simple-protocol statement, reusing the plan of the
// same text while nothing it was bound against changed: the catalog state,
// the search path, the disabled rules, the date/time settings that shape
// literals, the set of temporary tables (which
// can shadow a durable one). Plans reading temporary tables are
// not kept (those change without a catalog version).
func (s *Session) simplePlan(st *parse.Statement) (*prepared, error) {
	if _, ok := st.AST.(*ast.Select); !ok {
		return s.prepare(st, nil, "")
	}
	key := st.SQL + "\x00" + strconv.Itoa(s.tempGen)
	// Settings that change binding or literal parsing are part of the key.
	for _, name := range []string{"search_path", "sluice.disabled_rules", "DateStyle", "TimeZone", "IntervalStyle"} {
		v, _ := s.set.get(name)
		key += "\x00" + v
	}
	if p, ok := s.plans[key]; ok && p.cat == s.catState() {
		return p, nil
	}
	p, err := s.prepare(st, nil, "")
	if err != nil || p.plan == nil || p.plan.ReadsTemp() {
		return p, err
	}
	if s.plans == nil || len(s.plans) >= planCacheMax {
		s.plans = map[string]*prepared{}
	}
	s.plans[key] = p
	return p, nil
}
