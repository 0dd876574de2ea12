package xmpptest

import (
	"crypto/x509/pkix"
	"encoding/asn1"
)

// OIDs of the subjectAltName extension and of the XMPP otherNames.
var (
	oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidOnDNSSRV       = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 8, 7} // RFC 4985
	oidOnXmppAddr     = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 8, 5} // RFC 6120 §13.7.1.4
)

// subjectAltName builds the extension by hand (crypto/x509 writes no
// otherName): dNSName [2] IA5String for each DNS name, and otherName [0]
// { type-id, [0] EXPLICIT value } with an IA5String SRV-ID or a UTF8String
// XmppAddr.
func subjectAltName(dns, srv, xmpp []string) (pkix.Extension, error) {
	var names []asn1.RawValue
	for _, n := range dns {
		names = append(names, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: []byte(n)})
	}
	other := func(oid asn1.ObjectIdentifier, tag int, v string) error {
		inner, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: tag, Bytes: []byte(v)})
		if err != nil {
			return err
		}
		oidDER, err := asn1.Marshal(oid)
		if err != nil {
			return err
		}
		wrapped, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner})
		if err != nil {
			return err
		}
		names = append(names, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true,
			Bytes: append(oidDER, wrapped...)})
		return nil
	}
	for _, s := range srv {
		if err := other(oidOnDNSSRV, asn1.TagIA5String, s); err != nil {
			return pkix.Extension{}, err
		}
	}
	for _, x := range xmpp {
		if err := other(oidOnXmppAddr, asn1.TagUTF8String, x); err != nil {
			return pkix.Extension{}, err
		}
	}
	der, err := asn1.Marshal(names)
	if err != nil {
		return pkix.Extension{}, err
	}
	return pkix.Extension{Id: oidSubjectAltName, Value: der}, nil
}
