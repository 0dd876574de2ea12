package rfc2136

// ForgetOnServer renames k's negotiated contexts so that the server no
// longer knows them, as after a server restart: its next answer is BADKEY.
func ForgetOnServer(k *Kerberos) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, g := range k.sessions {
		g.keyName = "forgotten." + g.keyName
	}
}
