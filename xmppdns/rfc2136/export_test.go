package rfc2136

// KerberosStats returns how many contexts k negotiated and how many TKEY
// queries it sent (tests and benchmarks report them).
func KerberosStats(k *Kerberos) (negotiations, tkeys int64) {
	return k.stats.negotiations.Load(), k.stats.tkeys.Load()
}
