package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/imports"
)

// OutFile is one generated file: the decls of one original file that go to one target.
type OutFile struct {
	Orig      *File
	Target    string
	Units     []*Unit
	Quals     map[string]string // referenced target -> qualifier used in this file
	Content   []byte
	Lines     int
	Orphans   bool // carries the file's comments from around its imports
	Unchanged bool // target "." and nothing to change: leave the file alone
	DocOnly   bool // a file that lost all its decls but keeps its package doc
}

func (of *OutFile) RelPath() string {
	if of.Target == "." {
		return of.Orig.Name
	}
	return filepath.Join(of.Target, of.Orig.Name)
}

// isPkgDoc reports whether a file's doc comment is a package doc ("Package x ...").
func isPkgDoc(cg *ast.CommentGroup) bool {
	return cg != nil && strings.HasPrefix(cg.Text(), "Package ")
}

func identChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// collectEdits computes rename edits and qualification sites of every unit.
func (t *Tool) collectEdits() {
	for _, u := range t.units {
		u := u
		add := func(id *ast.Ident, nn string) {
			u.edits = append(u.edits, Edit{Off: t.off(id.Pos()), End: t.off(id.End()), Text: nn})
		}
		doc := func(cg *ast.CommentGroup, objs ...types.Object) {
			if cg == nil || len(cg.List) == 0 {
				return
			}
			c := cg.List[0]
			for _, o := range objs {
				if o == nil {
					continue
				}
				nn, ok := t.rename[origin(o)]
				if !ok {
					continue
				}
				pre := "// " + o.Name()
				if strings.HasPrefix(c.Text, pre) && (len(c.Text) == len(pre) || !identChar(c.Text[len(pre)])) {
					off := t.off(c.Pos()) + 3
					u.edits = append(u.edits, Edit{Off: off, End: off + len(o.Name()), Text: nn})
					return
				}
			}
		}
		switch d := u.Decl.(type) {
		case *ast.FuncDecl:
			doc(d.Doc, t.info.Defs[d.Name])
		case *ast.GenDecl:
			for _, s := range d.Specs {
				var objs []types.Object
				var sdoc *ast.CommentGroup
				switch s := s.(type) {
				case *ast.TypeSpec:
					objs = append(objs, t.info.Defs[s.Name])
					sdoc = s.Doc
				case *ast.ValueSpec:
					for _, n := range s.Names {
						objs = append(objs, t.info.Defs[n])
					}
					sdoc = s.Doc
				}
				if !d.Lparen.IsValid() {
					doc(d.Doc, objs...)
				}
				doc(sdoc, objs...)
			}
		}
		ast.Inspect(u.Decl, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				t.keyLiteral(u, n)
			case *ast.Field:
				var objs []types.Object
				for _, nm := range n.Names {
					objs = append(objs, t.info.Defs[nm])
				}
				doc(n.Doc, objs...)
			case *ast.Ident:
				if obj := t.info.Uses[n]; obj != nil {
					if obj.Pkg() != t.tpkg {
						return true
					}
					o := origin(obj)
					nn, renamed := t.rename[o]
					if !renamed {
						nn = o.Name()
					}
					if t.pkgLevel(o) {
						if d := t.objUnit[o]; d != nil && d.Target != u.Target {
							u.quals = append(u.quals, qualSite{id: n, target: d.Target, name: nn})
							return true
						}
					}
					if renamed {
						add(n, nn)
					}
					return true
				}
				if obj := t.info.Defs[n]; obj != nil {
					if nn, ok := t.rename[origin(obj)]; ok {
						add(n, nn)
					}
				}
			}
			return true
		})
	}
}

// keyLiteral turns an unkeyed literal of a struct declared in another target
// into a keyed one (go vet's composites check flags unkeyed imported structs).
func (t *Tool) keyLiteral(u *Unit, lit *ast.CompositeLit) {
	st, ok := t.unkeyedStruct(lit)
	if !ok || st.NumFields() != len(lit.Elts) {
		return
	}
	cross := false
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i).Origin()
		if d := t.memberUnit(f); f.Pkg() == t.tpkg && d != nil && d.Target != u.Target {
			cross = true
		}
	}
	if !cross {
		return
	}
	for i, e := range lit.Elts {
		f := st.Field(i).Origin()
		name := f.Name()
		if nn, ok := t.rename[f]; ok {
			name = nn
		}
		off := t.off(e.Pos())
		u.edits = append(u.edits, Edit{Off: off, End: off, Text: name + ": "})
	}
}

