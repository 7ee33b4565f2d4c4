package ast

// TxKind is the kind of a transaction statement.
type TxKind int

// Transaction statement kinds.
const (
	TxBegin TxKind = iota
	TxStart
	TxCommit
	TxRollback
	TxSavepoint
	TxRelease
	TxRollbackTo
	TxPrepare // PREPARE TRANSACTION (two-phase): unsupported
)

// Transaction is BEGIN/START/COMMIT/END/ROLLBACK/SAVEPOINT/RELEASE/ROLLBACK TO.
type Transaction struct {
	Kind      TxKind
	Savepoint string
	Modes     TxModes
	Chain     bool
}

// TxModes are transaction characteristics; empty/nil fields were not given.
type TxModes struct {
	Isolation  string // "read committed", "serializable"…
	ReadOnly   *bool
	Deferrable *bool
}

// SetKind says what a SET-family statement does.
type SetKind int

// SET-family kinds.
const (
	SetValue SetKind = iota
	SetDefault
	SetReset
	SetResetAll
	SetCurrent // SET x FROM CURRENT
	SetTxModes // SET TRANSACTION … / SET SESSION CHARACTERISTICS AS TRANSACTION …
)

// SetVar is SET/RESET. Values are the arguments rendered as PostgreSQL's
// flatten_set_variable_args would: strings unquoted, numbers as written.
type SetVar struct {
	Kind    SetKind
	Name    string // lower-cased
	Values  []string
	Local   bool
	Session bool // SESSION CHARACTERISTICS (with Kind SetTxModes)
	Modes   TxModes
}

// ShowVar is SHOW name (name "all" for SHOW ALL).
type ShowVar struct{ Name string }

// Declare is DECLARE name CURSOR FOR query.
type Declare struct {
	Name   string
	Query  Stmt
	Hold   bool
	Binary bool
	Scroll bool
}

// FetchDir is a FETCH/MOVE direction.
type FetchDir int

// Directions.
const (
	FetchForward FetchDir = iota
	FetchBackward
	FetchAbsolute
	FetchRelative
)

// FetchAll is the Count of FETCH ALL.
const FetchAll = int64(1<<63 - 1)

// Fetch is FETCH or MOVE.
type Fetch struct {
	Name  string
	Dir   FetchDir
	Count int64
	Move  bool
}

// ClosePortal is CLOSE name, or CLOSE ALL when Name is "".
type ClosePortal struct{ Name string }

// Prepare is PREPARE name [(types)] AS stmt; SQL is the statement's text.
type Prepare struct {
	Name     string
	ArgTypes []*TypeName
	Query    Stmt
	SQL      string
}

// Execute is EXECUTE name [(params)].
type Execute struct {
	Name   string
	Params []Expr
}

// Deallocate is DEALLOCATE [PREPARE] name | ALL.
type Deallocate struct {
	Name string
	All  bool
}

// Copy is COPY … FROM STDIN / TO STDOUT.
type Copy struct {
	Table    *TableName
	Columns  []string
	Query    Stmt
	From     bool
	Stdio    bool
	Filename string
	Options  map[string]string // lower-cased option name → value ("" for flags)
}

// RoleOption is one option of CREATE/ALTER ROLE.
type RoleOption struct {
	Name  string // "password", "login", "superuser", …
	Value string
	Bool  bool
	Null  bool // PASSWORD NULL
}

// CreateRole is CREATE ROLE/USER/GROUP.
type CreateRole struct {
	Name    string
	User    bool // CREATE USER implies LOGIN
	Options []RoleOption
}

// AlterRole is ALTER ROLE name [WITH] options.
type AlterRole struct {
	Name    string
	Options []RoleOption
}

// DropRole is DROP ROLE [IF EXISTS] names.
type DropRole struct {
	Names    []string
	IfExists bool
}

// Discard is DISCARD ALL|PLANS|SEQUENCES|TEMP.
type Discard struct{ What string }

// ColumnDef is a column of CREATE TABLE.
type ColumnDef struct {
	Name    string
	Type    *TypeName
	NotNull bool
	// Default is the DEFAULT expression (nil when none); DefaultSQL its
	// text, deparsed.
	Default    Expr
	DefaultSQL string
}

// CreateTable is CREATE [TEMP] TABLE … [AS query].
type CreateTable struct {
	Table       *TableName
	Temp        bool
	IfNotExists bool
	Columns     []ColumnDef
	AsQuery     Stmt
	Options     map[string]string
}

// DropTable is DROP TABLE [IF EXISTS] names.
type DropTable struct {
	Tables   []*TableName
	IfExists bool
	Cascade  bool
}

// Insert is INSERT INTO table [(cols)] query.
type Insert struct {
	Table     *TableName
	Columns   []string
	Query     *Select
	Returning []*Target // RETURNING list; nil when absent
}

// Explain is EXPLAIN [options] stmt.
type Explain struct {
	Query   Stmt
	Analyze bool
	NoCosts bool // COSTS OFF
}

// Unsupported is a statement PostgreSQL knows and sluice does not (yet);
// executing it answers 0A000. Tag is the command tag PostgreSQL would use.
type Unsupported struct{ Tag string }

