package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Tool holds everything known about the package being split.
type Tool struct {
	fset    *token.FileSet
	pkg     *packages.Package
	info    *types.Info
	tpkg    *types.Package
	scope   *types.Scope
	modPath string
	modDir  string
	pkgPath string
	pkgName string
	dir     string
	plan    *Plan

	files    []*File
	units    []*Unit
	objUnit  map[types.Object]*Unit // package-level objects and methods -> declaring unit
	nameUnit map[string]*Unit       // plan names ("x", "T.m") -> unit

	errs     []string
	warns    []string
	targets  []string // sorted, "." first
	rename   map[types.Object]string
	pkgRefs  []Ref                        // cross-target references to package-level objects
	deps     map[*Unit]map[*Unit]bool     // unit -> package-level units it references
	owner    map[types.Object]string      // struct field -> name of its named struct type
	members  map[types.Object][]token.Pos // fields/methods used across targets (why exported)
	mnames   map[string]string            // exported method names -> reason
	embedTN  map[*types.Var]*types.TypeName
	embedOf  map[*types.TypeName][]*types.Var
	outFiles []*OutFile
}

// File is one original source file.
type File struct {
	Name, Path string
	AST        *ast.File
	TF         *token.File
	Src        []byte
	Units      []*Unit
	Test       bool
	DeclStart  int                 // offset where the first decl's text starts (after imports)
	Orphans    []*ast.CommentGroup // comments between the package clause and the first decl
}

// Unit is a top-level declaration that moves as a whole.
type Unit struct {
	File   *File
	Decl   ast.Decl
	Names  []string
	Objs   []types.Object
	Target string
	Start  int // text range [Start, End) in File.Src
	End    int
	Recv   string // receiver type name for methods

	// filled by analysis
	quals    []qualSite // uses that need qualification
	edits    []Edit     // rename edits (qualification edits added at emit time)
	pkgNames map[*types.PkgName]bool
	dotPkgs  map[*types.Package]bool
}

type qualSite struct {
	id     *ast.Ident
	target string
	name   string // new (exported) name
}

// Edit replaces Src[Off:End] with Text.
type Edit struct {
	Off, End int
	Text     string
}

// Ref is a use of a package-level object of another target.
type Ref struct {
	From, To *Unit
	Obj      types.Object
	Pos      token.Pos
}

func (t *Tool) errorf(format string, args ...any) {
	t.errs = append(t.errs, fmt.Sprintf(format, args...))
}
func (t *Tool) warnf(format string, args ...any) {
	t.warns = append(t.warns, fmt.Sprintf(format, args...))
}

func (t *Tool) pos(p token.Pos) string {
	ps := t.fset.Position(p)
	return fmt.Sprintf("%s:%d", filepath.Base(ps.Filename), ps.Line)
}

func (t *Tool) load(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	t.dir = abs
	t.fset = token.NewFileSet()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
			packages.NeedTypesInfo | packages.NeedModule,
		Dir:   abs,
		Tests: true,
		Fset:  t.fset,
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		return err
	}
	var plain, internalTest *packages.Package
	for _, p := range pkgs {
		switch {
		case p.Name == "main" && strings.HasSuffix(p.ID, ".test"):
			// generated test main
		case strings.HasSuffix(p.PkgPath, "_test"):
			files := []string{}
			for _, f := range p.GoFiles {
				files = append(files, filepath.Base(f))
			}
			t.warnf("external test package %s (%s) is not split or rewritten; fix its references by hand", p.PkgPath, strings.Join(files, ", "))
		case p.ID == p.PkgPath:
			plain = p
		case strings.HasPrefix(p.ID, p.PkgPath+" ["):
			internalTest = p
		}
	}
	p := internalTest
	if p == nil {
		p = plain
	}
	if p == nil {
		return fmt.Errorf("no package found in %s", abs)
	}
	if len(p.Errors) > 0 {
		var msgs []string
		for _, e := range p.Errors {
			msgs = append(msgs, e.Error())
		}
		return fmt.Errorf("package %s has errors (fix them first):\n  %s", p.PkgPath, strings.Join(msgs, "\n  "))
	}
	if p.Module == nil {
		return fmt.Errorf("package %s is not in a module", p.PkgPath)
	}
	t.pkg, t.info, t.tpkg = p, p.TypesInfo, p.Types
	t.scope = p.Types.Scope()
	t.modPath, t.modDir = p.Module.Path, p.Module.Dir
	t.pkgPath, t.pkgName = p.PkgPath, p.Name
	for _, f := range p.IgnoredFiles {
		if strings.HasSuffix(f, ".go") {
			t.warnf("%s is excluded by build constraints: not analysed, not moved (split it by hand)", filepath.Base(f))
		}
	}
	seen := map[string]bool{}
	for _, af := range p.Syntax {
		tf := t.fset.File(af.FileStart)
		name := tf.Name()
		if seen[name] {
			continue
		}
		seen[name] = true
		if filepath.Dir(name) != t.dir {
			t.warnf("file %s is outside the package directory (cgo?): skipped", name)
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if len(src) != tf.Size() {
			return fmt.Errorf("%s changed since it was parsed", name)
		}
		t.files = append(t.files, &File{
			Name: filepath.Base(name), Path: name, AST: af, TF: tf, Src: src,
			Test: strings.HasSuffix(name, "_test.go"),
		})
	}
	sort.Slice(t.files, func(i, j int) bool { return t.files[i].Name < t.files[j].Name })
	return nil
}

