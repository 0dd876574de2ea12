package lync

import (
	"errors"
	"testing"
)

func FuzzParseCertificates(f *testing.F) {
	f.Add([]byte(`[{"Use":"AccessEdgeExternal","Subject":"CN=sip.contoso.com","NotAfter":"03/04/2031 05:06:07","AlternativeNames":["DNS Name=sip.contoso.com","*.contoso.com"]}]`))
	f.Add([]byte(`[{"NotBefore":"1/2/2006 3:04:05 PM","AlternativeNames":null}]`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		certs, err := parseCertificates(raw)
		if err != nil {
			if !errors.Is(err, ErrProtocol) {
				t.Fatalf("err %v does not match ErrProtocol", err)
			}
			return
		}
		for _, c := range certs {
			for _, n := range c.AlternativeNames {
				_ = c.Covers(n)
				if n == "" {
					t.Fatal("empty alternative name kept")
				}
			}
		}
	})
}
