package lynctest_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/masterzen/winrm"

	"github.com/xmppfed/edgefailover/internal/testpeer"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// TestKerberosWithRealClient: masterzen/winrm's ClientKerberos, with a
// ticket from a real MIT KDC, runs a command over HTTPS; a principal of the
// realm that is no account of the deployment gets 401. Skips without
// krb5kdc unless EDGEFAILOVER_REQUIRE_PEERS=1.
func TestKerberosWithRealClient(t *testing.T) {
	t.Parallel()
	kdc := testpeer.StartKDC(t, "CONTOSO.COM")
	kdc.AddUser(t, "lyncadmin", "Krb-Passw0rd-2")
	kdc.AddUser(t, "stranger", "Krb-Passw0rd-3")
	kt := kdc.AddService(t, "HTTP/fe01.contoso.com")
	cfg := testConfig()
	cfg.WinRM = lynctest.WinRMService{Kerberos: &lynctest.KerberosService{Keytab: kt, Realm: "CONTOSO.COM"}}
	d := start(t, cfg)
	run := func(user, spn string) error {
		_, port, _ := net.SplitHostPort(d.Host("fe01.contoso.com").TLSAddr())
		n, _ := strconv.Atoi(port)
		params := *winrm.DefaultParameters
		params.TransportDecorator = func() winrm.Transporter {
			return winrm.NewClientKerberos(&winrm.Settings{WinRMUsername: user, WinRMPassword: "Krb-Passw0rd-" + map[string]string{"lyncadmin": "2", "stranger": "3"}[user],
				WinRMHost: "127.0.0.1", WinRMPort: n, WinRMProto: "https", KrbRealm: "CONTOSO.COM", KrbConfig: kdc.Krb5Conf, KrbSpn: spn})
		}
		c, err := winrm.NewClientWithParameters(&winrm.Endpoint{Host: "127.0.0.1", Port: n, HTTPS: true, CACert: d.CACertPEM(), Timeout: 5 * time.Second}, user, "", &params)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _, _, err = c.RunCmdWithContext(ctx, encodedCommand(frame("EF-1", "")))
		return err
	}
	if err := run("lyncadmin", "HTTP/fe01.contoso.com"); err != nil {
		t.Fatalf("lyncadmin: %v", err)
	}
	if c := d.Host("fe01.contoso.com").Counters(); c.Auth.Kerberos == 0 || c.Auth.Kerberos != c.Total() {
		t.Fatalf("counters %+v", c.Auth)
	}
	// A principal of the realm that is no account of the deployment.
	if err := run("stranger", "HTTP/fe01.contoso.com"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("stranger: err = %v, want a 401", err)
	}
}
