package failover

// Abandon drops the journal as a dying process does: file and lock closed
// without releasing the lock's owner line. For crash tests only.
func (j *FileJournal) Abandon() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f != nil {
		j.f.Close()
		j.f = nil
		j.lock.abandon()
	}
}
