package main

import (
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

func origin(o types.Object) types.Object {
	switch x := o.(type) {
	case *types.Func:
		return x.Origin()
	case *types.Var:
		return x.Origin()
	}
	return o
}

func isMethod(o types.Object) bool {
	f, ok := o.(*types.Func)
	return ok && f.Signature().Recv() != nil
}

func isField(o types.Object) bool {
	v, ok := o.(*types.Var)
	return ok && v.IsField()
}

func (t *Tool) pkgLevel(o types.Object) bool { return o.Parent() == t.scope }

// memberUnit returns the unit declaring a field or method.
func (t *Tool) memberUnit(o types.Object) *Unit {
	if u := t.objUnit[o]; u != nil {
		return u
	}
	return t.unitAt(o.Pos())
}

func exportName(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// analyze computes cross-target references, the export set and renames.
func (t *Tool) analyze() {
	t.members = map[types.Object][]token.Pos{}
	t.mnames = map[string]string{}
	t.embedTN = map[*types.Var]*types.TypeName{}
	t.embedOf = map[*types.TypeName][]*types.Var{}
	t.deps = map[*Unit]map[*Unit]bool{}
	t.owner = map[types.Object]string{}

	needMember := func(o types.Object, p token.Pos) {
		if o.Exported() {
			return
		}
		t.members[o] = append(t.members[o], p)
		if isMethod(o) {
			if _, ok := t.mnames[o.Name()]; !ok {
				t.mnames[o.Name()] = "used across targets at " + t.pos(p)
			}
		}
	}

	type testUse struct {
		obj    types.Object
		target string
	}
	type testUseInfo struct {
		first token.Pos
		decl  *Unit
		n     int
	}
	testUses := map[testUse]*testUseInfo{}
	var testOrder []testUse
	hasTestdata := false
	if fi, err := os.Stat(filepath.Join(t.dir, "testdata")); err == nil && fi.IsDir() {
		hasTestdata = true
	}
	for _, u := range t.units {
		if u.Target != "." {
			if hasTestdata && u.File.Test {
				t.warnf("%s moves to %s but %s has a testdata directory: tests reading testdata/ need it copied or their paths fixed", u.File.Name, u.Target, filepath.Base(t.dir))
				hasTestdata = false
			}
			for _, cg := range declDocs(u.Decl) {
				for _, c := range cg.List {
					if strings.HasPrefix(c.Text, "//go:embed") || strings.HasPrefix(c.Text, "//go:linkname") {
						t.warnf("%s: %s moves to %s: directive %q is relative to the package; check it", t.pos(c.Pos()), u.Names[0], u.Target, c.Text)
					}
				}
			}
		}
		u.pkgNames = map[*types.PkgName]bool{}
		u.dotPkgs = map[*types.Package]bool{}
		sels := map[*ast.Ident]bool{}
		ast.Inspect(u.Decl, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				sels[n.Sel] = true
			case *ast.TypeSpec:
				if st, ok := n.Type.(*ast.StructType); ok {
					for _, fl := range st.Fields.List {
						for _, nm := range fl.Names {
							if o := t.info.Defs[nm]; o != nil {
								t.owner[o] = n.Name.Name
							}
						}
						if id := embeddedIdent(fl.Type); len(fl.Names) == 0 && id != nil {
							if o := t.info.Defs[id]; o != nil {
								t.owner[o] = n.Name.Name
							}
						}
					}
				}
			case *ast.Field:
				// embedded field: Defs -> field Var, Uses -> TypeName
				if len(n.Names) == 0 {
					id := embeddedIdent(n.Type)
					if id == nil {
						break
					}
					fv, _ := t.info.Defs[id].(*types.Var)
					tn, _ := t.info.Uses[id].(*types.TypeName)
					if fv != nil && tn != nil && tn.Pkg() == t.tpkg && t.pkgLevel(tn) {
						t.embedTN[fv] = tn
						t.embedOf[tn] = append(t.embedOf[tn], fv)
					}
				}
			case *ast.CompositeLit:
				t.checkUnkeyed(u, n, needMember)
			case *ast.CallExpr:
				t.checkConversion(u, n)
			case *ast.Ident:
				obj := t.info.Uses[n]
				if obj == nil {
					return true
				}
				if pn, ok := obj.(*types.PkgName); ok {
					u.pkgNames[pn] = true
					return true
				}
				if obj.Pkg() != t.tpkg {
					if obj.Pkg() != nil && !sels[n] {
						u.dotPkgs[obj.Pkg()] = true
					}
					return true
				}
				obj = origin(obj)
				if t.pkgLevel(obj) {
					d := t.objUnit[obj]
					if d == nil {
						t.warnf("%s: cannot find declaration of %s", t.pos(n.Pos()), obj.Name())
						return true
					}
					if t.deps[u] == nil {
						t.deps[u] = map[*Unit]bool{}
					}
					t.deps[u][d] = true
					if d.Target != u.Target {
						t.pkgRefs = append(t.pkgRefs, Ref{From: u, To: d, Obj: obj, Pos: n.Pos()})
						if d.File.Test {
							k := testUse{obj, u.Target}
							if testUses[k] == nil {
								testUses[k] = &testUseInfo{first: n.Pos(), decl: d}
								testOrder = append(testOrder, k)
							}
							testUses[k].n++
						}
					}
				} else if isMethod(obj) || isField(obj) {
					d := t.memberUnit(obj)
					if d != nil && d.Target != u.Target {
						needMember(obj, n.Pos())
					}
				}
			}
			return true
		})
	}
	for _, k := range testOrder {
		i := testUses[k]
		t.errorf("%s: %s is declared in test file %s (target %s) but used from target %s (%d uses): test declarations are not visible to other packages",
			t.pos(i.first), k.obj.Name(), i.decl.File.Name, i.decl.Target, k.target, i.n)
	}
	t.checkInterfaces()

	// exported package-level objects: everything referenced across targets,
	// closed under embedded-field linkage.
	pkgExport := map[types.Object]bool{}
	for _, r := range t.pkgRefs {
		if !r.Obj.Exported() {
			pkgExport[r.Obj] = true
		}
	}
	fieldExport := map[*types.Var]bool{}
	for o := range t.members {
		if v, ok := o.(*types.Var); ok {
			fieldExport[v] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for fv := range fieldExport {
			if tn := t.embedTN[fv]; tn != nil && !tn.Exported() && !pkgExport[tn] {
				pkgExport[tn] = true
				changed = true
			}
		}
		for o := range pkgExport {
			if tn, ok := o.(*types.TypeName); ok {
				for _, fv := range t.embedOf[tn] {
					if !fieldExport[fv] {
						fieldExport[fv] = true
						changed = true
					}
				}
			}
		}
	}

	t.rename = map[types.Object]string{}
	add := func(o types.Object) {
		nn := exportName(o.Name())
		if !token.IsExported(nn) || !token.IsIdentifier(nn) {
			t.errorf("%s: %s must be exported but %q cannot be exported by capitalising it; rename it first", t.pos(o.Pos()), o.Name(), o.Name())
			return
		}
		t.rename[o] = nn
	}
	for o := range pkgExport {
		add(o)
	}
	for v := range fieldExport {
		if !v.Exported() {
			add(v)
		}
	}
	// all methods (concrete and interface) with an exported name
	for id, o := range t.info.Defs {
		if o == nil || !isMethod(o) || o.Exported() {
			continue
		}
		if _, ok := t.mnames[o.Name()]; ok {
			_ = id
			add(o)
		}
	}
	t.checkCollisions()
}

// declDocs returns the doc comments of a declaration and its specs.
func declDocs(d ast.Decl) []*ast.CommentGroup {
	var out []*ast.CommentGroup
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Doc != nil {
			out = append(out, d.Doc)
		}
	case *ast.GenDecl:
		if d.Doc != nil {
			out = append(out, d.Doc)
		}
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.ValueSpec:
				if s.Doc != nil {
					out = append(out, s.Doc)
				}
			case *ast.TypeSpec:
				if s.Doc != nil {
					out = append(out, s.Doc)
				}
			}
		}
	}
	return out
}

func embeddedIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.SelectorExpr:
			return x.Sel
		case *ast.Ident:
			return x
		default:
			return nil
		}
	}
}

// unkeyedStruct returns the struct type of a non-empty literal written
// without field keys.
func (t *Tool) unkeyedStruct(lit *ast.CompositeLit) (*types.Struct, bool) {
	if len(lit.Elts) == 0 {
		return nil, false
	}
	if _, ok := lit.Elts[0].(*ast.KeyValueExpr); ok {
		return nil, false
	}
	tv, ok := t.info.Types[lit]
	if !ok || tv.Type == nil {
		return nil, false
	}
	typ := tv.Type
	if p, ok := typ.Underlying().(*types.Pointer); ok {
		typ = p.Elem()
	}
	st, ok := typ.Underlying().(*types.Struct)
	return st, ok
}

// checkUnkeyed: an unkeyed struct literal of a struct declared in another
// target needs all its fields exported.
func (t *Tool) checkUnkeyed(u *Unit, lit *ast.CompositeLit, need func(types.Object, token.Pos)) {
	st, ok := t.unkeyedStruct(lit)
	if !ok {
		return
	}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i).Origin()
		if f.Pkg() != t.tpkg {
			continue
		}
		if d := t.memberUnit(f); d != nil && d.Target != u.Target {
			need(f, lit.Pos())
		}
	}
}

