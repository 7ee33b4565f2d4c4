package ast

// Stmt is a statement.
type Stmt interface{ stmtNode() }

// Expr is a scalar expression.
type Expr interface{ exprNode() }

// TableRef is an item of a FROM list.
type TableRef interface{ tableNode() }

// Select is a SELECT or VALUES query, or a set operation over two queries.
type Select struct {
	With       []*CTE
	Recursive  bool // WITH RECURSIVE
	Distinct   bool
	DistinctOn []Expr
	Targets    []*Target
	From       []TableRef
	Where      Expr
	GroupBy    []Expr
	// GroupingSets lists the grouping sets (each a list of GroupBy
	// expressions) when GROUP BY uses GROUPING SETS, ROLLUP or CUBE.
	GroupingSets [][]Expr
	Having       Expr
	OrderBy      []*OrderItem
	Limit        Expr
	Offset       Expr
	Values       [][]Expr // a VALUES list; when set the fields above are unused
	// A set operation: Left SetOp Right (the fields above other than With,
	// OrderBy, Limit and Offset are unused).
	SetOp       SetOpKind
	SetAll      bool
	Left, Right *Select
}

// SetOpKind is UNION, INTERSECT or EXCEPT.
type SetOpKind int

// Set operations (SetNone: a plain SELECT).
const (
	SetNone SetOpKind = iota
	Union
	Intersect
	Except
)

// CTE is one WITH item.
type CTE struct {
	Name    string
	Columns []string
	Query   *Select
	Pos     int
}

// JoinKind is the kind of a JOIN.
type JoinKind int

// Join kinds.
const (
	InnerJoin JoinKind = iota
	LeftJoin
	RightJoin
	FullJoin
	CrossJoin
)

// JoinTable is a JOIN between two FROM items.
type JoinTable struct {
	Kind        JoinKind
	Left, Right TableRef
	On          Expr
	Using       []string
	Natural     bool
	Alias       string
	ColAliases  []string
}

// SubLinkKind is the kind of a subquery expression.
type SubLinkKind int

// Subquery expression kinds.
const (
	ExprSubLink   SubLinkKind = iota // (SELECT …) as a scalar
	ExistsSubLink                    // EXISTS (SELECT …)
	AnySubLink                       // x op ANY (SELECT …), x IN (SELECT …)
	AllSubLink                       // x op ALL (SELECT …)
	ArraySubLink                     // ARRAY(SELECT …)
)

// SubLink is a subquery used as an expression.
type SubLink struct {
	Kind  SubLinkKind
	Test  Expr   // the left operand of ANY/ALL
	Op    string // the operator of ANY/ALL ("=" for IN)
	Query *Select
	Pos   int
}

// SampleTable is table TABLESAMPLE method (args) [REPEATABLE (seed)].
type SampleTable struct {
	Table      *TableName
	Method     string
	Args       []Expr
	Repeatable Expr // nil when absent
	Pos        int
}

// Target is one item of a select list.
type Target struct {
	Expr Expr
	Name string // AS name, "" when absent
	Pos  int
}

// OrderItem is one ORDER BY item.
type OrderItem struct {
	Expr       Expr
	Desc       bool
	NullsFirst *bool // nil means the default for the direction
}

// TableName is a (possibly qualified) relation name in FROM, INSERT, COPY…
type TableName struct {
	Schema string
	Name   string
	Alias  string
	Pos    int
}

// FuncTable is a set-returning function in FROM (implicitly LATERAL).
type FuncTable struct {
	Func       *FuncCall
	Ordinality bool
	Alias      string
	ColAliases []string
}

// SubqueryTable is a subquery (or VALUES) in FROM.
type SubqueryTable struct {
	Query      *Select
	Lateral    bool
	Alias      string
	ColAliases []string
}

// TypeName is a type as written: name lower-cased and unqualified.
type TypeName struct {
	Name  string
	Mods  []int
	Array bool
	Pos   int
}

// ConstKind is the kind of a literal.
type ConstKind int

// Literal kinds.
const (
	ConstNull ConstKind = iota
	ConstInt
	ConstNumeric
	ConstString
	ConstBool
)

// Const is a literal. Val is its source text (digits, string contents, "t"/"f").
type Const struct {
	Kind ConstKind
	Val  string
	Pos  int
}

// Default is the keyword DEFAULT as a value: in INSERT … VALUES and
// UPDATE … SET col = DEFAULT, the column's default.
type Default struct{ Pos int }

// Param is $N (1-based).
type Param struct {
	N   int
	Pos int
}

// ColumnRef is a column reference; Star is set for t.* or *.
type ColumnRef struct {
	Names []string
	Star  bool
	Pos   int
}

