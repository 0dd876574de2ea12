package edge

import (
	"encoding/json"
	"fmt"
	"strings"
)

// String summarizes the result on one line for people, e.g.
// "xmpp.contoso.com:5269 contoso.com: connected, stream 1.0 from contoso.com,
// features [starttls dialback], TLS 1.3, names ok, chain ok".
func (r *ProbeResult) String() string {
	if r == nil {
		return "<nil>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", r.Addr, r.To)
	if !r.Connected {
		fmt.Fprintf(&b, "not connected (%v)", r.DialError)
		return b.String()
	}
	b.WriteString("connected")
	if h := r.Stream; h != nil {
		fmt.Fprintf(&b, ", stream %q from %q", h.Version, h.From)
	}
	if f := r.Features; f != nil {
		fmt.Fprintf(&b, ", features %v", f.names())
	}
	if e := r.StreamError; e != nil {
		fmt.Fprintf(&b, ", stream error %s", e.Condition)
	}
	if t := r.TLS; t != nil && t.HandshakeComplete {
		fmt.Fprintf(&b, ", %s, names %s, chain %s", t.VersionName, okOr(t.NamesCoverDomain, "do not cover the domain"),
			okOr(t.ChainVerified, "not verified"))
	}
	if r.Failure != nil {
		fmt.Fprintf(&b, ", failed: %v", r.Failure)
	}
	return b.String()
}

func okOr(ok bool, otherwise string) string {
	if ok {
		return "ok"
	}
	return otherwise
}

// names lists the features by short name, in a fixed order.
func (f *Features) names() []string {
	var n []string
	if f.StartTLS {
		n = append(n, "starttls")
		if f.StartTLSRequired {
			n[len(n)-1] = "starttls(required)"
		}
	}
	if f.Dialback {
		n = append(n, "dialback")
	}
	for _, m := range f.SASLMechanisms {
		n = append(n, "sasl:"+m)
	}
	for _, o := range f.Other {
		n = append(n, o.Local)
	}
	return n
}

// MarshalJSON encodes the result with its error fields (DialError, Failure,
// TLS.NameError, TLS.VerifyError) as their messages, since error values
// have no JSON form of their own.
func (r *ProbeResult) MarshalJSON() ([]byte, error) {
	type plain ProbeResult // without the methods, so no recursion
	type tlsJSON struct {
		*TLSResult
		NameError   string `json:",omitempty"`
		VerifyError string `json:",omitempty"`
	}
	out := struct {
		*plain
		DialError string   `json:",omitempty"`
		Failure   string   `json:",omitempty"`
		TLS       *tlsJSON `json:",omitempty"`
	}{plain: (*plain)(r), DialError: errText(r.DialError), Failure: errText(r.Failure)}
	if r.TLS != nil {
		out.TLS = &tlsJSON{TLSResult: r.TLS, NameError: errText(r.TLS.NameError), VerifyError: errText(r.TLS.VerifyError)}
	}
	return json.Marshal(out)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