// checkConversion warns about conversions between distinct struct types whose
// fields live in different targets or get renamed (struct identity changes).
func (t *Tool) checkConversion(u *Unit, call *ast.CallExpr) {
	if len(call.Args) != 1 {
		return
	}
	ftv, ok := t.info.Types[call.Fun]
	if !ok || !ftv.IsType() {
		return
	}
	to := ftv.Type
	from := t.info.TypeOf(call.Args[0])
	if from == nil || types.Identical(to, from) {
		return
	}
	s1, ok1 := to.Underlying().(*types.Struct)
	s2, ok2 := from.Underlying().(*types.Struct)
	if !ok1 || !ok2 || s1.NumFields() == 0 {
		return
	}
	tg := map[string]bool{}
	for _, s := range []*types.Struct{s1, s2} {
		for i := 0; i < s.NumFields(); i++ {
			if d := t.memberUnit(s.Field(i).Origin()); d != nil {
				tg[d.Target] = true
			}
		}
	}
	if len(tg) > 1 {
		t.warnf("%s: conversion %s(%s) between struct types declared in different targets: field identity changes after the split", t.pos(call.Pos()), types.TypeString(to, types.RelativeTo(t.tpkg)), types.TypeString(from, types.RelativeTo(t.tpkg)))
	}
}

