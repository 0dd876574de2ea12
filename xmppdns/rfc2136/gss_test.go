package rfc2136_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/testpeer"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

const (
	gssRealm    = "EXAMPLE.TEST"
	gssUser     = "xmpp-update"
	gssPassword = "test-realm-password"
)

// gssLab is a KDC and a BIND that takes GSS-TSIG updates from gssUser.
type gssLab struct {
	kdc  *testpeer.KDC
	bind *testpeer.BIND
	spn  string
}

func startGSSLab(t testing.TB, zoneText string) gssLab {
	t.Helper()
	kdc := testpeer.StartKDC(t, gssRealm)
	kdc.AddUser(t, gssUser, gssPassword)
	kdc.AddUser(t, "nobody", gssPassword) // a valid principal the policy does not grant
	b, g := testpeer.StartBINDKerberos(t, "example.test", zoneText, kdc, gssUser)
	return gssLab{kdc: kdc, bind: b, spn: g.SPN}
}

// provider returns a provider signing as user with password.
func (l gssLab) provider(user string) *rfc2136.Provider {
	return &rfc2136.Provider{Server: l.bind.Addr, Kerberos: &rfc2136.Kerberos{
		Realm: gssRealm, Username: user, Password: gssPassword, KDC: l.kdc.Addr, SPN: l.spn}}
}

func TestSuiteBINDGSSTSIG(t *testing.T) {
	l := startGSSLab(t, bulkZoneText())
	p := l.provider(gssUser)
	runSuite(t, target{p: p, zone: "example.test.", addr: l.bind.Addr})
	st := p.Kerberos.Stats()
	n, tkeys := st.Negotiations, st.TKEYExchanges
	t.Logf("GSS-TSIG suite: %d context(s) negotiated, %d TKEY round trip(s)", n, tkeys)
	if n != 1 || tkeys != 1 {
		t.Errorf("negotiated %d contexts in %d TKEY round trips, want one context in one round trip", n, tkeys)
	}
}

func TestGSSTSIGCredentialSources(t *testing.T) {
	l := startGSSLab(t, suiteZoneText)
	ctx := context.Background()
	write := func(t *testing.T, k *rfc2136.Kerberos, name string) error {
		k.Realm, k.KDC, k.SPN = gssRealm, l.kdc.Addr, l.spn
		p := &rfc2136.Provider{Server: l.bind.Addr, Kerberos: k}
		_, err := p.SetRecords(ctx, "example.test.", []libdns.Record{addr(name, "192.0.2.1", 60)})
		return err
	}
	tg := target{zone: "example.test.", addr: l.bind.Addr}
	t.Run("password", func(t *testing.T) {
		if err := write(t, &rfc2136.Kerberos{Username: gssUser, Password: gssPassword}, "pw"); err != nil {
			t.Fatal(err)
		}
		wantServer(t, tg, "pw", dns.TypeA, "pw.example.test.\t60\tIN\tA\t192.0.2.1")
	})
	t.Run("credential cache", func(t *testing.T) {
		cc := l.kdc.Kinit(t, gssUser, gssPassword)
		if err := write(t, &rfc2136.Kerberos{CCache: "FILE:" + cc}, "cc"); err != nil {
			t.Fatal(err)
		}
		wantServer(t, tg, "cc", dns.TypeA, "cc.example.test.\t60\tIN\tA\t192.0.2.1")
	})
	t.Run("keytab", func(t *testing.T) {
		// A second granted principal, since ktadd gives it new random keys.
		kt := l.kdc.AddService(t, "xmpp-update/host.example.test")
		err := write(t, &rfc2136.Kerberos{Username: "xmpp-update/host.example.test", Keytab: kt}, "kt")
		if !errors.Is(err, rfc2136.ErrRefused) {
			t.Fatalf("a principal the update-policy does not grant: %v, want REFUSED", err)
		}
		wantServer(t, tg, "kt", dns.TypeA)
		kt = l.kdc.Keytab(t, gssUser)
		if err := write(t, &rfc2136.Kerberos{Username: gssUser, Keytab: kt}, "kt"); err != nil {
			t.Fatal(err)
		}
		wantServer(t, tg, "kt", dns.TypeA, "kt.example.test.\t60\tIN\tA\t192.0.2.1")
	})
	t.Run("wrong password is ErrKerberos, nothing sent to the server", func(t *testing.T) {
		err := write(t, &rfc2136.Kerberos{Username: "nobody", Password: "wrong"}, "bad")
		if !errors.Is(err, rfc2136.ErrKerberos) {
			t.Fatalf("wrong password: %v", err)
		}
		wantServer(t, tg, "bad", dns.TypeA)
	})
	t.Run("a principal not granted is REFUSED", func(t *testing.T) {
		err := write(t, &rfc2136.Kerberos{Username: "nobody", Password: gssPassword}, "nobody")
		var rc *rfc2136.RcodeError
		if !errors.Is(err, rfc2136.ErrRefused) || !errors.As(err, &rc) || rc.TSIGError != 0 {
			t.Fatalf("not granted: %v", err)
		}
		wantServer(t, tg, "nobody", dns.TypeA)
	})
	t.Run("an SPN the KDC does not know is ErrKerberos", func(t *testing.T) {
		k := &rfc2136.Kerberos{Username: gssUser, Password: gssPassword}
		k.Realm, k.KDC = gssRealm, l.kdc.Addr
		p := &rfc2136.Provider{Server: l.bind.Addr, Kerberos: k} // default SPN DNS/127.0.0.1
		_, err := p.SetRecords(ctx, "example.test.", []libdns.Record{addr("spn", "192.0.2.1", 60)})
		if !errors.Is(err, rfc2136.ErrKerberos) {
			t.Fatalf("unknown SPN: %v", err)
		}
	})
}

