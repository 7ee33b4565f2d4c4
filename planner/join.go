package planner

import (
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// join binds a JOIN: the row is left ++ right; USING/NATURAL columns are
// merged into leading columns (COALESCE for FULL joins) and the inputs'
// copies become reachable only by qualified name.
func (b *binder) join(j *ast.JoinTable) (node, []scopeCol, error) {
	ln, lsc, err := b.fromItem(j.Left)
	if err != nil {
		return nil, nil, err
	}
	var rn node
	var rsc []scopeCol
	lateral := false
	if lateralCapable(j.Right) {
		if rn, rsc, lateral, err = b.lateralItem(j.Right, lsc); err != nil {
			return nil, nil, err
		}
		if lateral && (j.Kind == ast.RightJoin || j.Kind == ast.FullJoin) {
			return nil, nil, sqlerr.New(sqlerr.InvalidColumnReference, "invalid reference to FROM-clause entry for table").
				WithDetail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.")
		}
	} else if rn, rsc, err = b.fromItem(j.Right); err != nil {
		return nil, nil, err
	}
	scope := append(append([]scopeCol{}, lsc...), rsc...)
	jn := &joinNode{left: ln, right: rn, kind: j.Kind, leftWidth: len(lsc), rightWidth: len(rsc), lateral: lateral, colTypes: scopeTypes(lsc, rsc)}
	using := j.Using
	if j.Natural {
		for _, l := range lsc {
			for _, r := range rsc {
				if l.name == r.name && !l.qualOnly && !r.qualOnly {
					using = append(using, l.name)
				}
			}
		}
		if len(using) == 0 && j.Kind == ast.InnerJoin {
			jn.kind = ast.CrossJoin
		}
	}
	saved := b.scope
	b.scope = scope
	defer func() { b.scope = saved }()
	var conds []Expr
	type pair struct{ l, r int }
	var pairs []pair
	for _, name := range using {
		li, ri := -1, -1
		for i, c := range lsc {
			if c.name == name && !c.qualOnly {
				if li >= 0 {
					return nil, nil, sqlerr.New(sqlerr.AmbiguousColumn, "common column name \"%s\" appears more than once in left table", name)
				}
				li = i
			}
		}
		for i, c := range rsc {
			if c.name == name && !c.qualOnly {
				if ri >= 0 {
					return nil, nil, sqlerr.New(sqlerr.AmbiguousColumn, "common column name \"%s\" appears more than once in right table", name)
				}
				ri = i
			}
		}
		if li < 0 {
			return nil, nil, sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" specified in USING clause does not exist in left table", name)
		}
		if ri < 0 {
			return nil, nil, sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" specified in USING clause does not exist in right table", name)
		}
		eq, err := b.binary("=", &colExpr{idx: li, t: lsc[li].t}, &colExpr{idx: len(lsc) + ri, t: rsc[ri].t}, -1)
		if err != nil {
			return nil, nil, err
		}
		conds = append(conds, eq)
		pairs = append(pairs, pair{li, ri})
		lsc[li].markUsed()
		rsc[ri].markUsed()
	}
	if j.On != nil {
		if containsAggregate(j.On) {
			return nil, nil, sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in JOIN conditions")
		}
		on, err := b.expr(j.On)
		if err != nil {
			return nil, nil, err
		}
		if on, err = b.coerce(on, types.Bool, "argument of JOIN/ON", -1); err != nil {
			return nil, nil, err
		}
		conds = append(conds, on)
	}
	if len(conds) == 1 {
		jn.cond = conds[0]
	} else if len(conds) > 1 {
		jn.cond = &boolExpr{and: true, args: conds}
	}
	var n node = jn
	out := scope
	if len(pairs) > 0 {
		// Merged USING columns first, then every input column.
		var exprs []Expr
		var merged []scopeCol
		for _, p := range pairs {
			l := &colExpr{idx: p.l, t: lsc[p.l].t}
			r := &colExpr{idx: len(lsc) + p.r, t: rsc[p.r].t}
			t, err := commonType([]Expr{l, r}, "JOIN/USING", -1)
			if err != nil {
				return nil, nil, err
			}
			lc, err := b.coerce(l, t, "JOIN/USING", -1)
			if err != nil {
				return nil, nil, err
			}
			rc, err := b.coerce(r, t, "JOIN/USING", -1)
			if err != nil {
				return nil, nil, err
			}
			var m Expr
			switch j.Kind {
			case ast.RightJoin:
				m = rc
			case ast.FullJoin:
				m = &coalesceExpr{t: t, args: []Expr{lc, rc}}
			default:
				m = lc
			}
			exprs = append(exprs, m)
			merged = append(merged, scopeCol{table: j.Alias, name: lsc[p.l].name, t: t})
		}
		out = merged
		for i, c := range scope {
			exprs = append(exprs, &colExpr{idx: i, t: c.t})
			for _, p := range pairs {
				if i == p.l || i == len(lsc)+p.r {
					c.qualOnly, c.noStar = true, true
				}
			}
			out = append(out, c)
		}
		n = &projectNode{child: jn, exprs: exprs}
	}
	if j.Alias != "" {
		// An aliased join hides the inner table names.
		renamed := make([]scopeCol, 0, len(out))
		k := 0
		for _, c := range out {
			if c.qualOnly {
				continue
			}
			c.table = j.Alias
			if k < len(j.ColAliases) {
				c.name = j.ColAliases[k]
			}
			k++
			renamed = append(renamed, c)
		}
		if len(renamed) != len(out) {
			exprs := make([]Expr, 0, len(renamed))
			for i, c := range out {
				if !c.qualOnly {
					exprs = append(exprs, &colExpr{idx: i, t: c.t})
				}
			}
			n = &projectNode{child: n, exprs: exprs}
		}
		out = renamed
	}
	return n, out, nil
}