func (t *Tool) off(p token.Pos) int { return t.fset.File(p).Offset(p) }

// lineEnd returns the offset just after the newline ending the line containing off
// (or len(src)).
func lineEnd(src []byte, off int) int {
	for off < len(src) && src[off] != '\n' {
		off++
	}
	if off < len(src) {
		off++
	}
	return off
}

// buildUnits splits every file into units and computes their text ranges.
func (t *Tool) buildUnits() {
	t.objUnit = map[types.Object]*Unit{}
	t.nameUnit = map[string]*Unit{}
	for _, f := range t.files {
		f.DeclStart = lineEnd(f.Src, t.off(f.AST.Name.End()))
		for _, d := range f.AST.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				f.DeclStart = t.declEnd(f, d)
				continue
			}
			u := &Unit{File: f, Decl: d}
			switch d := d.(type) {
			case *ast.FuncDecl:
				obj := t.info.Defs[d.Name]
				if d.Recv != nil {
					u.Recv = recvTypeName(d)
					u.Names = append(u.Names, u.Recv+"."+d.Name.Name)
				} else {
					u.Names = append(u.Names, d.Name.Name)
				}
				if obj != nil {
					u.Objs = append(u.Objs, obj)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						u.Names = append(u.Names, s.Name.Name)
						if o := t.info.Defs[s.Name]; o != nil {
							u.Objs = append(u.Objs, o)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							u.Names = append(u.Names, n.Name)
							if o := t.info.Defs[n]; o != nil {
								u.Objs = append(u.Objs, o)
							}
						}
					}
				}
			}
			for _, o := range u.Objs {
				t.objUnit[o] = u
			}
			for _, n := range u.Names {
				if n != "_" && n != "init" {
					t.nameUnit[n] = u
				}
			}
			f.Units = append(f.Units, u)
			t.units = append(t.units, u)
		}
		// comments around the imports (not trailing an import spec) would be lost
		trailing := map[*ast.CommentGroup]bool{}
		for _, spec := range f.AST.Imports {
			if spec.Comment != nil {
				trailing[spec.Comment] = true
			}
			if spec.Doc != nil {
				trailing[spec.Doc] = true
			}
		}
		for _, cg := range f.AST.Comments {
			if cg.Pos() > f.AST.Name.End() && t.off(cg.End()) <= f.DeclStart && !trailing[cg] {
				f.Orphans = append(f.Orphans, cg)
			}
		}
		// text ranges
		prev := f.DeclStart
		for i, u := range f.Units {
			u.Start = prev
			if i == len(f.Units)-1 {
				u.End = len(f.Src)
			} else {
				u.End = t.declEnd(f, u.Decl)
			}
			prev = u.End
		}
	}
}

// declEnd is the end of a decl's text: its end, any comment starting on the
// same line, and the newline.
func (t *Tool) declEnd(f *File, d ast.Decl) int {
	end := t.off(d.End())
	line := f.TF.Line(d.End())
	for _, cg := range f.AST.Comments {
		if cg.Pos() >= d.End() && f.TF.Line(cg.Pos()) == line {
			if e := t.off(cg.End()); e > end {
				end = e
			}
		}
	}
	return lineEnd(f.Src, end)
}

func recvTypeName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return ""
	}
	if id := embeddedIdent(d.Recv.List[0].Type); id != nil {
		return id.Name
	}
	return ""
}

