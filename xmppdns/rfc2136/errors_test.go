package rfc2136_test

import (
	"errors"
	"testing"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

func TestRcodeErrorMatchesItsSentinel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rcode, tsig int
		want        []error
	}{
		{dns.RcodeRefused, 0, []error{rfc2136.ErrRefused}},
		{dns.RcodeNotAuth, 0, []error{rfc2136.ErrNotAuth}},
		{dns.RcodeNotZone, 0, []error{rfc2136.ErrNotZone}},
		{dns.RcodeYXRrset, 0, []error{rfc2136.ErrYXRRSet}},
		{dns.RcodeNXRrset, 0, []error{rfc2136.ErrNXRRSet}},
		{dns.RcodeYXDomain, 0, []error{rfc2136.ErrYXDomain}},
		{dns.RcodeNameError, 0, []error{rfc2136.ErrNXDomain}},
		{dns.RcodeServerFailure, 0, []error{rfc2136.ErrServFail}},
		{dns.RcodeFormatError, 0, []error{rfc2136.ErrFormErr}},
		{dns.RcodeNotImplemented, 0, []error{rfc2136.ErrNotImp}},
		{dns.RcodeNotAuth, dns.RcodeBadSig, []error{rfc2136.ErrNotAuth, rfc2136.ErrBadSig}},
		{dns.RcodeNotAuth, dns.RcodeBadKey, []error{rfc2136.ErrNotAuth, rfc2136.ErrBadKey}},
		{dns.RcodeNotAuth, dns.RcodeBadTime, []error{rfc2136.ErrNotAuth, rfc2136.ErrBadTime}},
	}
	all := []error{rfc2136.ErrRefused, rfc2136.ErrNotAuth, rfc2136.ErrNotZone, rfc2136.ErrYXRRSet, rfc2136.ErrNXRRSet,
		rfc2136.ErrYXDomain, rfc2136.ErrNXDomain, rfc2136.ErrServFail, rfc2136.ErrFormErr, rfc2136.ErrNotImp,
		rfc2136.ErrBadSig, rfc2136.ErrBadKey, rfc2136.ErrBadTime, rfc2136.ErrConflict, rfc2136.ErrInvalid}
	for _, tc := range tests {
		err := error(&rfc2136.RcodeError{Op: "update", Server: "s", Name: "z.", Rcode: tc.rcode, TSIGError: tc.tsig})
		for _, s := range all {
			if errors.Is(err, s) != containsErr(tc.want, s) {
				t.Errorf("%v: errors.Is(%v) = %v", err, s, errors.Is(err, s))
			}
		}
	}
	c := error(&rfc2136.ConflictError{Zone: "z.", Err: &rfc2136.RcodeError{Rcode: dns.RcodeNXRrset}})
	if !errors.Is(c, rfc2136.ErrConflict) || !errors.Is(c, rfc2136.ErrNXRRSet) || errors.Is(c, rfc2136.ErrRefused) {
		t.Errorf("ConflictError matching: %v", c)
	}
}

func containsErr(list []error, e error) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}
