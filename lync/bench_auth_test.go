package lync_test

import (
	"context"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// transports are the ways a default host (plus Basic for a local account,
// once enabled) is reached.
var transports = []struct {
	name  string
	https bool
	basic bool
}{{"http-ntlm-sealed", false, false}, {"https-ntlm", true, false}, {"https-basic-local", true, true}}

// transportEndpoint reaches feHost of d the way tr says.
func transportEndpoint(d *lynctest.Deployment, https, basic bool) winrm.Endpoint {
	ep := endpoint(d, feHost, https)
	if basic {
		ep.Auth, ep.Credentials = winrm.AuthBasic, winrm.Credentials{Username: "admin", Password: "Local-Passw0rd"}
	}
	return ep
}

func transportDeployment(b *testing.B, lat lynctest.Latency) *lynctest.Deployment {
	cfg := topology(lynctest.SfB2015, "")
	cfg.Latency = lat
	cfg.WinRM = lynctest.WinRMService{Basic: true,
		LocalAccounts: []lynctest.LocalAccount{{Host: feHost, Username: "admin", Password: "Local-Passw0rd"}}}
	return newDeployment(b, cfg)
}

// BenchmarkTwentyCmdletsByTransport is BenchmarkTwentyCmdlets (persistent
// session, a new runner per op, so logins count) over each transport.
// logins/op counts NTLM logins (one per connection) or Basic requests.
//
//	go test -run '^$' -bench BenchmarkTwentyCmdletsByTransport -benchtime 5x ./lync
func BenchmarkTwentyCmdletsByTransport(b *testing.B) {
	for _, tr := range transports {
		b.Run(tr.name, func(b *testing.B) {
			d := transportDeployment(b, lynctest.Latency{ProcessStart: time.Second, ModuleImport: 3 * time.Second, Scale: 0.01})
			ctx := context.Background()
			d.ResetCounters()
			for b.Loop() {
				w, err := winrm.NewWinRM(transportEndpoint(d, tr.https, tr.basic), winrm.Options{Mode: winrm.ModePersistent})
				if err != nil {
					b.Fatal(err)
				}
				if err := twentyCmdlets(ctx, lync.NewClient(w, lync.ClientOptions{})); err != nil {
					b.Fatal(err)
				}
				_ = w.Close()
			}
			report(b, d.Host(feHost).Counters())
		})
	}
}

// BenchmarkCallByTransport is one Sites.Get on a session already open, no
// latency profile: the cost of sealing against TLS.
//
//	go test -run '^$' -bench BenchmarkCallByTransport -benchtime 200x ./lync
func BenchmarkCallByTransport(b *testing.B) {
	for _, tr := range transports {
		b.Run(tr.name, func(b *testing.B) {
			d := transportDeployment(b, lynctest.Latency{})
			w, err := winrm.NewWinRM(transportEndpoint(d, tr.https, tr.basic), winrm.Options{Mode: winrm.ModePersistent})
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			c := lync.NewClient(w, lync.ClientOptions{})
			ctx := context.Background()
			if _, err := c.Sites.Get(ctx, site2); err != nil {
				b.Fatal(err)
			}
			d.ResetCounters()
			for b.Loop() {
				if _, err := c.Sites.Get(ctx, site2); err != nil {
					b.Fatal(err)
				}
			}
			report(b, d.Host(feHost).Counters())
		})
	}
}

func report(b *testing.B, cnt lynctest.Counters) {
	n := float64(b.N)
	b.ReportMetric(float64(cnt.Total())/n, "requests/op")
	b.ReportMetric(float64(cnt.Auth.NTLM+cnt.Auth.Basic)/n, "logins/op")
	b.ReportMetric(float64(cnt.Auth.Handshakes)/n, "challenges/op")
}
