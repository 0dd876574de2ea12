package readme

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// module is the import path of the module whose packages the table lists.
const module = "github.com/xmppfed/edgefailover/"

var importsBlock = regexp.MustCompile("(?s)```imports\n(.*?)```")

// docImports reads the "who may import whom" table of docs/architecture.md.
func docImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := importsBlock.FindSubmatch(b)
	if m == nil {
		t.Fatal("docs/architecture.md has no ```imports block")
	}
	out := make(map[string][]string)
	for _, line := range strings.Split(strings.TrimSpace(string(m[1])), "\n") {
		pkg, deps, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("docs/architecture.md: import line %q has no colon", line)
		}
		out[strings.TrimSpace(pkg)] = strings.Fields(deps)
	}
	return out
}

// codeImports returns, for every library package of the module (not
// examples, not the module root), the module packages its non-test files
// import.
func codeImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := make(map[string][]string)
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "examples") {
				return filepath.SkipDir
			}
			if rel != "." {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // another module (rfc2136/conformance)
				}
			}
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(rel))
		if dir == "." || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		if _, ok := out[dir]; !ok {
			out[dir] = nil
		}
		for _, s := range f.Imports {
			p := strings.Trim(s.Path.Value, `"`)
			if dep, ok := strings.CutPrefix(p, module); ok && !slices.Contains(out[dir], dep) {
				out[dir] = append(out[dir], dep)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Examples import the public packages, the doubles and examples/internal,
// never the module's internal packages: what an example needs, a user
// needs too, so it must be public.
func TestExamplesImportNoInternal(t *testing.T) {
	root := filepath.Join("..", "..", "..", "examples")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, s := range f.Imports {
			if strings.HasPrefix(strings.Trim(s.Path.Value, `"`), module+"internal/") {
				t.Errorf("%s imports %s", path, s.Path.Value)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The import table of docs/architecture.md is the code's, both ways: every
// package is listed, every import is allowed, every allowed import is used.
func TestArchitectureImportTable(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	doc, code := docImports(t, root), codeImports(t, root)
	for pkg, deps := range code {
		allowed, ok := doc[pkg]
		if !ok {
			t.Errorf("package %s is not in docs/architecture.md's import table", pkg)
			continue
		}
		for _, d := range deps {
			if !slices.Contains(allowed, d) {
				t.Errorf("%s imports %s, which docs/architecture.md does not allow", pkg, d)
			}
		}
		for _, d := range allowed {
			if !slices.Contains(deps, d) {
				t.Errorf("docs/architecture.md lets %s import %s, which it no longer does: drop it from the table", pkg, d)
			}
		}
	}
	for pkg := range doc {
		if _, ok := code[pkg]; !ok {
			t.Errorf("docs/architecture.md lists %s, which is not a package", pkg)
		}
	}
}

// The rules the table encodes hold on their own, so that a change to the
// table cannot quietly break them: doubles never import what they fake (nor
// the quoting they would mirror), lync never imports its transport, and no
// library package imports a double except internal/lynclab.
func TestArchitectureRules(t *testing.T) {
	code := codeImports(t, filepath.Join("..", "..", ".."))
	never := map[string][]string{
		"lync/lynctest":   {"lync", "lync/winrm", "internal/pwsh"},
		"xmppdns/dnstest": {"xmppdns", "xmppdns/rfc2136", "xmppdns/memdns"},
		"xmppdns/memdns":  {"xmppdns", "xmppdns/rfc2136", "xmppdns/dnstest"},
		"edge/xmpptest":   {"edge"},
		"lync":            {"lync/winrm"},
	}
	doubles := []string{"lync/lynctest", "xmppdns/dnstest", "xmppdns/memdns", "edge/xmpptest", "failover/failovertest"}
	for pkg, deps := range code {
		for _, d := range deps {
			if slices.Contains(never[pkg], d) {
				t.Errorf("%s imports %s", pkg, d)
			}
			if slices.Contains(doubles, d) && pkg != "internal/lynclab" && pkg != "failover/failovertest" {
				t.Errorf("library package %s imports the double %s", pkg, d)
			}
		}
	}
}