// FuncCall is a function call; Name is lower-cased, possibly schema-qualified.
type FuncCall struct {
	Name     []string
	Label    string // output column name when it differs from Name (CURRENT_TIMESTAMP)
	Args     []Expr
	Star     bool
	Distinct bool
	Filter   Expr // aggregate FILTER (WHERE …)
	// WithinGroup marks an ordered-set aggregate: OrderBy is its WITHIN GROUP clause.
	WithinGroup bool
	OrderBy     []*OrderItem // aggregate ORDER BY
	Over        *Window      // window function call
	Pos         int
}

// Window is an OVER clause.
type Window struct {
	Name        string
	PartitionBy []Expr
	OrderBy     []*OrderItem
	Frame       int32 // FRAMEOPTION_* bits as PostgreSQL defines them
	Start, End  Expr  // frame offsets
	Pos         int
}

// Cast is CAST(X AS T) or X::T.
type Cast struct {
	X    Expr
	Type *TypeName
	Pos  int
}

// BinaryExpr is an operator with two operands ("+", "=", "||", "~~"…); Op
// also names IS [NOT] DISTINCT FROM as "IS DISTINCT FROM"/"IS NOT DISTINCT FROM".
type BinaryExpr struct {
	Op   string
	L, R Expr
	Pos  int
}

// UnaryExpr is a prefix operator ("-", "+", "~").
type UnaryExpr struct {
	Op  string
	X   Expr
	Pos int
}

// BoolOp is AND, OR or NOT.
type BoolOp int

// Boolean operators.
const (
	And BoolOp = iota
	Or
	Not
)

// BoolExpr is AND/OR over Args, or NOT over Args[0].
type BoolExpr struct {
	Op   BoolOp
	Args []Expr
	Pos  int
}

// NullTest is X IS [NOT] NULL.
type NullTest struct {
	X   Expr
	Not bool
	Pos int
}

// When is one WHEN … THEN … arm.
type When struct {
	Cond   Expr
	Result Expr
}

// CaseExpr is CASE [Arg] WHEN … THEN … [ELSE …] END.
type CaseExpr struct {
	Arg   Expr
	Whens []When
	Else  Expr
	Pos   int
}

// Coalesce is COALESCE(args).
type Coalesce struct {
	Args []Expr
	Pos  int
}

// NullIf is NULLIF(L, R).
type NullIf struct {
	L, R Expr
	Pos  int
}

// MinMax is GREATEST or LEAST.
type MinMax struct {
	Greatest bool
	Args     []Expr
	Pos      int
}

// InList is X [NOT] IN (list).
type InList struct {
	X    Expr
	List []Expr
	Not  bool
	Pos  int
}

// Between is X [NOT] BETWEEN Lo AND Hi.
type Between struct {
	X, Lo, Hi Expr
	Not       bool
	Pos       int
}

func (*Const) exprNode()       {}
func (*Default) exprNode()     {}
func (*Param) exprNode()       {}
func (*ColumnRef) exprNode()   {}
func (*FuncCall) exprNode()    {}
func (*Cast) exprNode()        {}
func (*BinaryExpr) exprNode()  {}
func (*UnaryExpr) exprNode()   {}
func (*BoolExpr) exprNode()    {}
func (*NullTest) exprNode()    {}
func (*CaseExpr) exprNode()    {}
func (*Coalesce) exprNode()    {}
func (*NullIf) exprNode()      {}
func (*MinMax) exprNode()      {}
func (*InList) exprNode()      {}
func (*Between) exprNode()     {}
func (*SubLink) exprNode()     {}
func (*ArrayExpr) exprNode()   {}
func (*Subscript) exprNode()   {}
func (*ArrayCmp) exprNode()    {}
func (*FieldSelect) exprNode() {}
func (*RowExpr) exprNode()     {}

// RowExpr is ROW(a, b, …) or (a, b, …): a row constructor.
type RowExpr struct {
	Args []Expr
	Pos  int
}

// FieldSelect is (X).Field: one field of a composite value.
type FieldSelect struct {
	X     Expr
	Field string
	Pos   int
}

// ArrayExpr is ARRAY[e1, e2, …].
type ArrayExpr struct {
	Elems []Expr
	Pos   int
}

// Subscript is X[Index] or the slice X[Lo:Hi] (Slice set; nil bounds are open).
type Subscript struct {
	X      Expr
	Index  Expr
	Slice  bool
	Lo, Hi Expr
	Pos    int
}

// ArrayCmp is X op ANY (array) or X op ALL (array).
type ArrayCmp struct {
	Op    string
	All   bool
	X     Expr
	Array Expr
	Pos   int
}

func (*TableName) tableNode()     {}
func (*FuncTable) tableNode()     {}
func (*SubqueryTable) tableNode() {}
func (*SampleTable) tableNode()   {}
func (*JoinTable) tableNode()     {}
