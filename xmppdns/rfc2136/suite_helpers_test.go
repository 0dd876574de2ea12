package rfc2136_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

func mustSet(t *testing.T, p *rfc2136.Provider, zone string, recs ...libdns.Record) {
	t.Helper()
	if _, err := p.SetRecords(context.Background(), zone, recs); err != nil {
		t.Fatal(err)
	}
}

func addr(name, ip string, ttl int) libdns.Record {
	return libdns.Address{Name: name, TTL: time.Duration(ttl) * time.Second, IP: netip.MustParseAddr(ip)}
}

func aaaa(name, ip string) libdns.Record { return addr(name, ip, 3600) }

func txt(name, text string, ttl int) libdns.Record {
	return libdns.TXT{Name: name, TTL: time.Duration(ttl) * time.Second, Text: text}
}

// wantRecords compares records as "name ttl type data", order ignored.
func wantRecords(t *testing.T, got []libdns.Record, want ...string) {
	t.Helper()
	var g []string
	for _, r := range got {
		rr := r.RR()
		g = append(g, fmt.Sprintf("%s %s %s %s", rr.Name, rr.TTL, rr.Type, rr.Data))
	}
	sort.Strings(g)
	want = slices.Clone(want)
	sort.Strings(want)
	if !slices.Equal(g, want) {
		t.Fatalf("records:\n  %s\nwant:\n  %s", strings.Join(g, "\n  "), strings.Join(want, "\n  "))
	}
}

// wantServer asks the server directly (not through the provider).
func wantServer(t *testing.T, tg target, name string, qtype uint16, want ...string) {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(libdns.AbsoluteName(name, tg.zone), qtype)
	r, _, err := (&dns.Client{Net: "tcp", Timeout: 2 * time.Second}).Exchange(m, tg.addr)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rr := range r.Answer {
		got = append(got, rr.String())
	}
	sort.Strings(got)
	want = slices.Clone(want)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("server holds for %s %s:\n  %s\nwant:\n  %s", name, dns.TypeToString[qtype], strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func wantConflict(t *testing.T, err, rcode error) {
	t.Helper()
	var c interface{ Conflict() bool }
	if !errors.Is(err, rfc2136.ErrConflict) || !errors.Is(err, rcode) || !errors.As(err, &c) || !c.Conflict() {
		t.Fatalf("error %v, want a conflict matching %v", err, rcode)
	}
}