// joinNode joins two inputs. With equality keys between the sides it builds
// a hash table on the right input; otherwise it loops. cond is evaluated on
// the concatenated row (left ++ right).
type joinNode struct {
	left, right           node
	kind                  ast.JoinKind
	cond                  Expr
	leftWidth, rightWidth int
	// hash keys: left-side expressions (over the left row) and right-side
	// expressions (over the right row) that must be equal for a match.
	lkeys, rkeys []Expr
	keyTypes     []types.Type
	// lateral: the right input is re-run for every left row (it reads the
	// left row as its enclosing level).
	lateral bool
	// colTypes are the types of the joined row's columns (left, then right).
	colTypes []types.Type
}

// scopeTypes lists the types of the columns of two scopes joined.
func scopeTypes(l, r []scopeCol) []types.Type {
	out := make([]types.Type, 0, len(l)+len(r))
	for _, c := range append(append([]scopeCol(nil), l...), r...) {
		out = append(out, c.t)
	}
	return out
}

// planHash extracts equality conjuncts left = right from cond.
func (j *joinNode) planHash() {
	if j.cond == nil || j.kind == ast.CrossJoin || j.lateral || len(j.lkeys) > 0 {
		return
	}
	for _, c := range andArgs(j.cond) {
		f, ok := c.(*fnExpr)
		if !ok || !f.isEq || len(f.args) != 2 {
			continue
		}
		a, b := f.args[0], f.args[1]
		sa, sb := side(a, j.leftWidth), side(b, j.leftWidth)
		switch {
		case sa == 1 && sb == 2:
		case sa == 2 && sb == 1:
			a, b = b, a
		default:
			continue
		}
		rb, ok := shiftCols(b, -j.leftWidth)
		if !ok {
			continue
		}
		j.lkeys = append(j.lkeys, a)
		j.rkeys = append(j.rkeys, rb)
		j.keyTypes = append(j.keyTypes, a.Type())
	}
}

// side reports which join input an expression reads: 1 left, 2 right, 0
// none or unknown, 3 both.
func side(e Expr, leftWidth int) int {
	s := 0
	ok := walkExpr(e, func(x Expr) bool {
		if c, isCol := x.(*colExpr); isCol {
			if c.idx < leftWidth {
				s |= 1
			} else {
				s |= 2
			}
		}
		return true
	})
	if !ok {
		return 3
	}
	return s
}

