package main

import (
	"bufio"
	"fmt"
	"go/token"
	"os"
	"path"
	"strings"
)

// Plan is a parsed plan file.
//
//	file NAME... -> TARGET     # every decl in these files (globs allowed); last matching line wins
//	decl NAME... -> TARGET     # a type (with its methods), func, var or const; or Type.method
//	default -> TARGET          # files not matched by any file line (default ".")
type Plan struct {
	Path    string
	Files   []*fileRule
	Decls   map[string]*declRule
	Default string
}

type fileRule struct {
	Pattern, Target string
	Line            int
	Used            bool
}

type declRule struct {
	Name, Target string
	Line         int
	Used         bool
}

func parsePlan(p string) (*Plan, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pl := &Plan{Path: p, Decls: map[string]*declRule{}, Default: "."}
	sc := bufio.NewScanner(f)
	n := 0
	var errs []string
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s:%d: ", p, n)+fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		n++
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		arrow := -1
		for i, f := range fields {
			if f == "->" {
				arrow = i
			}
		}
		if arrow < 0 || arrow != len(fields)-2 {
			bad("expected `file|decl NAME... -> TARGET` or `default -> TARGET`")
			continue
		}
		target, err := normTarget(fields[len(fields)-1])
		if err != nil {
			bad("%v", err)
			continue
		}
		names := fields[1:arrow]
		switch fields[0] {
		case "default":
			if len(names) != 0 {
				bad("default takes no names")
				continue
			}
			pl.Default = target
		case "file":
			if len(names) == 0 {
				bad("file: missing file name")
			}
			for _, nm := range names {
				if _, err := path.Match(nm, ""); err != nil {
					bad("bad file pattern %q: %v", nm, err)
					continue
				}
				pl.Files = append(pl.Files, &fileRule{Pattern: nm, Target: target, Line: n})
			}
		case "decl":
			if len(names) == 0 {
				bad("decl: missing name")
			}
			for _, nm := range names {
				if old, ok := pl.Decls[nm]; ok && old.Target != target {
					bad("decl %s assigned twice (also line %d)", nm, old.Line)
					continue
				}
				pl.Decls[nm] = &declRule{Name: nm, Target: target, Line: n}
			}
		default:
			bad("unknown directive %q (want file, decl or default)", fields[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return pl, nil
}

// normTarget validates a target: "." or a slash-separated relative path of
// identifiers whose last element is the package name.
func normTarget(t string) (string, error) {
	t = strings.TrimPrefix(t, "./")
	t = strings.TrimSuffix(t, "/")
	if t == "." || t == "" {
		return ".", nil
	}
	for _, el := range strings.Split(t, "/") {
		if !token.IsIdentifier(el) {
			return "", fmt.Errorf("bad target %q: each path element must be a Go identifier", t)
		}
	}
	return t, nil
}

// fileTarget returns the target of a file: the last matching file rule, else the default.
func (pl *Plan) fileTarget(name string) string {
	t := pl.Default
	for _, r := range pl.Files {
		if ok, _ := path.Match(r.Pattern, name); ok || r.Pattern == name {
			r.Used = true
			t = r.Target
		}
	}
	return t
}

func (pl *Plan) decl(name string) *declRule {
	r := pl.Decls[name]
	if r != nil {
		r.Used = true
	}
	return r
}

// targetName is the package name of a target (last path element).
func targetName(t, rootName string) string {
	if t == "." {
		return rootName
	}
	return path.Base(t)
}
