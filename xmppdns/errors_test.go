package xmppdns

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestErrorsMatchTheirSentinels(t *testing.T) {
	t.Parallel()
	old := RRset{Name: "xmpp.contoso.com.", Type: "A", TTL: time.Minute, Data: []string{"192.0.2.1"}}
	found := RRset{Name: "xmpp.contoso.com.", Type: "A", TTL: time.Minute, Data: []string{"198.51.100.7"}}
	cause := errors.New("YXRRSET")
	tests := []struct {
		err      error
		sentinel error
		text     string
	}{
		{&InputError{Field: "SRVSet.Domain", Value: "x", Reason: "outside"}, ErrInvalidInput, `invalid SRVSet.Domain "x": outside`},
		{&ConflictError{Zone: "contoso.com.", Expected: old, Found: found, Cause: cause}, ErrConflict, "expected (192.0.2.1 ttl=60), found (198.51.100.7 ttl=60)"},
		{&NotAppliedError{Zone: "contoso.com.", Want: []RRset{found}, Got: []RRset{{Name: found.Name, Type: "A"}}}, ErrNotApplied, "want (198.51.100.7 ttl=60), got (absent)"},
		{&QueryError{Server: "192.0.2.1:53", Name: "x.", Type: "SRV", Rcode: dns.RcodeServerFailure}, ErrRcode, "rcode SERVFAIL"},
		{&QueryError{Server: "192.0.2.1:53", Name: "x.", Type: "SRV", Rcode: 99}, ErrRcode, "rcode 99"},
		{&QueryError{Server: "192.0.2.1:53", Name: "x.", Type: "SRV", Rcode: -1, Err: cause}, ErrNoAnswer, "x. SRV at 192.0.2.1:53: YXRRSET"},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.sentinel) {
			t.Errorf("%T does not match %v", tt.err, tt.sentinel)
		}
		if !strings.Contains(tt.err.Error(), tt.text) {
			t.Errorf("%T.Error() = %q, want it to contain %q", tt.err, tt.err.Error(), tt.text)
		}
	}
	if ce := (&ConflictError{Cause: cause}); !errors.Is(ce, cause) {
		t.Error("ConflictError does not unwrap to its cause")
	}
}
