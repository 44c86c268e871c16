package partition_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sources returns the non-test Go files of the package.
func sources(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatal("no source files found")
	}
	return out
}

// TestImports: partition knows nothing of files or geometry (see the
// package documentation), so it imports the standard library only, and not
// os: not geo, orb or simplefeatures, nor parttest, which is for tests.
func TestImports(t *testing.T) {
	fset := token.NewFileSet()
	for _, f := range sources(t) {
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if path == "os" || strings.Contains(first, ".") || first == "gridplan" {
				t.Errorf("%s imports %q: partition imports only the standard library, less os", f, path)
			}
		}
	}
}

// TestFileLength: no source file of the package is over maxLines lines, so
// that each stays one concept a reader can hold.
func TestFileLength(t *testing.T) {
	const maxLines = 800
	for _, f := range sources(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(data), "\n"); n > maxLines {
			t.Errorf("%s has %d lines, more than %d: split it by concept", f, n, maxLines)
		}
	}
}