// checkInterfaces exports the unexported methods of an interface when some
// type implements it with a method declared in another target.
func (t *Tool) checkInterfaces() {
	ifaces := map[types.Type]bool{}
	var ifList []types.Type
	var named []types.Type
	for _, o := range t.info.Defs {
		if o == nil {
			continue
		}
		if isMethod(o) {
			rt := o.(*types.Func).Signature().Recv().Type()
			if _, ok := rt.Underlying().(*types.Interface); ok && !ifaces[rt] {
				ifaces[rt] = true
				ifList = append(ifList, rt)
			}
		}
		if tn, ok := o.(*types.TypeName); ok && t.pkgLevel(tn) && !tn.IsAlias() {
			if nt, ok := tn.Type().(*types.Named); ok && nt.TypeParams().Len() == 0 {
				named = append(named, nt)
			}
		}
	}
	sort.Slice(ifList, func(i, j int) bool { return ifList[i].String() < ifList[j].String() })
	sort.Slice(named, func(i, j int) bool { return named[i].String() < named[j].String() })
	for _, it := range ifList {
		iface := it.Underlying().(*types.Interface)
		var unexp []*types.Func
		for i := 0; i < iface.NumMethods(); i++ {
			if m := iface.Method(i); !m.Exported() && m.Pkg() == t.tpkg {
				unexp = append(unexp, m)
			}
		}
		if len(unexp) == 0 {
			continue
		}
		if n, ok := it.(*types.Named); ok && n.TypeParams().Len() > 0 {
			continue
		}
		for _, c := range named {
			if types.Identical(c, it) {
				continue
			}
			var impl types.Type
			if types.Implements(c, iface) {
				impl = c
			} else if _, isIf := c.Underlying().(*types.Interface); !isIf && types.Implements(types.NewPointer(c), iface) {
				impl = types.NewPointer(c)
			} else {
				continue
			}
			for _, m := range unexp {
				if _, done := t.mnames[m.Name()]; done {
					continue
				}
				mo, _, _ := types.LookupFieldOrMethod(impl, true, t.tpkg, m.Name())
				if mo == nil {
					continue
				}
				d1, d2 := t.memberUnit(origin(m)), t.memberUnit(origin(mo))
				if d1 != nil && d2 != nil && d1.Target != d2.Target {
					t.mnames[m.Name()] = "interface " + types.TypeString(it, types.RelativeTo(t.tpkg)) + " (" + d1.Target + ") implemented by " +
						types.TypeString(impl, types.RelativeTo(t.tpkg)) + " (" + d2.Target + ")"
				}
			}
		}
	}
}