// outFiles groups units into output files and renders them.
func (t *Tool) buildOutFiles() {
	for _, f := range t.files {
		byT := map[string]*OutFile{}
		var order []*OutFile
		for _, u := range f.Units {
			of := byT[u.Target]
			if of == nil {
				of = &OutFile{Orig: f, Target: u.Target, Quals: map[string]string{}}
				byT[u.Target] = of
				order = append(order, of)
			}
			of.Units = append(of.Units, u)
		}
		if len(f.Units) > 0 && byT["."] == nil && isPkgDoc(f.AST.Doc) && !f.Test {
			of := &OutFile{Orig: f, Target: ".", DocOnly: true, Quals: map[string]string{}}
			order = append([]*OutFile{of}, order...)
		}
		if len(f.Orphans) > 0 && len(order) > 0 {
			holder := order[0]
			if of := byT["."]; of != nil {
				holder = of
			}
			holder.Orphans = true
		}
		for _, of := range order {
			t.render(of)
			t.outFiles = append(t.outFiles, of)
		}
	}
}

func (t *Tool) importName(spec *ast.ImportSpec) (string, *types.PkgName) {
	var obj types.Object
	if spec.Name != nil {
		obj = t.info.Defs[spec.Name]
	}
	if obj == nil {
		obj = t.info.Implicits[spec]
	}
	pn, _ := obj.(*types.PkgName)
	if spec.Name != nil {
		return spec.Name.Name, pn
	}
	if pn != nil {
		return pn.Name(), pn
	}
	p, _ := strconv.Unquote(spec.Path.Value)
	return filepath.Base(p), nil
}

func (t *Tool) qualConflict(of *OutFile, q string) bool {
	if types.Universe.Lookup(q) != nil || token.Lookup(q).IsKeyword() {
		return true
	}
	for _, spec := range of.Orig.AST.Imports {
		if n, _ := t.importName(spec); n == q {
			return true
		}
	}
	for _, v := range of.Quals {
		if v == q {
			return true
		}
	}
	if o := t.scope.Lookup(q); o != nil {
		d := t.objUnit[o]
		if d == nil || (d.Target == of.Target && t.rename[o] == "") {
			return true
		}
	}
	for _, u := range of.Units {
		for _, s := range u.quals {
			if sc := t.scope.Innermost(s.id.Pos()); sc != nil {
				if _, c := sc.LookupParent(q, s.id.Pos()); c != nil && !t.pkgLevel(c) && c.Parent() != types.Universe {
					return true
				}
			}
		}
	}
	return false
}

