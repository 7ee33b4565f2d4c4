// Command pkgsplit splits a Go package into sub-packages following a plan
// file, exporting and qualifying identifiers as needed.
//
//	pkgsplit -dir path/to/pkg -plan plan.txt            # dry run: summary, problems, cycles
//	pkgsplit -dir path/to/pkg -plan plan.txt -write     # rewrite the package in place
//	pkgsplit -dir path/to/pkg -plan plan.txt -out COPY  # write into a copy of the module
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is the whole command; it returns the exit code: 0 ok, 1 import cycles,
// 2 errors.
func run(args []string, w, ew io.Writer) int {
	fs := flag.NewFlagSet("pkgsplit", flag.ContinueOnError)
	fs.SetOutput(ew)
	dir := fs.String("dir", ".", "package directory to split")
	planPath := fs.String("plan", "", "plan file (required)")
	write := fs.Bool("write", false, "rewrite the package in place")
	out := fs.String("out", "", "root of a copy of the module to write into (instead of -write)")
	force := fs.Bool("force", false, "write even if the plan has import cycles")
	verbose := fs.Bool("v", false, "list every problem, per-file moves and why each method name is exported")
	leaf := fs.String("leaf", "", "print decl lines sending back to . every decl of `TARGET` that (transitively) uses other targets, and exit")
	pull := fs.String("pull", "", "print decl lines moving into `TARGET` every decl of . that it (transitively) uses, and exit")
	fs.Usage = func() {
		fmt.Fprintf(ew, "usage: pkgsplit -dir DIR -plan PLAN [-write | -out MODULECOPY] [-force] [-v]\n\n")
		fmt.Fprintf(ew, "plan file lines (# starts a comment):\n"+
			"  file NAME... -> TARGET   all decls of these files (globs ok; the last matching line wins)\n"+
			"  decl NAME... -> TARGET   a func/var/const/type (with its methods) by name; Type.method only to confirm\n"+
			"  default -> TARGET        files no file line matches (default: .)\n"+
			"TARGET is . (the package itself) or a relative sub-package path such as expr or exec/vec.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(ew, "pkgsplit: "+format+"\n", a...)
		return 2
	}
	if *planPath == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *write && *out != "" {
		return fail("use either -write or -out")
	}
	t := &Tool{}
	pl, err := parsePlan(*planPath)
	if err != nil {
		return fail("%v", err)
	}
	t.plan = pl
	if err := t.load(*dir); err != nil {
		return fail("%v", err)
	}
	t.buildUnits()
	t.assign()
	t.analyze()
	t.collectEdits()
	t.buildOutFiles()
	t.externalAPI()

	if *pull != "" {
		t.suggestPull(w, *pull)
		return 0
	}
	if *leaf != "" {
		t.suggestLeaf(w, *leaf)
		return 0
	}
	t.summary(w, *verbose)
	ncycles := t.reportCycles(w)
	t.problems(w, *verbose)

	if len(t.errs) > 0 {
		fmt.Fprintf(w, "\n%d error(s): nothing written.\n", len(t.errs))
		return 2
	}
	if ncycles > 0 && !*force {
		fmt.Fprintf(w, "\nimport cycles between targets: nothing written (adjust the plan, or -force to write anyway).\n")
		return 1
	}
	if !*write && *out == "" {
		fmt.Fprintf(w, "\ndry run: nothing written (use -write or -out).\n")
		return 0
	}
	rel, err := filepath.Rel(t.modDir, t.dir)
	if err != nil {
		return fail("%v", err)
	}
	root, modRoot := t.dir, t.modDir
	if *out != "" {
		modRoot, _ = filepath.Abs(*out)
		root = filepath.Join(modRoot, rel)
		if _, err := os.Stat(root); err != nil {
			return fail("-out %s: expected a copy of the module containing %s: %v", *out, rel, err)
		}
	}
	if err := t.write(w, root); err != nil {
		return fail("%v", err)
	}
	r := filepath.ToSlash(rel)
	fmt.Fprintf(w, "next:\n  cd %s && go build ./%s/... && go vet ./%s/... && go test ./%s/...\n", modRoot, r, r, r)
	fmt.Fprintf(w, "  then build the packages that import %s (exported names that moved must be re-qualified by hand)\n", t.pkgPath)
	return 0
}

// externalAPI warns about already-exported identifiers that leave the root package.
func (t *Tool) externalAPI() {
	var names []string
	for _, u := range t.units {
		if u.Target == "." || u.File.Test || u.Recv != "" {
			continue
		}
		for _, o := range u.Objs {
			if o.Exported() {
				names = append(names, o.Name())
			}
		}
	}
	if len(names) > 0 {
		sort.Strings(names)
		t.warnf("%d already-exported identifiers leave package %s; its importers must be updated by hand: %s",
			len(names), t.pkgName, list(names, 15))
	}
}

func list(names []string, max int) string {
	if max > 0 && len(names) > max {
		return strings.Join(names[:max], ", ") + fmt.Sprintf(", ... (+%d)", len(names)-max)
	}
	return strings.Join(names, ", ")
}

func wrap(w io.Writer, indent string, items []string) {
	line := indent
	for i, it := range items {
		s := it
		if i < len(items)-1 {
			s += ","
		}
		if len(line)+len(s)+1 > 110 && line != indent {
			fmt.Fprintln(w, line)
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += s
	}
	if line != indent {
		fmt.Fprintln(w, line)
	}
}

func (t *Tool) summary(w io.Writer, verbose bool) {
	fmt.Fprintf(w, "pkgsplit %s: %d files, %d declarations\n", t.pkgPath, len(t.files), len(t.units))
	type stat struct{ decls, lines, files, tests int }
	st := map[string]*stat{}
	for _, tg := range t.targets {
		st[tg] = &stat{}
	}
	for _, of := range t.outFiles {
		s := st[of.Target]
		if of.DocOnly {
			continue
		}
		s.decls += len(of.Units)
		s.lines += of.Lines
		s.files++
		if of.Orig.Test {
			s.tests++
		}
	}
	for _, tg := range t.targets {
		s := st[tg]
		fmt.Fprintf(w, "  %-12s %-50s %5d decls %6d lines %3d files (%d tests)\n", tname(tg), t.targetPath(tg), s.decls, s.lines, s.files, s.tests)
	}
	// exports, grouped by target of the declaration
	byT := map[string][]string{}
	var fields, methods []string
	mcount := map[string]int{}
	for o := range t.rename {
		switch {
		case t.pkgLevel(o):
			d := t.objUnit[o]
			byT[d.Target] = append(byT[d.Target], o.Name())
		case isField(o):
			owner := t.owner[o]
			if d := t.memberUnit(o); owner == "" && d != nil {
				owner = d.Names[0] + "{}"
			}
			fields = append(fields, owner+"."+o.Name())
		case isMethod(o):
			mcount[o.Name()]++
		}
	}
	for m := range t.mnames {
		methods = append(methods, fmt.Sprintf("%s(%d)", m, mcount[m]))
	}
	total := len(t.rename)
	fmt.Fprintf(w, "\nidentifiers to export: %d (package-level, fields, methods with decl count)\n", total)
	for _, tg := range t.targets {
		if len(byT[tg]) == 0 {
			continue
		}
		sort.Strings(byT[tg])
		fmt.Fprintf(w, "  in %s (%d):\n", tname(tg), len(byT[tg]))
		wrap(w, "    ", byT[tg])
	}
	if len(fields) > 0 {
		sort.Strings(fields)
		fmt.Fprintf(w, "  fields (%d):\n", len(fields))
		wrap(w, "    ", fields)
	}
	if len(methods) > 0 {
		sort.Strings(methods)
		fmt.Fprintf(w, "  methods (%d names):\n", len(methods))
		wrap(w, "    ", methods)
		if verbose {
			var ms []string
			for m := range t.mnames {
				ms = append(ms, m)
			}
			sort.Strings(ms)
			for _, m := range ms {
				fmt.Fprintf(w, "    %s: %s\n", m, t.mnames[m])
			}
		}
	}
	// per-file moves
	if verbose {
		fmt.Fprintf(w, "\nfiles:\n")
		for _, of := range t.outFiles {
			state := ""
			switch {
			case of.Unchanged:
				state = " (unchanged)"
			case of.DocOnly:
				state = " (package doc only)"
			}
			fmt.Fprintf(w, "  %-40s %3d decls%s\n", of.RelPath(), len(of.Units), state)
		}
	}
}

func (t *Tool) problems(w io.Writer, verbose bool) {
	if len(t.warns) > 0 {
		fmt.Fprintf(w, "\nwarnings (%d):\n", len(t.warns))
		max := 25
		for i, m := range t.warns {
			if i == max && !verbose {
				fmt.Fprintf(w, "  ... %d more (-v)\n", len(t.warns)-max)
				break
			}
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
	if len(t.errs) > 0 {
		sort.Strings(t.errs)
		fmt.Fprintf(w, "\nERRORS (%d):\n", len(t.errs))
		for _, m := range t.errs {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
}
