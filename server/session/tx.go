package session

import (
	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/server/pgwire"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// undoEntry reverses one change to temporary tables.
type undoEntry struct {
	table   *plan.MemTable
	prevLen int    // rows to keep on undo (appends)
	created string // table created in this transaction: forget it
	dropped *plan.MemTable
	// replaced: the table's rows were swapped (DELETE/UPDATE); prevRows
	// are the rows to put back.
	replaced bool
	prevRows [][]types.Datum
}

type savepoint struct {
	name     string
	undoLen  int
	catOps   int // catalog changes made before the savepoint
	settings map[string]string
	local    map[string]string
}

// tables gives the binder the session's temporary tables and the durable
// relations of the catalog state the statement reads.
func (s *Session) tables() plan.Tables { return sessionTables{s: s, cat: s.catState()} }

type sessionTables struct {
	s   *Session
	cat *catalog.State
}

// RelationByOID implements plan.TablesByOID (views follow the relations
// they named by OID).
func (t sessionTables) RelationByOID(oid types.OID) (plan.Relation, error) {
	r := t.cat.ByID(uint32(oid))
	if r == nil {
		return nil, nil
	}
	return t.s.relation(r)
}

// Relation implements plan.Tables: temporary tables first (pg_temp is
// implicitly first on the search path, as in PostgreSQL), then the path.
func (t sessionTables) Relation(schema, name string) (plan.Relation, error) {
	if schema == "" || schema == "pg_temp" {
		if mt, ok := t.s.temp[name]; ok {
			return mt, nil
		}
		if schema == "pg_temp" {
			return nil, nil
		}
	}
	if schema == "sluice_catalog" {
		return t.s.systemRelation(name), nil
	}
	if schema == "information_schema" {
		if rel := t.s.catalogRelation(schema, name); rel != nil {
			return rel, nil
		}
		return nil, nil
	}
	// pg_catalog is searched before the path, as in PostgreSQL.
	if schema == "pg_catalog" || schema == "" {
		if rel := t.s.catalogRelation("pg_catalog", name); rel != nil {
			return rel, nil
		}
		if schema == "pg_catalog" {
			return nil, nil
		}
	}
	r := t.s.lookupRel(t.cat, schema, name)
	if r == nil {
		return nil, nil
	}
	return t.s.relation(r)
}

func (s *Session) beginImplicit() {
	if s.tx == txIdle {
		s.tx = txImplicit
		s.txStart = s.stmtTime
		s.txSaved = s.set.clone()
		s.undo = s.undo[:0]
		s.saves = nil
	}
}

// endImplicit commits (or rolls back) an implicit transaction.
func (s *Session) endImplicit(commit bool) {
	if s.tx != txImplicit {
		return
	}
	if commit {
		s.finishTx(true)
	} else {
		s.finishTx(false)
	}
}

// failBatch is called when a statement fails: an implicit transaction rolls
// back, an explicit one enters the failed state.
func (s *Session) failBatch() {
	switch s.tx {
	case txImplicit:
		s.finishTx(false)
	case txExplicit:
		s.tx = txFailed
	}
}

// commitTx commits an explicit transaction: its catalog changes first
// (which can fail, with a serialization error), then the rest.
func (s *Session) commitTx() error {
	if err := s.commitCatalog(); err != nil {
		s.finishTx(false)
		return err
	}
	s.finishTx(true)
	return nil
}

// finishTx ends the transaction, keeping or undoing its effects.
func (s *Session) finishTx(commit bool) {
	s.abandonCatalog() // committed already by commitTx, or rolled back
	if !commit {
		s.rollbackTo(0)
		if s.txSaved != nil {
			s.set.vals = s.txSaved
		}
	}
	s.set.local = map[string]string{}
	s.undo = s.undo[:0]
	s.saves = nil
	s.txSaved = nil
	s.txModes = ast.TxModes{}
	s.set.vals["transaction_isolation"] = s.set.vals["default_transaction_isolation"]
	s.set.vals["transaction_read_only"] = s.set.vals["default_transaction_read_only"]
	s.tx = txIdle
	// Portals live until the end of their transaction; WITH HOLD cursors stay.
	for name, p := range s.portals {
		if p.cursor && p.hold && commit {
			continue
		}
		p.close()
		delete(s.portals, name)
	}
}

// rollbackTo undoes entries past n.
func (s *Session) rollbackTo(n int) {
	for i := len(s.undo) - 1; i >= n; i-- {
		u := s.undo[i]
		switch {
		case u.created != "":
			delete(s.temp, u.created)
			s.tempGen++
		case u.dropped != nil:
			s.temp[u.dropped.Name] = u.dropped
			s.tempGen++
		case u.table != nil && u.replaced:
			u.table.Replace(u.prevRows)
		case u.table != nil:
			u.table.Truncate(u.prevLen)
		}
	}
	s.undo = s.undo[:n]
}

func warning(code sqlerr.Code, msg string) sqlerr.Notice {
	return sqlerr.Notice{Severity: sqlerr.SeverityWarning, Code: code, Message: msg}
}

// transaction executes a transaction-control statement and returns its tag.
func (s *Session) transaction(t *ast.Transaction, tag string, w *pgwire.ResultWriter) (string, error) {
	switch t.Kind {
	case ast.TxBegin, ast.TxStart:
		if t.Modes.Isolation != "" {
			if _, err := checkIsolation(t.Modes.Isolation); err != nil {
				return "", err
			}
		}
		if s.tx == txExplicit || s.tx == txFailed {
			w.Notice(warning(sqlerr.ActiveSQLTransaction, "there is already a transaction in progress"))
			return tag, nil
		}
		if s.tx == txIdle {
			s.beginImplicit()
		}
		s.tx = txExplicit
		s.applyModes(t.Modes)
		return tag, nil
	case ast.TxCommit:
		switch s.tx {
		case txIdle, txImplicit:
			w.Notice(warning(sqlerr.NoActiveSQLTransaction, "there is no transaction in progress"))
			s.finishTx(true)
			return "COMMIT", nil
		case txFailed:
			s.finishTx(false)
			return "ROLLBACK", nil
		}
		if t.Chain {
			modes := s.txModes
			if err := s.commitTx(); err != nil {
				return "", err
			}
			s.beginImplicit()
			s.tx = txExplicit
			s.applyModes(modes)
			return "COMMIT", nil
		}
		if err := s.commitTx(); err != nil {
			return "", err
		}
		return "COMMIT", nil
	case ast.TxRollback:
		if s.tx == txIdle || s.tx == txImplicit {
			w.Notice(warning(sqlerr.NoActiveSQLTransaction, "there is no transaction in progress"))
			s.finishTx(false)
			return "ROLLBACK", nil
		}
		modes := s.txModes
		s.finishTx(false)
		if t.Chain {
			s.beginImplicit()
			s.tx = txExplicit
			s.applyModes(modes)
		}
		return "ROLLBACK", nil
	case ast.TxSavepoint:
		if s.tx != txExplicit {
			return "", sqlerr.New(sqlerr.NoActiveSQLTransaction, "SAVEPOINT can only be used in transaction blocks")
		}
		s.saves = append(s.saves, savepoint{name: t.Savepoint, undoLen: len(s.undo), catOps: s.catOps(), settings: s.set.clone(), local: cloneMap(s.set.local)})
		return "SAVEPOINT", nil
	case ast.TxRelease, ast.TxRollbackTo:
		verb := "RELEASE SAVEPOINT"
		if t.Kind == ast.TxRollbackTo {
			verb = "ROLLBACK TO SAVEPOINT"
		}
		if s.tx == txIdle || s.tx == txImplicit {
			return "", sqlerr.New(sqlerr.NoActiveSQLTransaction, "%s can only be used in transaction blocks", verb)
		}
		i := len(s.saves) - 1
		for ; i >= 0 && s.saves[i].name != t.Savepoint; i-- {
		}
		if i < 0 {
			return "", sqlerr.New(sqlerr.InvalidSavepointSpec, "savepoint \"%s\" does not exist", t.Savepoint)
		}
		if t.Kind == ast.TxRelease {
			if s.tx == txFailed {
				return "", sqlerr.New(sqlerr.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
			}
			s.saves = s.saves[:i]
			return "RELEASE", nil
		}
		sp := s.saves[i]
		s.rollbackTo(sp.undoLen)
		if err := s.rollbackCatalogTo(sp.catOps); err != nil {
			return "", err
		}
		s.set.vals = cloneMap(sp.settings)
		s.set.local = cloneMap(sp.local)
		s.saves = s.saves[:i+1] // the savepoint itself survives ROLLBACK TO
		s.tx = txExplicit
		return "ROLLBACK", nil
	}
	return "", sqlerr.Unsupported("PREPARE TRANSACTION (two-phase commit) is not supported")
}

func (s *Session) applyModes(m ast.TxModes) {
	s.txModes = m
	if m.Isolation != "" {
		s.set.local["transaction_isolation"] = m.Isolation
	}
	if m.ReadOnly != nil {
		s.set.local["transaction_read_only"] = onOff(*m.ReadOnly)
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
