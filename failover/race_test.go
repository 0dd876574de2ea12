//go:build race

package failover_test

// raceEnabled: the race detector slows the lab several times; the
// exploration samples level 1 instead of running it whole.
const raceEnabled = true
