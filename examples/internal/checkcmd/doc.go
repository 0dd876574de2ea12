// Package checkcmd is examples/check as a package, so that other
// programs' tests (the rehearsal in examples/failover) run the same code
// as the command: Run is the program.
package checkcmd
