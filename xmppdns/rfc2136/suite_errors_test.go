package rfc2136_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// runSuiteErrors checks listing, absent RRsets and the server's refusals.
func runSuiteErrors(t *testing.T, tg target) {
	ctx := context.Background()
	t.Run("GetRecords lists the zone by AXFR", func(t *testing.T) {
		p, z := tg.p, tg.zone
		mustSet(t, p, z, addr("listed", "192.0.2.77", 60))
		all, err := p.GetRecords(ctx, z)
		if err != nil {
			t.Fatal(err)
		}
		soas, found := 0, false
		for _, r := range all {
			rr := r.RR()
			if rr.Type == "SOA" {
				soas++
			}
			if rr.Name == "listed" && rr.Data == "192.0.2.77" {
				found = true
			}
		}
		if soas != 1 || !found || len(all) < bulkRecords {
			t.Fatalf("GetRecords: %d records, %d SOA, listed found %v", len(all), soas, found)
		}
	})
	t.Run("GetRRset of an absent RRset is empty", func(t *testing.T) {
		for _, name := range []string{"nope", "ns1"} { // NXDOMAIN, NODATA
			got, err := tg.p.GetRRset(ctx, tg.zone, name, "SRV")
			if err != nil || len(got) != 0 {
				t.Fatalf("%s: %v %v", name, got, err)
			}
		}
	})
	t.Run("wrong secret is BADSIG, unknown key BADKEY, nothing written", func(t *testing.T) {
		if tg.p.Kerberos != nil {
			t.Skip("HMAC keys only; TestGSSTSIGCredentialSources covers GSS-TSIG failures")
		}
		wrong := *tg.p
		wrong.Secret = "d3JvbmctYnV0LXZhbGlkLWJhc2U2NA=="
		_, err := wrong.SetRecords(ctx, tg.zone, []libdns.Record{addr("sig", "192.0.2.1", 60)})
		if !errors.Is(err, rfc2136.ErrBadSig) || !errors.Is(err, rfc2136.ErrNotAuth) {
			t.Fatalf("wrong secret: %v", err)
		}
		unknown := *tg.p
		unknown.KeyName = "nobody."
		_, err = unknown.SetRecords(ctx, tg.zone, []libdns.Record{addr("sig", "192.0.2.1", 60)})
		if !errors.Is(err, rfc2136.ErrBadKey) {
			t.Fatalf("unknown key: %v", err)
		}
		var rc *rfc2136.RcodeError
		if !errors.As(err, &rc) || rc.Rcode != dns.RcodeNotAuth || rc.TSIGError != dns.RcodeBadKey {
			t.Fatalf("unknown key error: %#v", rc)
		}
		wantServer(t, tg, "sig", dns.TypeA)
	})
	t.Run("CNAME and other data never mix, and are never reported as written", func(t *testing.T) {
		p, z := tg.p, tg.zone
		alias := libdns.CNAME{Name: "alias", TTL: time.Minute, Target: "ns1.example.test."}
		mustSet(t, p, z, alias, addr("plain", "192.0.2.1", 60))
		calls := map[string]func() error{
			"SetRecords A at a CNAME": func() error {
				_, err := p.SetRecords(ctx, z, []libdns.Record{addr("alias", "192.0.2.1", 60)})
				return err
			},
			"AppendRecords TXT at a CNAME": func() error {
				_, err := p.AppendRecords(ctx, z, []libdns.Record{txt("alias", "x", 60)})
				return err
			},
			"SetRRsetIf A at a CNAME": func() error {
				return p.SetRRsetIf(ctx, z, "alias", "A", nil, []libdns.Record{addr("alias", "192.0.2.1", 60)})
			},
			"SetRecords CNAME next to an A": func() error {
				_, err := p.SetRecords(ctx, z, []libdns.Record{libdns.CNAME{Name: "plain", TTL: time.Minute, Target: "ns1.example.test."}})
				return err
			},
		}
		for name, call := range calls {
			if err := call(); !errors.Is(err, rfc2136.ErrCNAME) || errors.Is(err, rfc2136.ErrConflict) {
				t.Errorf("%s: %v, want ErrCNAME", name, err)
			}
		}
		wantServer(t, tg, "alias", dns.TypeANY, "alias.example.test.\t60\tIN\tCNAME\tns1.example.test.")
		wantServer(t, tg, "plain", dns.TypeANY, "plain.example.test.\t60\tIN\tA\t192.0.2.1")
	})
	t.Run("unsigned update is REFUSED", func(t *testing.T) {
		m := new(dns.Msg)
		m.SetUpdate(tg.zone)
		a, _ := dns.NewRR("unsigned.example.test. 60 IN A 192.0.2.1")
		m.Insert([]dns.RR{a})
		r, _, err := (&dns.Client{Net: "tcp"}).Exchange(m, tg.addr)
		if err != nil || r.Rcode != dns.RcodeRefused {
			t.Fatalf("unsigned: %v %v", err, r)
		}
	})
	t.Run("a zone the server does not serve is NOTAUTH", func(t *testing.T) {
		_, err := tg.p.SetRecords(ctx, "other.test.", []libdns.Record{addr("x", "192.0.2.1", 60)})
		var rc *rfc2136.RcodeError
		if !errors.Is(err, rfc2136.ErrNotAuth) || !errors.As(err, &rc) || rc.TSIGError != 0 {
			t.Fatalf("foreign zone: %v", err)
		}
	})

}
