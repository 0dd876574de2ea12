// Package readme holds the tests that keep the docs honest: each Go
// snippet of the README must be, verbatim, the body of an Example function
// that `go test` compiles and runs (and whose // Output: it checks); each
// command of docs/admin-guide.md and the READMEs that runs an example
// program must pass flags and subcommands the program's -h lists; the
// guide's exit-code table must match every program's -h; the guide's
// JSON fragments must use members the failover config declares; every
// Example function of the module must be self-contained (playable, as godoc
// shows it); and docs/architecture.md's import table must be the code's,
// both ways, with the doubles' independence rules holding on their own.
package readme