// assign gives every unit its target.
func (t *Tool) assign() {
	pl := t.plan
	for _, f := range t.files {
		ft := pl.fileTarget(f.Name)
		for _, u := range f.Units {
			switch d := u.Decl.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil {
					continue // below
				}
				u.Target = ft
				if d.Name.Name != "init" {
					if r := pl.decl(d.Name.Name); r != nil {
						u.Target = r.Target
					}
				}
			case *ast.GenDecl:
				type src struct{ name, why string }
				byTarget := map[string][]src{}
				for _, n := range u.Names {
					if r := pl.decl(n); r != nil && n != "_" {
						byTarget[r.Target] = append(byTarget[r.Target], src{n, fmt.Sprintf("plan line %d", r.Line)})
					} else {
						byTarget[ft] = append(byTarget[ft], src{n, "file " + f.Name})
					}
				}
				if len(byTarget) > 1 {
					var parts, explicit []string
					for tg, ss := range byTarget {
						var ns []string
						for _, s := range ss {
							ns = append(ns, s.name+" ("+s.why+")")
						}
						parts = append(parts, fmt.Sprintf("%s -> %s", strings.Join(ns, ", "), tg))
						if tg != ft || len(byTarget) > 2 {
							explicit = append(explicit, tg)
						}
					}
					sort.Strings(parts)
					hint := "split the block or assign all its names to one target"
					if len(explicit) == 1 {
						hint = fmt.Sprintf("to move the whole block add: decl %s -> %s", strings.Join(u.Names, " "), explicit[0])
					}
					t.errorf("%s: %s block moves as one unit but its names are assigned to different targets: %s; %s",
						t.pos(u.Decl.Pos()), tokOf(d), strings.Join(parts, "; "), hint)
				}
				for tg := range byTarget {
					if u.Target == "" || tg != ft {
						u.Target = tg
					}
				}
			}
		}
	}
	// methods follow their receiver type
	for _, u := range t.units {
		if u.Recv == "" {
			continue
		}
		tu := t.nameUnit[u.Recv]
		if tu == nil {
			t.errorf("%s: method %s: receiver type %s not found", t.pos(u.Decl.Pos()), u.Names[0], u.Recv)
			u.Target = "."
			continue
		}
		u.Target = tu.Target
		if r := pl.decl(u.Names[0]); r != nil && r.Target != u.Target {
			t.errorf("plan line %d: method %s -> %s, but its type %s goes to %s (methods must stay with their type)",
				r.Line, u.Names[0], r.Target, u.Recv, tu.Target)
		}
	}
	for _, r := range pl.Files {
		if !r.Used {
			t.errorf("plan line %d: file pattern %q matches no file of the package", r.Line, r.Pattern)
		}
	}
	for _, r := range pl.Decls {
		if !r.Used {
			if r.Name == "init" {
				t.errorf("plan line %d: init functions follow their file; use a file line", r.Line)
			} else {
				t.errorf("plan line %d: decl %s: no such top-level declaration (methods: Type.method)", r.Line, r.Name)
			}
		}
	}
	set := map[string]bool{".": true}
	for _, u := range t.units {
		set[u.Target] = true
	}
	for tg := range set {
		t.targets = append(t.targets, tg)
	}
	sort.Slice(t.targets, func(i, j int) bool {
		if t.targets[i] == "." || t.targets[j] == "." {
			return t.targets[i] == "."
		}
		return t.targets[i] < t.targets[j]
	})
	// package names of targets must be distinct from each other? Not required, but warn.
	names := map[string]string{}
	for _, tg := range t.targets {
		n := targetName(tg, t.pkgName)
		if o, ok := names[n]; ok {
			t.warnf("targets %s and %s have the same package name %s (aliases will be used)", o, tg, n)
		}
		names[n] = tg
		if tg != "." {
			if fis, err := os.ReadDir(filepath.Join(t.dir, tg)); err == nil {
				for _, fi := range fis {
					if strings.HasSuffix(fi.Name(), ".go") {
						t.errorf("target directory %s already contains Go files (%s); pkgsplit only creates new packages", filepath.Join(t.dir, tg), fi.Name())
						break
					}
				}
			}
		}
	}
}

func tokOf(d *ast.GenDecl) string { return d.Tok.String() }

// unitAt returns the unit whose declaration contains pos.
func (t *Tool) unitAt(p token.Pos) *Unit {
	tf := t.fset.File(p)
	if tf == nil {
		return nil
	}
	for _, f := range t.files {
		if f.TF != tf {
			continue
		}
		us := f.Units
		i := sort.Search(len(us), func(i int) bool { return us[i].Decl.End() > p })
		if i < len(us) && us[i].Decl.Pos() <= p {
			return us[i]
		}
		return nil
	}
	return nil
}

func (t *Tool) targetPath(tg string) string {
	if tg == "." {
		return t.pkgPath
	}
	return t.pkgPath + "/" + tg
}
