package recommend_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEngineReadsNoClockNetworkOrFiles holds SECURITY.md's promise that the
// engine never reads the clock, the network or the file system: no source
// file of package recommend imports a network, process or randomness
// package or calls time.Now, time.Since or time.Until, and the only use of
// package os is LoadPolicy opening the file it is asked to read.
func TestEngineReadsNoClockNetworkOrFiles(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	forbiddenImports := []string{"net", "os/exec", "syscall", "math/rand", "crypto/rand", "plugin"}
	checked := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		checked++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, nil, 0)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbiddenImports {
				assert.False(t, path == bad || strings.HasPrefix(path, bad+"/"), "%s imports %s", file, path)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			where := fset.Position(sel.Pos()).String()
			switch {
			case pkg.Name == "time" && (sel.Sel.Name == "Now" || sel.Sel.Name == "Since" || sel.Sel.Name == "Until" || sel.Sel.Name == "Tick" || sel.Sel.Name == "After"):
				t.Errorf("%s: time.%s reads the clock", where, sel.Sel.Name)
			case pkg.Name == "os" && !(file == "policy.go" && sel.Sel.Name == "Open"):
				t.Errorf("%s: os.%s (only LoadPolicy may open its file)", where, sel.Sel.Name)
			}
			return true
		})
	}
	assert.Greater(t, checked, 5)
}
