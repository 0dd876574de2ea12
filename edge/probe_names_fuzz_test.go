package edge

import (
	"encoding/asn1"
	"testing"
)

// FuzzOtherNames feeds arbitrary bytes as a peer certificate's
// subjectAltName extension to the otherName reader.
func FuzzOtherNames(f *testing.F) {
	srv, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagIA5String, Bytes: []byte("_xmpp-server.contoso.com")})
	wrapped, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: srv})
	oid, _ := asn1.Marshal(oidOnDNSSRV)
	other := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: append(oid, wrapped...)}
	dns := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: []byte("contoso.com")}
	seed, _ := asn1.Marshal([]asn1.RawValue{dns, other})
	f.Add(seed)
	f.Add([]byte{0x30, 0x03, 0xa0, 0x01, 0x06})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, der []byte) {
		s, x := otherNames(der)
		if len(s)+len(x) > len(der) {
			t.Fatalf("%d names from %d bytes", len(s)+len(x), len(der))
		}
	})
}