func (t *Tool) render(of *OutFile) {
	f := of.Orig
	// qualifiers
	var refd []string
	seen := map[string]bool{}
	for _, u := range of.Units {
		for _, s := range u.quals {
			if !seen[s.target] {
				seen[s.target] = true
				refd = append(refd, s.target)
			}
		}
	}
	sort.Strings(refd)
	for _, tg := range refd {
		base := targetName(tg, t.pkgName)
		q := base
		for i := 1; t.qualConflict(of, q); i++ {
			q = base + "pkg"
			if i > 1 {
				q += strconv.Itoa(i)
			}
		}
		of.Quals[tg] = q
	}
	// unchanged?
	if of.Target == "." && !of.DocOnly && len(of.Units) == len(f.Units) && len(refd) == 0 {
		changed := false
		for _, u := range of.Units {
			if len(u.edits) > 0 {
				changed = true
			}
		}
		if !changed {
			of.Unchanged = true
			of.Content = f.Src
			for _, u := range of.Units {
				of.Lines += bytes.Count(f.Src[u.Start:u.End], []byte("\n"))
			}
			return
		}
	}

	var b bytes.Buffer
	// header: build constraints, copyright...; package doc only for "."
	hdrEnd := t.off(f.AST.Package)
	hdr := f.Src[:hdrEnd]
	if of.Target != "." && isPkgDoc(f.AST.Doc) {
		ds, de := t.off(f.AST.Doc.Pos()), lineEnd(f.Src, t.off(f.AST.Doc.End()))
		hdr = append(append([]byte{}, f.Src[:ds]...), f.Src[min(de, hdrEnd):hdrEnd]...)
	}
	b.Write(hdr)
	fmt.Fprintf(&b, "package %s\n\n", targetName(of.Target, t.pkgName))

	// imports: the original file's groups (blank-line separated) are kept;
	// sibling packages join the group holding the module's own imports.
	groupOf := t.importGroups(f)
	ngroups := 0
	for _, g := range groupOf {
		ngroups = max(ngroups, g+1)
	}
	groups := make([][]string, ngroups)
	localGroup := -1
	for _, spec := range f.AST.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		name, pn := t.importName(spec)
		keep := false
		switch {
		case name == "_" || path == "C":
			keep = true
		case name == ".":
			for _, u := range of.Units {
				if pn != nil && u.dotPkgs[pn.Imported()] {
					keep = true
				}
			}
		default:
			for _, u := range of.Units {
				if pn != nil && u.pkgNames[pn] {
					keep = true
				}
			}
		}
		if strings.HasPrefix(path, t.modPath+"/") || path == t.modPath {
			localGroup = groupOf[spec]
		}
		if !keep {
			continue
		}
		line := spec.Path.Value
		if spec.Name != nil {
			line = spec.Name.Name + " " + line
		}
		if spec.Comment != nil {
			line += " " + commentText(spec.Comment)
		}
		if spec.Doc != nil {
			line = strings.Join(strings.Split(string(f.Src[t.off(spec.Doc.Pos()):t.off(spec.Doc.End())]), "\n"), "\n\t") + "\n\t" + line
		}
		groups[groupOf[spec]] = append(groups[groupOf[spec]], line)
	}
	if localGroup < 0 && len(refd) > 0 {
		groups = append(groups, nil)
		localGroup = len(groups) - 1
	}
	for _, tg := range refd {
		q := of.Quals[tg]
		line := strconv.Quote(t.targetPath(tg))
		if q != targetName(tg, t.pkgName) || (tg == "." && filepath.Base(t.pkgPath) != t.pkgName) {
			line = q + " " + line
		}
		groups[localGroup] = append(groups[localGroup], line)
	}
	var nonEmpty [][]string
	n := 0
	for _, g := range groups {
		if len(g) > 0 {
			nonEmpty = append(nonEmpty, g)
			n += len(g)
		}
	}
	if n == 1 {
		b.WriteString("import " + nonEmpty[0][0] + "\n\n")
	} else if n > 1 {
		b.WriteString("import (\n")
		for i, g := range nonEmpty {
			if i > 0 {
				b.WriteString("\n")
			}
			for _, l := range g {
				b.WriteString("\t" + l + "\n")
			}
		}
		b.WriteString(")\n\n")
	}

	if of.Orphans {
		for _, cg := range f.Orphans {
			b.Write(f.Src[t.off(cg.Pos()):t.off(cg.End())])
			b.WriteString("\n\n")
		}
	}

	// declarations
	for _, u := range of.Units {
		edits := append([]Edit{}, u.edits...)
		for _, s := range u.quals {
			edits = append(edits, Edit{Off: t.off(s.id.Pos()), End: t.off(s.id.End()), Text: of.Quals[s.target] + "." + s.name})
		}
		sort.SliceStable(edits, func(i, j int) bool {
			if edits[i].Off != edits[j].Off {
				return edits[i].Off < edits[j].Off
			}
			return edits[i].End < edits[j].End // insertions first
		})
		pos := u.Start
		for _, e := range edits {
			if e.Off < pos {
				t.errorf("internal: overlapping edits in %s at offset %d", f.Name, e.Off)
				continue
			}
			b.Write(f.Src[pos:e.Off])
			b.WriteString(e.Text)
			pos = e.End
		}
		b.Write(f.Src[pos:u.End])
		of.Lines += bytes.Count(f.Src[u.Start:u.End], []byte("\n"))
	}

	outPath := filepath.Join(t.dir, of.RelPath())
	res, err := imports.Process(outPath, b.Bytes(), &imports.Options{FormatOnly: true, Comments: true, TabIndent: true, TabWidth: 8})
	if err != nil {
		t.errorf("formatting generated %s failed (tool bug?): %v", of.RelPath(), err)
		res = b.Bytes()
	}
	of.Content = res
}

// importGroups numbers the blank-line separated groups of a file's imports.
func (t *Tool) importGroups(f *File) map[*ast.ImportSpec]int {
	m := map[*ast.ImportSpec]int{}
	g := -1
	for _, d := range f.AST.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		g++
		prevLine := 0
		for i, s := range gd.Specs {
			spec := s.(*ast.ImportSpec)
			first := spec.Pos()
			if spec.Doc != nil {
				first = spec.Doc.Pos()
			}
			if i > 0 && f.TF.Line(first) > prevLine+1 {
				g++
			}
			prevLine = f.TF.Line(spec.End())
			m[spec] = g
		}
	}
	return m
}

func commentText(cg *ast.CommentGroup) string {
	var parts []string
	for _, c := range cg.List {
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, " ")
}

// write puts the generated files under root (the package directory or its
// copy) and removes originals that lost all their declarations.
func (t *Tool) write(w io.Writer, root string) error {
	for _, tg := range t.targets {
		if tg == "." {
			continue
		}
		d := filepath.Join(root, tg)
		if fis, err := os.ReadDir(d); err == nil {
			for _, fi := range fis {
				if strings.HasSuffix(fi.Name(), ".go") {
					return fmt.Errorf("%s already contains Go files; use a fresh copy", d)
				}
			}
		}
	}
	kept := map[*File]bool{}
	nw := 0
	for _, of := range t.outFiles {
		if of.Target == "." {
			kept[of.Orig] = true
		}
		if of.Unchanged {
			continue
		}
		p := filepath.Join(root, of.RelPath())
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, of.Content, 0o644); err != nil {
			return err
		}
		nw++
	}
	nd := 0
	for _, f := range t.files {
		if len(f.Units) > 0 && !kept[f] {
			if err := os.Remove(filepath.Join(root, f.Name)); err != nil {
				return err
			}
			nd++
		}
	}
	fmt.Fprintf(w, "\nwrote %d files, removed %d files under %s\n", nw, nd, root)
	return nil
}
