package dnstest

import (
	"fmt"

	"github.com/miekg/dns"
)

// FaultKind is a misbehaviour a Server can be told to show.
type FaultKind int

// The faults a Server can inject.
const (
	FaultNone     FaultKind = iota // no fault
	FaultRefused                   // answer REFUSED
	FaultServFail                  // answer SERVFAIL
	FaultDrop                      // send no answer at all
	FaultTruncate                  // over UDP: answer empty with TC set (TCP is not affected)
	FaultBadSig                    // answer NOTAUTH with TSIG error BADSIG, unsigned
)

// String returns the fault's name, e.g. "REFUSED".
func (k FaultKind) String() string {
	switch k {
	case FaultNone:
		return "none"
	case FaultRefused:
		return "REFUSED"
	case FaultServFail:
		return "SERVFAIL"
	case FaultDrop:
		return "drop"
	case FaultTruncate:
		return "truncate"
	case FaultBadSig:
		return "BADSIG"
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault tells a Server to misbehave for the messages it matches. The zero
// values of Name, Type, Opcode and Count match everything, forever.
type Fault struct {
	Kind FaultKind
	// Name restricts the fault to messages whose question (or, for UPDATE,
	// zone) is this name; case and trailing dot do not matter.
	Name string
	// Type restricts the fault to questions of this type (dns.TypeSRV...).
	Type uint16
	// Opcode restricts the fault to this opcode when OnlyOpcode is set
	// (dns.OpcodeQuery is 0, hence the flag).
	Opcode     int
	OnlyOpcode bool
	// Count is how many matching messages the fault applies to; 0 means
	// until ClearFaults.
	Count int
}

// Inject adds a fault. Faults are tried in the order they were added; the
// first that matches a message applies.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Name != "" {
		f.Name = dns.CanonicalName(f.Name)
	}
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// takeFault returns the fault that applies to r, consuming one use of it.
func (s *Server) takeFault(network string, r *dns.Msg) FaultKind {
	s.mu.Lock()
	defer s.mu.Unlock()
	var name string
	var qtype uint16
	if len(r.Question) > 0 {
		name, qtype = dns.CanonicalName(r.Question[0].Name), r.Question[0].Qtype
	}
	for i, f := range s.faults {
		switch {
		case f.Name != "" && f.Name != name,
			f.Type != 0 && f.Type != qtype,
			f.OnlyOpcode && f.Opcode != r.Opcode,
			f.Kind == FaultTruncate && network != "udp":
			continue
		}
		if f.Count > 0 {
			f.Count--
			if f.Count == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f.Kind
	}
	return FaultNone
}
