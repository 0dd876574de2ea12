package xmppdns

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

func TestCandidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		records []string
		want    []Candidate
		wantErr error
	}{
		{
			name: "SRV by priority",
			records: []string{
				"_xmpp-server._tcp.contoso.com. 300 IN SRV 20 0 5269 EdgePool1.contoso.com.",
				"_xmpp-server._tcp.contoso.com. 300 IN SRV 10 0 5269 edgepool2.contoso.com.",
			},
			want: []Candidate{
				{Host: "edgepool2.contoso.com", Port: 5269, Priority: 10, FromSRV: true},
				{Host: "edgepool1.contoso.com", Port: 5269, Priority: 20, FromSRV: true},
			},
		},
		{
			name:    "single dot: decidedly not available",
			records: []string{"_xmpp-server._tcp.contoso.com. 300 IN SRV 0 0 0 ."},
			wantErr: ErrServiceNotAvailable,
		},
		{
			name: "dot mixed with a target is left out",
			records: []string{
				"_xmpp-server._tcp.contoso.com. 300 IN SRV 0 0 0 .",
				"_xmpp-server._tcp.contoso.com. 300 IN SRV 10 0 5270 edge.contoso.com.",
			},
			want: []Candidate{{Host: "edge.contoso.com", Port: 5270, Priority: 10, FromSRV: true}},
		},
		{
			name:    "NXDOMAIN: fallback to the domain on 5269",
			records: []string{"contoso.com. 300 IN A 192.0.2.1"},
			want:    []Candidate{{Host: "contoso.com", Port: 5269}},
		},
		{
			name:    "NODATA: fallback",
			records: []string{"_xmpp-server._tcp.contoso.com. 300 IN TXT \"not srv\""},
			want:    []Candidate{{Host: "contoso.com", Port: 5269}},
		},
		{
			name: "CNAME followed",
			records: []string{
				"_xmpp-server._tcp.contoso.com. 300 IN CNAME _xmpp-server._tcp.hosted.example.",
				"_xmpp-server._tcp.hosted.example. 300 IN SRV 5 0 5269 edge.hosted.example.",
			},
			want: []Candidate{{Host: "edge.hosted.example", Port: 5269, Priority: 5, FromSRV: true}},
		},
		{
			name: "SRV present, no usable target: no fallback",
			records: []string{
				"_xmpp-server._tcp.contoso.com. 300 IN SRV 10 0 0 edge.contoso.com.",
				"_xmpp-server._tcp.contoso.com. 300 IN SRV 10 0 5269 bad_host.contoso.com.",
			},
			wantErr: ErrMalformed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := table(t, tt.records...)
			if tt.name == "CNAME followed" {
				f.SetAnswer(func(q dns.Question, r *dns.Msg) { r.Answer = append(r.Answer, f.Records()...) }) // a recursor's full chain
			}
			r := &Resolver{Servers: []string{"192.0.2.53:53"}, Exchange: f.Exchange, Rand: rand.New(rand.NewPCG(1, 2))}
			got, err := r.Candidates(context.Background(), "Contoso.com")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestCandidatesFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := table(t, "_xmpp-server._tcp.contoso.com. 300 IN SRV 10 0 5269 edge.contoso.com.")
	f.SetRcode("192.0.2.1:53", dns.RcodeServerFailure)
	r := &Resolver{Servers: []string{"192.0.2.1:53", "192.0.2.2:53"}, Exchange: f.Exchange}
	got, err := r.Candidates(ctx, "contoso.com")
	if err != nil || len(got) != 1 {
		t.Fatalf("second resolver not used: %v, %v", got, err)
	}
	f.SetRcode("192.0.2.2:53", dns.RcodeRefused)
	_, err = r.Candidates(ctx, "contoso.com")
	var qe *QueryError
	if !errors.Is(err, ErrRcode) || !errors.As(err, &qe) || qe.Rcode != dns.RcodeRefused {
		t.Errorf("all failing: %v", err)
	}
	for _, d := range []string{"", "contoso", "_x._tcp.contoso.com", "a b.com"} {
		if _, err := r.Candidates(ctx, d); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("Candidates(%q) = %v", d, err)
		}
	}
	if _, err := (&Resolver{}).Candidates(ctx, "contoso.com"); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("no servers: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := r.Candidates(cctx, "contoso.com"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestResolvConf(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "resolv.conf")
	if err := os.WriteFile(p, []byte("nameserver 192.0.2.53\nnameserver 2001:db8::53\noptions ndots:1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ResolvConf(p)
	if err != nil || !cmp.Equal(got, []string{"192.0.2.53:53", "[2001:db8::53]:53"}) {
		t.Errorf("ResolvConf = %v, %v", got, err)
	}
	if _, err := ResolvConf(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file accepted")
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("options ndots:1\n"), 0o600)
	if _, err := ResolvConf(empty); !errors.Is(err, ErrNoAnswer) {
		t.Errorf("no servers: %v", err)
	}
}

// TestCandidatesLargeSetOverTCP resolves an SRV set too large for a UDP
// answer from a real (in-process) server: the truncated answer is asked
// again over TCP and every record comes back.
func TestCandidatesLargeSetOverTCP(t *testing.T) {
	t.Parallel()
	text := "$TTL 300\n@ IN SOA ns1 h 1 3600 600 86400 60\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"
	for i := range 40 {
		text += fmt.Sprintf("_xmpp-server._tcp IN SRV %d 0 5269 edge-%02d.a-rather-long-pool-name.example.test.\n", i, i)
	}
	srv := dnstest.NewTestServer(t, "example.test", text)
	r := &Resolver{Servers: []string{srv.Addr}}
	got, err := r.Candidates(context.Background(), "example.test")
	if err != nil || len(got) != 40 || got[0].Host != "edge-00.a-rather-long-pool-name.example.test" || got[39].Priority != 39 {
		t.Fatalf("Candidates = %d candidates, %v", len(got), err)
	}
	var truncated, tcp bool
	for _, e := range srv.Log() {
		truncated = truncated || e.Truncated
		tcp = tcp || e.Net == "tcp"
	}
	if !truncated || !tcp {
		t.Errorf("expected a truncated UDP answer then TCP: truncated %v, tcp %v", truncated, tcp)
	}
}

// table returns a dnstest.Table of records (presentation format).
func table(t testing.TB, records ...string) *dnstest.Table {
	t.Helper()
	f, err := dnstest.NewTable(records...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
