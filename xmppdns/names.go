package xmppdns

import "github.com/xmppfed/edgefailover/internal/dnsname"

// ParseHost validates a fully qualified host or domain name ("EdgePool2.contoso.com",
// with or without the trailing dot; at least two labels of letters, digits
// and hyphens) and returns it absolute and in lower case. An invalid name
// is an *InputError.
func ParseHost(name string) (string, error) {
	n, err := dnsname.ParseFQDN(name)
	if err != nil {
		return "", &InputError{Field: "host", Value: name, Reason: err.Error()}
	}
	return n + ".", nil
}

// InZone reports whether name is zone or lies below it, comparing
// case-insensitively, with or without the trailing dot on either.
func InZone(name, zone string) bool { return dnsname.IsSubdomain(name, zone) }

// SameName reports whether a and b name the same node: case-insensitively,
// with or without the trailing dot on either.
func SameName(a, b string) bool { return dnsname.Equal(a, b) }
