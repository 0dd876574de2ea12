package xmppdns

import (
	"errors"
	"strings"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// ParseHost validates a fully qualified host or domain name ("EdgePool2.contoso.com",
// with or without the trailing dot; at least two labels of letters, digits
// and hyphens) and returns it absolute and in lower case. An invalid name
// is an *InputError.
func ParseHost(name string) (string, error) {
	n, err := dnsname.ParseFQDN(name)
	if err != nil {
		return "", &InputError{Field: "host", Value: name, Reason: nameReason(err)}
	}
	return n + ".", nil
}

// InZone reports whether name is zone or lies below it, comparing
// case-insensitively, with or without the trailing dot on either.
func InZone(name, zone string) bool { return dnsname.IsSubdomain(name, zone) }

// SameName reports whether a and b name the same node: case-insensitively,
// with or without the trailing dot on either.
func SameName(a, b string) bool { return dnsname.Equal(a, b) }

// srvPrefix is what SRVName puts before a domain.
const srvPrefix = "_xmpp-server._tcp."

// checkSRVDomain refuses a domain d (valid, lower case, with or without the
// trailing dot) whose SRV owner name SRVName(d) would exceed the 255 octets
// of RFC 1035 §2.3.4: a domain of up to 253 octets is a valid name, but
// only one of up to 235 leaves room for the 18 octets of srvPrefix. given is
// the caller's input, for the error.
func checkSRVDomain(field, given, d string) error {
	if len(srvPrefix)+len(strings.TrimSuffix(d, ".")) > dnsname.MaxLength {
		return inputErr(field, given, "%d octets: %s before it would make a name longer than 255 octets (at most %d)",
			len(strings.TrimSuffix(d, ".")), srvPrefix, dnsname.MaxLength-len(srvPrefix))
	}
	return nil
}

// nameReason is why the name rules refused a name, without the name: the
// *InputError shows it once, as its Value (an excerpt), so that an error
// about a hostile name stays short.
func nameReason(err error) string {
	var de *dnsname.Error
	if errors.As(err, &de) {
		return de.Reason
	}
	return err.Error()
}
