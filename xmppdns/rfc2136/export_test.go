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

// SessionEnctypes returns the enctypes of the session key and acceptor
// subkey of k's contexts (IANA numbers; 0: no subkey).
func SessionEnctypes(k *Kerberos) (keys [][2]int32) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, g := range k.sessions {
		keys = append(keys, [2]int32{g.key.KeyType, g.peerSubkey.KeyType})
	}
	return keys
}
