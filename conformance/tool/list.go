package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// listTests finds, without compiling, every test `go test` would report at the level the ratchet tracks:
// plain top-level tests (`TestX`) and the methods of testify suites (`TestRunner/TestMethod`). Deeper subtests
// (table cases) count as part of their parent.
func listTests(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var topLevel []*ast.FuncDecl
	methods := map[string][]string{} // suite type -> Test methods
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || !strings.HasPrefix(fn.Name.Name, "Test") {
				continue
			}
			if fn.Recv == nil {
				if isTestingFunc(fn) {
					topLevel = append(topLevel, fn)
				}
				continue
			}
			if recv := receiverType(fn); recv != "" && fn.Type.Params.NumFields() == 0 {
				methods[recv] = append(methods[recv], fn.Name.Name)
			}
		}
	}
	var ids []string
	for _, fn := range topLevel {
		suiteType := suiteRunBy(fn)
		if suiteType == "" {
			ids = append(ids, fn.Name.Name)
			continue
		}
		for _, m := range methods[suiteType] {
			ids = append(ids, fn.Name.Name+"/"+m)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

func isTestingFunc(fn *ast.FuncDecl) bool {
	params := fn.Type.Params.List
	if len(params) != 1 {
		return false
	}
	star, ok := params[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "T"
}

func receiverType(fn *ast.FuncDecl) string {
	t := fn.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// suiteRunBy answers the suite type a runner hands to suite.Run: `new(T)`, `&T{...}`, or a variable assigned one
// of those in the same function.
func suiteRunBy(fn *ast.FuncDecl) string {
	assigned := map[string]string{}
	found := ""
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && i < len(n.Rhs) {
					if t := constructedType(n.Rhs[i]); t != "" {
						assigned[id.Name] = t
					}
				}
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Run" || len(n.Args) != 2 {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "suite" {
				return true
			}
			if t := constructedType(n.Args[1]); t != "" {
				found = t
			} else if id, ok := n.Args[1].(*ast.Ident); ok {
				found = assigned[id.Name]
			}
		}
		return true
	})
	return found
}

func constructedType(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.CallExpr:
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "new" && len(e.Args) == 1 {
			if t, ok := e.Args[0].(*ast.Ident); ok {
				return t.Name
			}
		}
	case *ast.UnaryExpr:
		if lit, ok := e.X.(*ast.CompositeLit); ok && e.Op == token.AND {
			if t, ok := lit.Type.(*ast.Ident); ok {
				return t.Name
			}
		}
	}
	return ""
}

func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out, nil
}