// checkCollisions verifies that no rename changes what a name refers to.
func (t *Tool) checkCollisions() {
	// package level
	var objs []types.Object
	for o := range t.rename {
		objs = append(objs, o)
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Pos() < objs[j].Pos() })
	for _, o := range objs {
		nn := t.rename[o]
		if !t.pkgLevel(o) {
			continue
		}
		if c := t.scope.Lookup(nn); c != nil {
			t.errorf("export %s -> %s (%s) collides with existing package-level %s at %s; rename one of them first",
				o.Name(), nn, t.pos(o.Pos()), nn, t.pos(c.Pos()))
		}
	}
	// local capture of unqualified uses of renamed package-level objects
	reported := map[types.Object]bool{}
	for id, o := range t.info.Uses {
		o = origin(o)
		nn, ok := t.rename[o]
		if !ok || !t.pkgLevel(o) || reported[o] {
			continue
		}
		u := t.unitAt(id.Pos())
		if u == nil || u.Target != t.objUnit[o].Target {
			continue // qualified: cannot be captured
		}
		if s := t.scope.Innermost(id.Pos()); s != nil {
			if _, c := s.LookupParent(nn, id.Pos()); c != nil && !t.pkgLevel(c) {
				reported[o] = true
				t.errorf("export %s -> %s: the use at %s would refer to %s declared at %s; rename that first",
					o.Name(), nn, t.pos(id.Pos()), nn, t.pos(c.Pos()))
			}
		}
	}
	// members: for every named type (and pointer), a renamed member reachable
	// through old name must not meet an existing member with the new name.
	oldNames := map[string]bool{}
	for o := range t.rename {
		if !t.pkgLevel(o) {
			oldNames[o.Name()] = true
		}
	}
	collided := map[types.Object]bool{}
	check := func(T types.Type, where token.Pos) {
		for old := range oldNames {
			mo, _, _ := types.LookupFieldOrMethod(T, true, t.tpkg, old)
			if mo == nil {
				continue
			}
			nn, ok := t.rename[origin(mo)]
			if !ok {
				continue
			}
			if c, _, _ := types.LookupFieldOrMethod(T, true, t.tpkg, nn); c != nil {
				collided[origin(mo)] = true
				t.errorf("export %s.%s -> %s collides with %s.%s (%s) on type %s (%s); rename one of them first",
					typeNameOf(T, t.tpkg), old, nn, typeNameOf(T, t.tpkg), nn, t.pos(c.Pos()), typeNameOf(T, t.tpkg), t.pos(where))
			}
		}
	}
	seenT := map[string]bool{}
	for _, o := range t.info.Defs {
		tn, ok := o.(*types.TypeName)
		if !ok || tn.Pkg() != t.tpkg || tn.IsAlias() {
			continue
		}
		if _, ok := tn.Type().(*types.TypeParam); ok {
			continue
		}
		k := tn.Type().String()
		if seenT[k] {
			continue
		}
		seenT[k] = true
		check(tn.Type(), tn.Pos())
	}
	// selections on anonymous types etc.
	seenSel := map[string]bool{}
	for sx, sel := range t.info.Selections {
		o := origin(sel.Obj())
		nn, ok := t.rename[o]
		if !ok || collided[o] {
			continue
		}
		if c, _, _ := types.LookupFieldOrMethod(sel.Recv(), true, t.tpkg, nn); c != nil {
			k := sel.Recv().String() + "." + nn
			if !seenSel[k] {
				seenSel[k] = true
				t.errorf("%s: export of %s -> %s: selection %s would resolve to existing %s (%s)",
					t.pos(sx.Pos()), o.Name(), nn, types.ExprString(sx), nn, t.pos(c.Pos()))
			}
		}
	}
	// well-known method names change behaviour (fmt, errors, encoding/json, ...)
	known := map[string][]string{
		"String": {"() string"}, "Error": {"() string"}, "GoString": {"() string"},
		"Format": {"(fmt.State, rune)"}, "Unwrap": {"() error", "() []error"},
		"Is": {"(error) bool"}, "As": {"(any) bool", "(interface{}) bool"},
		"MarshalJSON": {"() ([]byte, error)"}, "UnmarshalJSON": {"([]byte) error"},
		"MarshalText": {"() ([]byte, error)"}, "UnmarshalText": {"([]byte) error"},
		"MarshalBinary": {"() ([]byte, error)"}, "UnmarshalBinary": {"([]byte) error"},
		"Scan": {"(any) error", "(interface{}) error"}, "Value": {"() (database/sql/driver.Value, error)"},
	}
	warned := map[string]bool{}
	for o, nn := range t.rename {
		sigs, ok := known[nn]
		if !ok || !isMethod(o) || warned[nn] {
			continue
		}
		k := sigKey(o.(*types.Func).Signature())
		for _, s := range sigs {
			if k == s {
				warned[nn] = true
				t.warnf("method %s becomes %s%s (%s): its type may start satisfying a standard interface (fmt.Stringer, error, ...) and change behaviour",
					o.Name(), nn, k, t.pos(o.Pos()))
			}
		}
	}
}

// sigKey renders a signature without parameter names: "(T1, T2) R" or "(T) (R1, R2)".
func sigKey(sig *types.Signature) string {
	q := func(p *types.Package) string { return p.Path() }
	tup := func(tp *types.Tuple) []string {
		var out []string
		for i := 0; i < tp.Len(); i++ {
			out = append(out, types.TypeString(tp.At(i).Type(), q))
		}
		return out
	}
	s := "(" + strings.Join(tup(sig.Params()), ", ") + ")"
	switch r := tup(sig.Results()); len(r) {
	case 0:
	case 1:
		s += " " + r[0]
	default:
		s += " (" + strings.Join(r, ", ") + ")"
	}
	return s
}

func typeNameOf(T types.Type, p *types.Package) string {
	return strings.TrimPrefix(types.TypeString(T, types.RelativeTo(p)), "*")
}
