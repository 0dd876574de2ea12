package readme

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamplesAreSelfContained requires every Example function of the module
// to be playable as go/doc builds it: every name it uses is declared in its
// own file or imported. An Example that calls a helper of another test file
// is shown by godoc as a body naming things it never defines.
func TestExamplesAreSelfContained(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	byDir := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, "_test.go") {
			byDir[filepath.Dir(path)] = append(byDir[filepath.Dir(path)], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	examples := 0
	for dir, paths := range byDir {
		fset := token.NewFileSet()
		var files []*ast.File
		for _, p := range paths {
			f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		for _, ex := range doc.Examples(files...) {
			examples++
			if ex.Play == nil {
				t.Errorf("%s: Example%s uses a name defined in another file (keep its helpers in its own file, or use the public doubles)", dir, ex.Name)
			}
		}
	}
	if examples < 40 {
		t.Errorf("found %d Example functions; the walk missed some", examples)
	}
}
