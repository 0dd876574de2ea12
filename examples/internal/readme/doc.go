// Package readme holds the test that keeps the README's Go snippets honest:
// each must be, verbatim, the body of an Example function that `go test`
// compiles and runs (and whose // Output: it checks).
package readme