func (j *joinNode) open(ec *evalCtx) (rowIter, error) {
	if j.lateral {
		return (&lateralJoinNode{left: j.left, right: j.right, kind: j.kind, cond: j.cond, leftWidth: j.leftWidth, rightWidth: j.rightWidth}).open(ec)
	}
	// A condition that is constant FALSE or NULL matches nothing (as
	// PostgreSQL's planner sees, which then runs no input it needs not):
	// an inner join is empty, a left join only pads its left rows, a
	// right join only its right rows.
	never := j.cond != nil && neverTrue(j.cond)
	if never && (j.kind == ast.InnerJoin || j.kind == ast.CrossJoin) {
		return &sliceIter{}, nil
	}
	var l rowIter = &sliceIter{}
	if !never || j.kind != ast.RightJoin {
		var err error
		if l, err = openNode(ec, j.left); err != nil {
			return nil, err
		}
		// No left row: an inner or left join is empty without reading
		// the right input.
		first, err := l.next()
		if err != nil {
			l.close()
			return nil, err
		}
		if first == nil && j.kind != ast.RightJoin && j.kind != ast.FullJoin {
			l.close()
			return &sliceIter{}, nil
		}
		if first != nil {
			l = &chainIter{first: [][]types.Datum{first}, rest: l}
		}
	}
	var right [][]types.Datum
	if !never || j.kind != ast.LeftJoin {
		var err error
		if right, err = collect(ec, j.right); err != nil {
			l.close()
			return nil, err
		}
	}
	it := &joinIter{j: j, ec: ec, l: l, right: right, matched: make([]bool, len(right))}
	if j.cond != nil {
		it.conds = filterConjuncts(j.cond)
	}
	if len(j.lkeys) == 1 && j.keyTypes[0].IsInteger() {
		// One integer key: an integer (or dense) table instead of encoded
		// keys in a string map.
		t, err := intJoinTable(ec, right, func(r []types.Datum) (types.Datum, error) { return j.rkeys[0].Eval(ec, r) })
		if err != nil {
			l.close()
			return nil, err
		}
		it.ints = t
		return it, nil
	}
	if len(j.lkeys) > 0 {
		it.table = map[string][]int{}
		for i, row := range right {
			key, null, err := evalKey(ec, j.rkeys, j.keyTypes, row, it.buf[:0])
			if err != nil {
				l.close()
				return nil, err
			}
			it.buf = key
			if !null {
				it.table[string(key)] = append(it.table[string(key)], i)
			}
		}
	}
	return it, nil
}

// evalKey encodes key expressions; null reports a NULL (which never matches).
func evalKey(ec *evalCtx, keys []Expr, ts []types.Type, row []types.Datum, buf []byte) ([]byte, bool, error) {
	vals := make([]types.Datum, len(keys))
	for i, k := range keys {
		v, err := k.Eval(ec, row)
		if err != nil {
			return buf, false, err
		}
		if v == nil {
			return buf, true, nil
		}
		vals[i] = v
	}
	return appendKey(buf, vals, seq(len(keys)), ts), false, nil
}

type joinIter struct {
	j       *joinNode
	ec      *evalCtx
	l       rowIter
	right   [][]types.Datum
	matched []bool
	table   map[string][]int
	ints    *joinTable // one integer key: its rows by key
	buf     []byte

	conds    []Expr        // the condition's conjuncts, cheap ones first
	cur      []types.Datum // current left row
	cands    []int         // candidate right rows for cur
	pos      int
	curMatch bool
	leftDone bool
	tailPos  int // emitting unmatched right rows (RIGHT/FULL)
	n        int
}

func (it *joinIter) concat(l, r []types.Datum) []types.Datum {
	row := make([]types.Datum, it.j.leftWidth+it.j.rightWidth)
	copy(row, l)
	copy(row[it.j.leftWidth:], r)
	return row
}

func (it *joinIter) next() ([]types.Datum, error) {
	j := it.j
	for !it.leftDone {
		if it.cur == nil {
			row, err := it.l.next()
			if err != nil {
				return nil, err
			}
			if row == nil {
				it.leftDone = true
				break
			}
			it.cur, it.pos, it.curMatch = row, 0, false
			if it.ints != nil {
				k, err := j.lkeys[0].Eval(it.ec, row)
				if err != nil {
					return nil, err
				}
				it.cands = it.cands[:0]
				if k != nil {
					for b := it.ints.first(k.(int64)); b >= 0; b = it.ints.next[b] {
						it.cands = append(it.cands, int(b))
					}
				}
			} else if it.table != nil {
				key, null, err := evalKey(it.ec, j.lkeys, j.keyTypes, row, it.buf[:0])
				if err != nil {
					return nil, err
				}
				it.buf = key
				it.cands = nil
				if !null {
					it.cands = it.table[string(key)]
				}
			}
		}
		limit := len(it.right)
		if it.table != nil || it.ints != nil {
			limit = len(it.cands)
		}
		for it.pos < limit {
			ri := it.pos
			if it.table != nil || it.ints != nil {
				ri = it.cands[it.pos]
			}
			it.pos++
			if it.n++; it.n%4096 == 0 {
				if err := it.ec.ctx.Err(); err != nil {
					return nil, err
				}
			}
			row := it.concat(it.cur, it.right[ri])
			ok, err := allTrue(it.ec, it.conds, row)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			it.curMatch = true
			it.matched[ri] = true
			return row, nil
		}
		cur := it.cur
		it.cur = nil
		if !it.curMatch && (j.kind == ast.LeftJoin || j.kind == ast.FullJoin) {
			return it.concat(cur, nil), nil
		}
	}
	if j.kind == ast.RightJoin || j.kind == ast.FullJoin {
		for it.tailPos < len(it.right) {
			i := it.tailPos
			it.tailPos++
			if !it.matched[i] {
				return it.concat(nil, it.right[i]), nil
			}
		}
	}
	return nil, nil
}

