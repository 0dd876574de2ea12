package readme

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// marker is the first line of every Go snippet in README.md: it names the
// Example function whose body the snippet copies.
var marker = regexp.MustCompile(`^// Body of (Example\w*) in ([\w/.-]+_test\.go)`)

var update = flag.Bool("update", false, "rewrite README.md's snippets from the Example functions they name")

var block = regexp.MustCompile("(?s)```go\n(.*?)```")

func TestSnippetsAreExampleBodies(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	path := filepath.Join(root, "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		readme = rewrite(t, root, readme)
		if err := os.WriteFile(path, readme, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	blocks := block.FindAllStringSubmatch(string(readme), -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no Go snippet")
	}
	for i, b := range blocks {
		first, rest, _ := strings.Cut(b[1], "\n")
		m := marker.FindStringSubmatch(first)
		if m == nil {
			t.Errorf("snippet %d does not start with %q: %q", i+1, "// Body of ExampleX in path/x_test.go", first)
			continue
		}
		body, err := exampleBody(filepath.Join(root, m[2]), m[1])
		if err != nil {
			t.Errorf("snippet %d: %v", i+1, err)
			continue
		}
		if got := strings.TrimSpace(rest); got != body {
			t.Errorf("snippet %d is not the body of %s in %s (fix with: go test ./examples/internal/readme -update).\nREADME:\n%s\n\nsource:\n%s", i+1, m[1], m[2], got, body)
		}
	}
}

// rewrite replaces each snippet's body with the current body of the
// Example its marker names.
func rewrite(t *testing.T, root string, readme []byte) []byte {
	return block.ReplaceAllFunc(readme, func(b []byte) []byte {
		first, _, _ := strings.Cut(strings.TrimPrefix(string(b), "```go\n"), "\n")
		m := marker.FindStringSubmatch(first)
		if m == nil {
			return b
		}
		body, err := exampleBody(filepath.Join(root, m[2]), m[1])
		if err != nil {
			t.Errorf("%s: %v", first, err)
			return b
		}
		return []byte("```go\n" + first + "\n" + body + "\n```")
	})
}

// exampleBody returns the statements of function name in file, dedented by
// one tab, trimmed.
func exampleBody(file, name string) (string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		return "", err
	}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != name || fn.Recv != nil {
			continue
		}
		open, end := fset.Position(fn.Body.Lbrace).Offset, fset.Position(fn.Body.Rbrace).Offset
		lines := strings.Split(string(src[open+1:end]), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, "\t")
		}
		return strings.TrimSpace(strings.Join(lines, "\n")), nil
	}
	return "", os.ErrNotExist
}