func (*Select) stmtNode()      {}
func (*Transaction) stmtNode() {}
func (*SetVar) stmtNode()      {}
func (*ShowVar) stmtNode()     {}
func (*Declare) stmtNode()     {}
func (*Fetch) stmtNode()       {}
func (*ClosePortal) stmtNode() {}
func (*Prepare) stmtNode()     {}
func (*Execute) stmtNode()     {}
func (*Deallocate) stmtNode()  {}
func (*Copy) stmtNode()        {}
func (*CreateRole) stmtNode()  {}
func (*AlterRole) stmtNode()   {}
func (*DropRole) stmtNode()    {}
func (*Discard) stmtNode()     {}
func (*CreateTable) stmtNode() {}
func (*DropTable) stmtNode()   {}
func (*Insert) stmtNode()      {}
func (*Explain) stmtNode()     {}
func (*Unsupported) stmtNode() {}

// ObjectKind names what a DDL statement acts on.
type ObjectKind string

// Object kinds of DROP, ALTER … RENAME and COMMENT ON.
const (
	ObjTable  ObjectKind = "TABLE"
	ObjView   ObjectKind = "VIEW"
	ObjSchema ObjectKind = "SCHEMA"
	ObjColumn ObjectKind = "COLUMN"
)

// CreateSchema is CREATE SCHEMA [IF NOT EXISTS] name.
type CreateSchema struct {
	Name        string
	IfNotExists bool
}

// DropObjects is DROP SCHEMA|VIEW [IF EXISTS] names [CASCADE]. Tables use
// DropTable (with Cascade).
type DropObjects struct {
	Kind     ObjectKind
	Names    []*TableName // for schemas, Name is the schema name
	IfExists bool
	Cascade  bool
}

// CreateView is CREATE [OR REPLACE] VIEW name [(cols)] AS query. SQL is
// the query's text (as PostgreSQL would deparse it).
type CreateView struct {
	View    *TableName
	Columns []string
	Query   *Select
	SQL     string
	Replace bool
}

// Rename is ALTER TABLE|VIEW|SCHEMA name RENAME [COLUMN col] TO newname.
type Rename struct {
	Kind     ObjectKind // of the renamed object (ObjColumn for a column)
	Table    *TableName
	Column   string
	NewName  string
	IfExists bool
}

// Truncate is TRUNCATE [TABLE] names.
type Truncate struct{ Tables []*TableName }

// Comment is COMMENT ON TABLE|VIEW|SCHEMA|COLUMN name IS 'text' | NULL.
type Comment struct {
	Kind    ObjectKind
	Table   *TableName // schema: Name; column: the table
	Column  string
	Comment *string
}

// Vacuum is VACUUM [names]: expire old snapshots, remove unreferenced files.
type Vacuum struct{ Tables []*TableName }

// Analyze is ANALYZE [names]: measure distinct values per column.
type Analyze struct{ Tables []*TableName }

func (*Analyze) stmtNode() {}

// Delete is DELETE FROM table [WHERE cond].
type Delete struct {
	Table     *TableName
	Using     []TableRef // DELETE … USING
	Where     Expr
	Returning []*Target
}

// Update is UPDATE table SET col = expr, … [WHERE cond].
type Update struct {
	Table     *TableName
	Set       []SetClause
	From      []TableRef // UPDATE … FROM
	Where     Expr
	Returning []*Target
}

// SetClause is one col = expr of an UPDATE.
type SetClause struct {
	Column string
	Value  Expr
}

// AlterColumns is ALTER TABLE t ADD [COLUMN] def | DROP [COLUMN] name, ….
type AlterColumns struct {
	Table    *TableName
	IfExists bool
	Cmds     []AlterColumn
}

// AlterColumn is one ADD or DROP of an ALTER TABLE.
type AlterColumn struct {
	Drop        bool
	Column      ColumnDef // ADD: the new column
	Name        string    // DROP: the column
	IfExists    bool      // DROP COLUMN IF EXISTS
	IfNotExists bool      // ADD COLUMN IF NOT EXISTS
	Cascade     bool
}

func (*AlterColumns) stmtNode() {}
func (*Update) stmtNode()       {}
func (*CreateSchema) stmtNode() {}
func (*DropObjects) stmtNode()  {}
func (*CreateView) stmtNode()   {}
func (*Rename) stmtNode()       {}
func (*Truncate) stmtNode()     {}
func (*Comment) stmtNode()      {}
func (*Vacuum) stmtNode()       {}
func (*Delete) stmtNode()       {}

// Merge is MERGE INTO target USING source ON cond WHEN … THEN …, kept as
// SQL text (deparsed): it runs as queries built over that text.
type Merge struct {
	Target  *TableName
	Source  string // the FROM item (a table, sub-query, join …), aliases included
	On      string
	Clauses []MergeClause
}

// MergeClause is one WHEN [NOT] MATCHED [AND cond] THEN action.
type MergeClause struct {
	Matched bool
	Cond    string // "" when absent
	Action  string // "update", "delete", "insert" or "nothing"
	Set     []MergeSet
	Columns []string // INSERT's column list (nil: all, in order)
	Values  []string // INSERT's values ("DEFAULT" for DEFAULT; nil: DEFAULT VALUES)
}

// MergeSet is one col = value of a MERGE UPDATE.
type MergeSet struct {
	Column string
	Value  string // "DEFAULT" for DEFAULT
}

func (*Merge) stmtNode() {}
