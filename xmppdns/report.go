package xmppdns

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Nameserver is one address of one name server of a zone.
type Nameserver struct {
	Host string `json:"host"` // the NS target, absolute
	Addr string `json:"addr"` // ip:port asked; empty when none was found
}

// SetResult is what one server answered for one expected RRset.
type SetResult struct {
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Rcode         int      `json:"rcode"` // -1 when no answer came
	Authoritative bool     `json:"authoritative"`
	Seen          []string `json:"seen"`  // canonical rdata of the answer
	Match         bool     `json:"match"` // authoritative and as expected
	Err           error    `json:"-"`     // why no answer came, if none did
}

// NameserverResult is what one server answered for every expected RRset.
type NameserverResult struct {
	Nameserver
	Sets  []SetResult `json:"sets"`
	Match bool        `json:"match"` // every set matched
	Err   error       `json:"-"`     // why the server could not be asked (no address)
}

// Report is one check of expected RRsets on every authoritative server.
type Report struct {
	Zone      string             `json:"zone"`
	Servers   []NameserverResult `json:"servers"`
	Converged bool               `json:"converged"` // every server matched every set
}

// MarshalJSON encodes the result with its error as a string ("error").
func (r SetResult) MarshalJSON() ([]byte, error) {
	type plain SetResult
	return json.Marshal(struct {
		plain
		Error string `json:"error,omitempty"`
	}{plain(r), errString(r.Err)})
}

// MarshalJSON encodes the result with its error as a string ("error").
func (r NameserverResult) MarshalJSON() ([]byte, error) {
	type plain NameserverResult
	return json.Marshal(struct {
		plain
		Error string `json:"error,omitempty"`
	}{plain(r), errString(r.Err)})
}

// String renders the report one line per server and RRset, for a person:
//
//	zone example.test.: NOT converged
//	ns1.example.test. 127.0.0.1:53 SRV _xmpp-server._tcp.example.test.: ok
//	ns2.example.test. 127.0.0.1:54 SRV _xmpp-server._tcp.example.test.: MISMATCH rcode SERVFAIL, seen (none)
func (r *Report) String() string {
	var b strings.Builder
	state := "converged"
	if !r.Converged {
		state = "NOT converged"
	}
	fmt.Fprintf(&b, "zone %s: %s", r.Zone, state)
	for _, s := range r.Servers {
		if s.Err != nil {
			fmt.Fprintf(&b, "\n%s: cannot be asked: %v", s.Host, s.Err)
			continue
		}
		for _, set := range s.Sets {
			fmt.Fprintf(&b, "\n%s %s %s %s: ", s.Host, s.Addr, set.Type, set.Name)
			switch {
			case set.Match:
				b.WriteString("ok")
			case set.Err != nil:
				fmt.Fprintf(&b, "NO ANSWER: %v", set.Err)
			default:
				seen := "(none)"
				if len(set.Seen) > 0 {
					seen = strings.Join(set.Seen, ", ")
				}
				fmt.Fprintf(&b, "MISMATCH rcode %s, authoritative %v, seen %s", rcodeName(set.Rcode), set.Authoritative, seen)
			}
		}
	}
	return b.String()
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
