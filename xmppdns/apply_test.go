package xmppdns

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/libdns/libdns"
)

func TestApplyBatchesOneSetRecordsPerZone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := seeded()
	z := newTestZone(t, p)
	var desired []Desired
	for i := range 50 {
		desired = append(desired, SRVSet{Domain: fmt.Sprintf("d%d.contoso.com", i), Records: []SRV{srv("edgepool2.contoso.com.", 10)}})
	}
	desired = append(desired, AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("2001:db8::2")}})
	ch, err := z.Plan(ctx, desired...)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Corrections) != 52 {
		t.Fatalf("%d corrections", len(ch.Corrections))
	}
	if err := z.Apply(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if n := p.Calls("SetRecords"); n != 1 {
		t.Errorf("%d SetRecords calls, want 1", n)
	}
	if n := p.Calls("DeleteRecords"); n != 0 {
		t.Errorf("%d DeleteRecords calls, want 0", n)
	}
}

func TestApplyConflict(t *testing.T) {
	t.Parallel()
	someoneElse := func(put func(...libdns.Record)) {
		put(libdns.Address{Name: "xmpp", TTL: 600 * time.Second, IP: netip.MustParseAddr("198.51.100.7")})
	}
	for name, wrap := range map[string]func(*memdns.Provider) Provider{
		"read-compare-write": func(p *memdns.Provider) Provider { return p },
		"conditional":        func(p *memdns.Provider) Provider { return memdns.Conditional{Provider: p} },
		"conditional, mute":  func(p *memdns.Provider) Provider { return memdns.Conditional{Provider: p, Opaque: true} },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			p := seeded()
			z := newTestZone(t, wrap(p))
			ch, err := z.Plan(ctx, AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.2")}})
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(name, "conditional") {
				p.SetHooks(memdns.Hooks{BeforeWrite: someoneElse}) // between the check and the write
			} else {
				p.Put(testZone, libdns.Address{Name: "xmpp", TTL: 600 * time.Second, IP: netip.MustParseAddr("198.51.100.7")})
			}
			err = z.Apply(ctx, ch)
			var ce *ConflictError
			if !errors.Is(err, ErrConflict) || !errors.As(err, &ce) {
				t.Fatalf("Apply error = %v, want *ConflictError", err)
			}
			if ce.Found.Type != "A" || !ce.Found.SameData(RRset{Data: []string{"198.51.100.7"}}) {
				t.Errorf("Found = %+v", ce.Found)
			}
			p.SetHooks(memdns.Hooks{})
			got, _ := z.GetAddrs(ctx, "xmpp.contoso.com")
			if len(got.IPs) != 2 || got.IPs[0] != netip.MustParseAddr("198.51.100.7") {
				t.Errorf("someone else's value was overwritten: %v", got.IPs)
			}
		})
	}
}

func TestApplyNotApplied(t *testing.T) {
	t.Parallel()
	for name, wrap := range map[string]func(*memdns.Provider) Provider{
		"plain":       func(p *memdns.Provider) Provider { return p },
		"conditional": func(p *memdns.Provider) Provider { return memdns.Conditional{Provider: p} },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := seeded()
			p.SetHooks(memdns.Hooks{Lie: true})
			z := newTestZone(t, wrap(p))
			_, err := z.SetSRV(context.Background(), "contoso.com", srv("edgepool2.contoso.com.", 10))
			var na *NotAppliedError
			if !errors.Is(err, ErrNotApplied) || !errors.As(err, &na) {
				t.Fatalf("error = %v, want *NotAppliedError", err)
			}
			if len(na.Got) != 1 || na.Got[0].Data[0] != "10 0 5269 edgepool1.contoso.com." {
				t.Errorf("Got = %+v", na.Got)
			}
		})
	}
}

func TestApplyHonoursContext(t *testing.T) {
	t.Parallel()
	p := seeded()
	z := newTestZone(t, p)
	ch, err := z.Plan(context.Background(), SRVSet{Domain: "contoso.com", Records: []SRV{srv("edgepool2.contoso.com.", 10)}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := z.Apply(ctx, ch); !errors.Is(err, context.Canceled) {
		t.Errorf("Apply on a cancelled context = %v", err)
	}
	if p.Calls("SetRecords") != 0 {
		t.Error("wrote on a cancelled context")
	}
}

func TestDeleteNeedsDeleter(t *testing.T) {
	t.Parallel()
	p := seeded()
	type getSetOnly struct {
		libdns.RecordGetter
		libdns.RecordSetter
	}
	z := newTestZone(t, getSetOnly{p, p})
	_, err := z.SetAddrs(context.Background(), "xmpp.contoso.com", netip.MustParseAddr("192.0.2.9"))
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("error = %v, want ErrUnsupported", err)
	}
	if p.Calls("SetRecords") != 0 {
		t.Error("wrote before finding it could not finish")
	}
}

func TestApplyLogs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := seeded()
	z, err := NewZone(testZone, p, ZoneOptions{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := z.SetSRV(context.Background(), "contoso.com", srv("edgepool2.contoso.com.", 10)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "level=INFO") || !strings.Contains(buf.String(), "± MODIFY _xmpp-server._tcp.contoso.com. SRV") {
		t.Errorf("log: %s", buf.String())
	}
	// A nil Logger is the default: no logging.
	quiet, err := NewZone(testZone, p, ZoneOptions{Logger: nil})
	if err != nil {
		t.Fatalf("nil logger: %v", err)
	}
	buf.Reset()
	if _, err := quiet.SetSRV(context.Background(), "contoso.com", srv("edgepool1.contoso.com.", 10)); err != nil || buf.Len() != 0 {
		t.Errorf("nil logger: %v, logged %q", err, buf.String())
	}
}

func TestApplyProviderFailure(t *testing.T) {
	t.Parallel()
	boom := errors.New("provider unavailable")
	for name, wrap := range map[string]func(*memdns.Provider) Provider{
		"plain":       func(p *memdns.Provider) Provider { return p },
		"conditional": func(p *memdns.Provider) Provider { return memdns.Conditional{Provider: p, Opaque: true} },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := seeded()
			z := newTestZone(t, wrap(p))
			ch, err := z.Plan(context.Background(), SRVSet{Domain: "contoso.com", Records: []SRV{srv("edgepool2.contoso.com.", 10)}})
			if err != nil {
				t.Fatal(err)
			}
			p.SetHooks(memdns.Hooks{FailWrites: boom})
			err = z.Apply(context.Background(), ch)
			if !errors.Is(err, boom) || errors.Is(err, ErrConflict) || errors.Is(err, ErrNotApplied) {
				t.Errorf("Apply = %v, want the provider's error only", err)
			}
		})
	}
}
