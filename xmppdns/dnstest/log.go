package dnstest

import "time"

// Entry is one message a Server received, as its query log records it.
type Entry struct {
	Time      time.Time
	Net       string    // "udp" or "tcp"
	From      string    // the client's address
	Opcode    int       // dns.OpcodeQuery, dns.OpcodeUpdate...
	Name      string    // the question name (for UPDATE: the zone), as sent
	Type      uint16    // the question type (for UPDATE: dns.TypeSOA)
	Key       string    // TSIG key name if the message was signed, canonical
	Rcode     int       // the rcode answered; -1 when no answer was sent
	Truncated bool      // the answer had TC set
	Fault     FaultKind // the fault injected, FaultNone if none
}

// Log returns a copy of the log, oldest first.
func (s *Server) Log() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.log...)
}

// ResetLog empties the log.
func (s *Server) ResetLog() {
	s.mu.Lock()
	s.log = nil
	s.mu.Unlock()
}

// Count returns how many logged messages had the given opcode.
func (s *Server) Count(opcode int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.log {
		if e.Opcode == opcode {
			n++
		}
	}
	return n
}

func (s *Server) record(e Entry) {
	s.mu.Lock()
	s.log = append(s.log, e)
	s.mu.Unlock()
}
