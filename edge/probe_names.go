package edge

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"strings"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// How a certificate proved the XMPP domain (TLSResult.NamesMatchedBy), per
// RFC 6125 §6 and RFC 7590 §3.1 / RFC 6120 §13.7.1.2: a DNS-ID (a dNSName,
// one left-most wildcard label), an SRV-ID for the service "xmpp-server"
// (id-on-dnsSRV, RFC 4985: "_xmpp-server.<domain>"), or an XmppAddr
// (id-on-xmppAddr, RFC 6120 §13.7.1.4) equal to the domain.
const (
	MatchDNSID    = "DNS-ID"
	MatchSRVID    = "SRV-ID"
	MatchXmppAddr = "XmppAddr"
)

var (
	oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidOnDNSSRV       = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 8, 7}
	oidOnXmppAddr     = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 8, 5}
)

// errNameNotCovered: no DNS-ID, SRV-ID or XmppAddr of the certificate
// names the domain.
var errNameNotCovered = errors.New("edge: certificate names do not cover the domain (no DNS-ID, SRV-ID or XmppAddr for it)")

// otherNames returns the SRV-IDs and XmppAddrs of the subjectAltName
// extension of a certificate (raw DER of the extension's value). Malformed
// entries are skipped: a peer's certificate is outside input.
func otherNames(sanDER []byte) (srv, xmpp []string) {
	var seq asn1.RawValue
	if rest, err := asn1.Unmarshal(sanDER, &seq); err != nil || len(rest) > 0 || seq.Tag != asn1.TagSequence {
		return nil, nil
	}
	for rest := seq.Bytes; len(rest) > 0; {
		var gn asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &gn); err != nil {
			return srv, xmpp
		}
		if gn.Class != asn1.ClassContextSpecific || gn.Tag != 0 || !gn.IsCompound {
			continue // not an otherName
		}
		var oid asn1.ObjectIdentifier
		after, err := asn1.Unmarshal(gn.Bytes, &oid)
		if err != nil {
			continue
		}
		var wrapped asn1.RawValue // [0] EXPLICIT
		if _, err := asn1.Unmarshal(after, &wrapped); err != nil || wrapped.Class != asn1.ClassContextSpecific || wrapped.Tag != 0 {
			continue
		}
		var val asn1.RawValue
		if _, err := asn1.Unmarshal(wrapped.Bytes, &val); err != nil || val.Class != asn1.ClassUniversal {
			continue
		}
		switch {
		case oid.Equal(oidOnDNSSRV) && val.Tag == asn1.TagIA5String:
			srv = append(srv, string(val.Bytes))
		case oid.Equal(oidOnXmppAddr) && val.Tag == asn1.TagUTF8String:
			xmpp = append(xmpp, string(val.Bytes))
		}
	}
	return srv, xmpp
}

// certOtherNames reads the SRV-IDs and XmppAddrs of c.
func certOtherNames(c *x509.Certificate) (srv, xmpp []string) {
	for _, e := range c.Extensions {
		if e.Id.Equal(oidSubjectAltName) {
			return otherNames(e.Value)
		}
	}
	return nil, nil
}

// matchDomain says how leaf proves domain: a DNS-ID first
// (x509.Certificate.VerifyHostname), then an SRV-ID "_xmpp-server.<domain>",
// then an XmppAddr equal to domain; both compared case-insensitively without
// a trailing dot (internationalized names must be in A-label form on both
// sides; a U-label XmppAddr is not converted).
func matchDomain(leaf *x509.Certificate, domain string) (string, error) {
	dnsErr := leaf.VerifyHostname(domain)
	if dnsErr == nil {
		return MatchDNSID, nil
	}
	srv, xmpp := certOtherNames(leaf)
	for _, s := range srv {
		if name, ok := strings.CutPrefix(strings.ToLower(s), "_xmpp-server."); ok && dnsname.Equal(name, domain) {
			return MatchSRVID, nil
		}
	}
	for _, x := range xmpp {
		if !strings.ContainsAny(x, "@/") && dnsname.Equal(x, domain) {
			return MatchXmppAddr, nil
		}
	}
	return "", errors.Join(errNameNotCovered, dnsErr)
}