func (it *joinIter) close() { it.l.close() }

// lateralCapable reports whether a FROM item may refer to items on its left:
// LATERAL sub-queries and (implicitly) functions.
func lateralCapable(t ast.TableRef) bool {
	switch x := t.(type) {
	case *ast.SubqueryTable:
		return x.Lateral
	case *ast.FuncTable:
		return true
	}
	return false
}

// lateralItem binds a LATERAL item with the columns on its left visible as
// an enclosing level; lateral reports whether it must run per left row.
func (b *binder) lateralItem(t ast.TableRef, left []scopeCol) (node, []scopeCol, bool, error) {
	leftLvl := &binder{tables: b.tables, params: b.params, foldErr: b.foldErr, outer: b.outer, ctes: b.ctes, scope: left}
	inner := b.child()
	inner.outer = leftLvl
	var n node
	var sc []scopeCol
	var err error
	switch x := t.(type) {
	case *ast.SubqueryTable:
		var cols []Column
		if n, cols, err = inner.query(x.Query); err != nil {
			return nil, nil, false, err
		}
		if sc, err = derivedScope(x, cols); err != nil {
			return nil, nil, false, err
		}
	case *ast.FuncTable:
		if n, sc, err = inner.tableFunc(x); err != nil {
			return nil, nil, false, err
		}
	}
	if leftLvl.correlated {
		// References beyond the left items reach this query's enclosing levels.
		b.correlated = true
	}
	return n, sc, inner.correlated, nil
}

// lateralJoinNode runs its right input once per left row, with the left row
// as the right side's enclosing level (LATERAL).
type lateralJoinNode struct {
	left, right           node
	kind                  ast.JoinKind
	cond                  Expr
	leftWidth, rightWidth int
}

func (j *lateralJoinNode) open(ec *evalCtx) (rowIter, error) {
	l, err := openNode(ec, j.left)
	if err != nil {
		return nil, err
	}
	return &lateralIter{j: j, ec: ec, l: l}, nil
}

type lateralIter struct {
	j       *lateralJoinNode
	ec      *evalCtx
	l       rowIter
	cur     []types.Datum
	right   [][]types.Datum
	scope   *memAccount // what the current right rows are charged to
	pos     int
	matched bool
}

func (it *lateralIter) next() ([]types.Datum, error) {
	j := it.j
	for {
		if it.cur == nil {
			row, err := it.l.next()
			if err != nil || row == nil {
				return nil, err
			}
			// The previous left row's right rows are dropped: give back
			// what they were charged.
			it.scope.release()
			sec := it.ec.sub(row)
			it.scope = sec.mem
			if it.right, err = collect(sec, j.right); err != nil {
				return nil, err
			}
			it.cur, it.pos, it.matched = row, 0, false
		}
		for it.pos < len(it.right) {
			r := it.right[it.pos]
			it.pos++
			row := make([]types.Datum, j.leftWidth+j.rightWidth)
			copy(row, it.cur)
			copy(row[j.leftWidth:], r)
			if j.cond != nil {
				v, err := j.cond.Eval(it.ec, row)
				if err != nil {
					return nil, err
				}
				if v == nil || !v.(bool) {
					continue
				}
			}
			it.matched = true
			return row, nil
		}
		cur := it.cur
		it.cur = nil
		if !it.matched && j.kind == ast.LeftJoin {
			row := make([]types.Datum, j.leftWidth+j.rightWidth)
			copy(row, cur)
			return row, nil
		}
	}
}

func (it *lateralIter) close() { it.l.close() }