func TestGSSTSIGRenegotiatesAContextTheServerForgot(t *testing.T) {
	l := startGSSLab(t, suiteZoneText)
	p := l.provider(gssUser)
	mustSet(t, p, "example.test.", addr("first", "192.0.2.1", 60))
	rfc2136.ForgetOnServer(p.Kerberos)
	mustSet(t, p, "example.test.", addr("second", "192.0.2.2", 60))
	if st := p.Kerberos.Stats(); st.Negotiations != 2 || st.TKEYExchanges != 2 {
		n, tkeys := st.Negotiations, st.TKEYExchanges
		t.Fatalf("%d negotiations, %d TKEY exchanges; want 2 and 2 (one renegotiation after BADKEY)", n, tkeys)
	}
	wantServer(t, target{zone: "example.test.", addr: l.bind.Addr}, "second", dns.TypeA, "second.example.test.\t60\tIN\tA\t192.0.2.2")
}

// TestGSSTSIGTransferRenegotiatesAContextTheServerForgot: a transfer
// answered BADKEY renegotiates once, as an UPDATE does, instead of failing
// until the forgotten context expires.
func TestGSSTSIGTransferRenegotiatesAContextTheServerForgot(t *testing.T) {
	l := startGSSLab(t, suiteZoneText)
	p := l.provider(gssUser)
	ctx := context.Background()
	if _, err := p.GetRecords(ctx, "example.test."); err != nil {
		t.Fatal(err)
	}
	rfc2136.ForgetOnServer(p.Kerberos)
	recs, err := p.GetRecords(ctx, "example.test.")
	if err != nil {
		t.Fatalf("transfer after the server forgot the context: %v", err)
	}
	if len(recs) == 0 {
		t.Fatal("the transfer returned no records")
	}
	if st := p.Kerberos.Stats(); st.Negotiations != 2 || st.TKEYExchanges != 2 {
		t.Fatalf("%d negotiations, %d TKEY exchanges; want 2 and 2 (one renegotiation after BADKEY)", st.Negotiations, st.TKEYExchanges)
	}
}

// TestGSSTSIGConcurrentFirstCallsNegotiateOnce starts writes at once on a
// provider with no context yet: they share one negotiation.
func TestGSSTSIGConcurrentFirstCallsNegotiateOnce(t *testing.T) {
	l := startGSSLab(t, suiteZoneText)
	p := l.provider(gssUser)
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, err := p.SetRecords(context.Background(), "example.test.", []libdns.Record{addr(fmt.Sprintf("c%d", i), "192.0.2.1", 60)})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if st := p.Kerberos.Stats(); st.Negotiations != 1 || st.TKEYExchanges != 1 {
		t.Fatalf("%d concurrent first writes: %d negotiations, %d TKEY exchanges; want 1 and 1", n, st.Negotiations, st.TKEYExchanges)
	}
	for i := range n {
		name := fmt.Sprintf("c%d", i)
		wantServer(t, target{zone: "example.test.", addr: l.bind.Addr}, name, dns.TypeA, name+".example.test.\t60\tIN\tA\t192.0.2.1")
	}
}

// TestGSSTSIGKrb5ConfAndEnctypes signs with each AES enctype the KDC issues,
// chosen through a krb5.conf file (Kerberos.Krb5Conf): the session key, the
// acceptor's subkey and the MIC checksums follow it (external-dns#5123 saw
// MIC checksum mismatches with aes256).
func TestGSSTSIGKrb5ConfAndEnctypes(t *testing.T) {
	l := startGSSLab(t, suiteZoneText)
	etypes := map[string]int32{"aes256-cts-hmac-sha1-96": 18, "aes128-cts-hmac-sha1-96": 17, "aes256-cts-hmac-sha384-192": 20}
	for i, enctype := range []string{"aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96", "aes256-cts-hmac-sha384-192"} {
		t.Run(enctype, func(t *testing.T) {
			conf := filepath.Join(t.TempDir(), "krb5.conf")
			text := fmt.Sprintf("[libdefaults]\n default_realm = %[1]s\n dns_lookup_kdc = false\n udp_preference_limit = 1\n"+
				" default_tkt_enctypes = %[3]s\n default_tgs_enctypes = %[3]s\n permitted_enctypes = %[3]s\n"+
				"[realms]\n %[1]s = {\n  kdc = %[2]s\n }\n", gssRealm, l.kdc.Addr, enctype)
			if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			p := &rfc2136.Provider{Server: l.bind.Addr, Kerberos: &rfc2136.Kerberos{
				Realm: gssRealm, Username: gssUser, Password: gssPassword, Krb5Conf: conf, SPN: l.spn}}
			name := fmt.Sprintf("enc%d", i)
			mustSet(t, p, "example.test.", addr(name, "192.0.2.1", 60))
			if err := p.SetRRsetIf(context.Background(), "example.test.", name, "A",
				[]libdns.Record{addr(name, "192.0.2.1", 60)}, []libdns.Record{addr(name, "192.0.2.2", 60)}); err != nil {
				t.Fatal(err)
			}
			wantServer(t, target{zone: "example.test.", addr: l.bind.Addr}, name, dns.TypeA, name+".example.test.\t60\tIN\tA\t192.0.2.2")
			keys := rfc2136.SessionEnctypes(p.Kerberos)
			if len(keys) != 1 || keys[0][0] != etypes[enctype] || keys[0][1] != etypes[enctype] {
				t.Fatalf("session key and acceptor subkey enctypes %v, want %d and %d", keys, etypes[enctype], etypes[enctype])
			}
		})
	}
}
