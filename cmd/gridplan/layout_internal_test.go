package main

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The rules of the project's layout (README, Layout): which package may use
// which, how long files grow, and that the pipeline writes no files.

// goList runs go list with a template over the given packages and returns
// one line per package.
func goList(t *testing.T, format string, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-f", format}, args...)...)
	cmd.Dir = root(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.String())
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// root is the module's root directory.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	return dir
}

// deps maps each package of the module to its dependencies: all of them
// (transitive) or only its own imports (direct).
func deps(t *testing.T, direct bool) map[string][]string {
	t.Helper()
	format := `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`
	if direct {
		format = `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`
	}
	m := map[string][]string{}
	for _, line := range goList(t, format, "./...") {
		f := strings.Fields(line)
		m[f[0]] = f[1:]
	}
	return m
}

func TestImportRules(t *testing.T) {
	all, direct := deps(t, false), deps(t, true)
	for _, p := range []string{"gridplan/geo", "gridplan/geo/tess", "gridplan/geo/draw", "gridplan/geo/plan", "gridplan/partition"} {
		if _, ok := all[p]; !ok {
			t.Fatalf("package %s not found by go list", p)
		}
	}
	type rule struct {
		pkg    func(string) bool
		forbid func(string) bool
		why    string
	}
	is := func(p string) func(string) bool { return func(q string) bool { return q == p } }
	under := func(p string) func(string) bool {
		return func(q string) bool { return q == p || strings.HasPrefix(q, p+"/") }
	}
	anyOf := func(fs ...func(string) bool) func(string) bool {
		return func(q string) bool {
			for _, f := range fs {
				if f(q) {
					return true
				}
			}
			return false
		}
	}
	internal := under("gridplan/geo/internal")
	rules := []rule{
		{is("gridplan/partition"), anyOf(under("gridplan/geo"), under("github.com/paulmach/orb"), under("github.com/peterstace/simplefeatures")),
			"the partition core knows no geometry"},
		{is("gridplan/geo"), func(q string) bool { return under("gridplan/geo")(q) && q != "gridplan/geo" && !internal(q) },
			"the geo root uses only geo/internal below it"},
		{internal, func(q string) bool { return strings.HasPrefix(q, "gridplan/") && !internal(q) },
			"geo/internal packages use nothing above them"},
		{is("gridplan/geo/tess"), anyOf(under("gridplan/geo/draw"), under("gridplan/geo/audit"), under("gridplan/geo/plan"), under("gridplan/partition")),
			"tessellation knows nothing of drawing, audits, plans or the partition core"},
		{is("gridplan/geo/draw"), anyOf(under("gridplan/geo/audit"), under("gridplan/geo/plan"), under("gridplan/partition")),
			"drawing knows nothing of audits, plans or the partition core"},
		{is("gridplan/geo/plan"), anyOf(under("gridplan/cmd"), under("github.com/urfave/cli")),
			"the pipeline is a library: no command line"},
		{func(q string) bool { return strings.HasPrefix(q, "gridplan/") && !under("gridplan/cmd")(q) }, under("gridplan/cmd"),
			"no library package uses a command"},
	}
	pkgs := slices.Sorted(maps.Keys(all))
	for _, r := range rules {
		for _, p := range pkgs {
			ds := all[p]
			if !r.pkg(p) {
				continue
			}
			for _, d := range ds {
				if r.forbid(d) {
					t.Errorf("%s depends on %s: %s", p, d, r.why)
				}
			}
		}
	}
	for _, d := range direct["gridplan/partition"] {
		if d == "os" {
			t.Errorf("gridplan/partition imports os: the partition core does no I/O")
		}
	}
}

// TestPlanWritesNoFiles checks that the pipeline package never creates,
// writes, renames or removes a file: commands write what it returns.
func TestPlanWritesNoFiles(t *testing.T) {
	writers := map[string]bool{"Create": true, "CreateTemp": true, "WriteFile": true, "OpenFile": true, "Mkdir": true,
		"MkdirAll": true, "MkdirTemp": true, "Rename": true, "Remove": true, "RemoveAll": true, "Truncate": true, "Chmod": true}
	dir := filepath.Join(root(t), "geo", "plan")
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "os" || id.Name == "ioutil") && writers[sel.Sel.Name] {
				t.Errorf("%s uses %s.%s: geo/plan must not write files", filepath.Base(file), id.Name, sel.Sel.Name)
			}
			return true
		})
	}
	if checked == 0 {
		t.Fatalf("no Go files found in %s", dir)
	}
}

// lines counts the lines of a file.
func lines(t *testing.T, file string) int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFileSizes keeps files short enough to read and the command thin: no
// non-test Go file over 800 lines, cmd/gridplan under 1,500 lines of non-test
// code, and no package named after nothing in particular.
func TestFileSizes(t *testing.T) {
	const maxFile, maxCmd = 800, 1500
	cmdLines := 0
	for _, line := range goList(t, `{{.Dir}}{{range .GoFiles}} {{.}}{{end}}`, "./...") {
		f := strings.Fields(line)
		dir := f[0]
		switch filepath.Base(dir) {
		case "util", "utils", "common", "misc", "helpers":
			t.Errorf("package directory %s: name a package after what it does", dir)
		}
		for _, name := range f[1:] {
			n := lines(t, filepath.Join(dir, name))
			if n > maxFile {
				t.Errorf("%s has %d lines, more than %d: split it by concept", filepath.Join(dir, name), n, maxFile)
			}
			if strings.HasSuffix(filepath.ToSlash(dir), "/cmd/gridplan") {
				cmdLines += n
			}
		}
	}
	if cmdLines == 0 {
		t.Fatal("no non-test code found in cmd/gridplan")
	}
	if cmdLines >= maxCmd {
		t.Errorf("cmd/gridplan has %d lines of non-test code, at least %d: move domain logic into geo/plan", cmdLines, maxCmd)
	}
}

// TestOneWorkerPool checks that goroutines start only in geo/internal/parallel
// (the one worker pool of the geometry) and in partition, which may not
// import geo and keeps its own (one per community, in partition/solve.go).
func TestOneWorkerPool(t *testing.T) {
	allowed := map[string]bool{"geo/internal/parallel": true, "partition": true}
	base := root(t)
	found := 0
	for _, line := range goList(t, `{{.Dir}}{{range .GoFiles}} {{.}}{{end}}`, "./...") {
		f := strings.Fields(line)
		rel, err := filepath.Rel(base, f[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range f[1:] {
			file, err := parser.ParseFile(token.NewFileSet(), filepath.Join(f[0], name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				if _, ok := n.(*ast.GoStmt); ok {
					found++
					if !allowed[filepath.ToSlash(rel)] {
						t.Errorf("%s starts a goroutine: use geo/internal/parallel", filepath.Join(rel, name))
					}
				}
				return true
			})
		}
	}
	if found == 0 {
		t.Fatal("no go statement found at all: the scan is broken")
	}
}
