package failovertest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/edge"
)

// PeerOptions describe the remote XMPP servers StartPeers runs. The zero
// value gives the defaults noted on each field; durations are field
// durations, multiplied by Scale.
type PeerOptions struct {
	// Count is the number of remote servers. Default 5.
	Count int
	// Domain is the SIP domain they federate with. Default the lab's first.
	Domain string
	// Scale multiplies every TTL the peers' resolvers honour and the
	// durations below, so that a 300 s TTL can pass in 0.3 s (Scale 0.001).
	// Default 1.
	Scale float64
	// ReconnectInterval is how long a peer waits after a failed connection
	// attempt (every candidate failed) before the next one. Default 10 s.
	ReconnectInterval time.Duration
	// ConnectTimeout bounds one connection attempt to one address (TCP,
	// stream header, features). Default 5 s.
	ConnectTimeout time.Duration
}

// Peers are remote XMPP servers federating with a lab's SIP domain, as the
// partners of a real deployment do. Each has its own caching resolver,
// which asks the lab's primary name server (RD=0) and keeps every answer for
// its TTL (RFC 1035 section 3.2.1, RFC 2181 section 8; negative answers are
// not cached), and an RFC 6120 section 3.2 connection loop: SRV records in
// RFC 2782 order (lowest priority first, weighted random among equals),
// each target's addresses in turn, the next one after a refused connection
// or a timeout, and ReconnectInterval after a round in which every
// candidate failed. A peer that reached the domain (stream features
// received) connects again at once, as traffic would. Caches start warm:
// peer i (of n) looked the domain up (i+1)/n of a TTL before StartPeers, so
// their entries run out at evenly spread moments. Create them with
// Lab.StartPeers; Close stops them.
type Peers struct {
	lab   *Lab
	o     PeerOptions
	peers []*peer
	stop  context.CancelFunc
	wg    sync.WaitGroup

	mu     sync.Mutex // guards the fields below
	since  time.Time  // MarkOutage's time; zero before
	change chan struct{}
}

type peer struct {
	name  string
	rnd   *rand.Rand
	mu    sync.Mutex // guards cache and first
	cache map[string]cached
	first time.Time // first federation after the outage began
}

type cached struct {
	rrs     []dns.RR
	expires time.Time
}

// PeerOutage is what one peer saw of an outage.
type PeerOutage struct {
	Peer string
	// Restored reports whether the peer federated again after MarkOutage;
	// Outage is how long that took (real time, not divided by Scale).
	Restored bool
	Outage   time.Duration
}

// StartPeers starts the remote servers, their caches warm (see Peers). It
// fails with an *OptionError for a bad option and with ctx's error or the
// DNS error when the warm-up lookups fail. The caller must call Close.
func (l *Lab) StartPeers(ctx context.Context, o PeerOptions) (*Peers, error) {
	if o.Count == 0 {
		o.Count = 5
	}
	if o.Domain == "" {
		o.Domain = l.opts.Domains[0]
	}
	if o.Scale == 0 {
		o.Scale = 1
	}
	if o.ReconnectInterval == 0 {
		o.ReconnectInterval = 10 * time.Second
	}
	if o.ConnectTimeout == 0 {
		o.ConnectTimeout = 5 * time.Second
	}
	switch {
	case o.Count < 1 || o.Count > 100:
		return nil, &OptionError{Field: "Count", Value: strconv.Itoa(o.Count), Reason: "must be 1 to 100"}
	case o.Scale < 0:
		return nil, &OptionError{Field: "Scale", Value: fmt.Sprint(o.Scale), Reason: "must not be negative"}
	case o.ReconnectInterval < 0:
		return nil, &OptionError{Field: "ReconnectInterval", Value: o.ReconnectInterval.String(), Reason: "must not be negative"}
	case o.ConnectTimeout < 0:
		return nil, &OptionError{Field: "ConnectTimeout", Value: o.ConnectTimeout.String(), Reason: "must not be negative"}
	case !slices.Contains(l.opts.Domains, strings.ToLower(strings.TrimSuffix(o.Domain, "."))):
		return nil, &OptionError{Field: "Domain", Value: o.Domain, Reason: "not a SIP domain of the lab"}
	}
	o.Domain = strings.ToLower(strings.TrimSuffix(o.Domain, "."))
	ps := &Peers{lab: l, o: o, change: make(chan struct{})}
	now := time.Now()
	for i := range o.Count {
		p := &peer{name: fmt.Sprintf("peer%d.example", i+1), rnd: rand.New(rand.NewPCG(uint64(i+1), 17)), cache: map[string]cached{}}
		// Fetched (i+1)/n of a TTL ago: expires (n-i-1)/n of a TTL from now.
		age := func(ttl time.Duration) time.Time {
			return now.Add(ps.scaled(ttl) * time.Duration(o.Count-i-1) / time.Duration(o.Count))
		}
		if _, err := ps.lookup(ctx, p, "_xmpp-server._tcp."+o.Domain+".", dns.TypeSRV, age); err != nil {
			return nil, err
		}
		for _, c := range ps.candidates(ctx, p) {
			if _, err := ps.lookup(ctx, p, c.host, dns.TypeA, age); err != nil {
				return nil, err
			}
		}
		ps.peers = append(ps.peers, p)
	}
	ctx, ps.stop = context.WithCancel(context.Background())
	for i, p := range ps.peers {
		ps.wg.Go(func() { ps.loop(ctx, p, ps.scaled(o.ReconnectInterval)*time.Duration(i)/time.Duration(o.Count)) })
	}
	return ps, nil
}

// MarkOutage records now as the moment federation broke (the source pool
// died) and forgets what the peers saw before.
func (ps *Peers) MarkOutage() {
	ps.mu.Lock()
	ps.since = time.Now()
	ps.mu.Unlock()
	for _, p := range ps.peers {
		p.mu.Lock()
		p.first = time.Time{}
		p.mu.Unlock()
	}
}

// Outages returns what every peer saw since MarkOutage, in peer order.
func (ps *Peers) Outages() []PeerOutage {
	ps.mu.Lock()
	since := ps.since
	ps.mu.Unlock()
	out := make([]PeerOutage, len(ps.peers))
	for i, p := range ps.peers {
		p.mu.Lock()
		out[i] = PeerOutage{Peer: p.name, Restored: !since.IsZero() && !p.first.IsZero()}
		if out[i].Restored {
			out[i].Outage = p.first.Sub(since)
		}
		p.mu.Unlock()
	}
	return out
}

// Wait waits until every peer federated again after MarkOutage, or ctx ends
// (its error then).
func (ps *Peers) Wait(ctx context.Context) error {
	for {
		ps.mu.Lock()
		ch := ps.change
		ps.mu.Unlock()
		all := true
		for _, o := range ps.Outages() {
			all = all && o.Restored
		}
		if all {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// Summary returns the median and the longest outage over the peers that
// federated again, and how many did.
func Summary(outages []PeerOutage) (p50, max time.Duration, restored int) {
	var ds []time.Duration
	for _, o := range outages {
		if o.Restored {
			ds = append(ds, o.Outage)
		}
	}
	if len(ds) == 0 {
		return 0, 0, 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[(len(ds)-1)/2], ds[len(ds)-1], len(ds)
}

// Close stops the peers and waits for them. It is safe to call more than
// once.
func (ps *Peers) Close() {
	ps.stop()
	ps.wg.Wait()
}

func (ps *Peers) scaled(d time.Duration) time.Duration { return time.Duration(float64(d) * ps.o.Scale) }

// loop is one peer's connection loop.
func (ps *Peers) loop(ctx context.Context, p *peer, offset time.Duration) {
	if !sleep(ctx, offset) {
		return
	}
	for ctx.Err() == nil {
		if ps.attempt(ctx, p) {
			ps.mu.Lock()
			since := ps.since
			ps.mu.Unlock()
			p.mu.Lock()
			if !since.IsZero() && p.first.IsZero() {
				p.first = time.Now()
				ps.mu.Lock()
				close(ps.change)
				ps.change = make(chan struct{})
				ps.mu.Unlock()
			}
			p.mu.Unlock()
			if !sleep(ctx, ps.scaled(ps.o.ReconnectInterval)/10) { // traffic: connect again soon
				return
			}
			continue
		}
		if !sleep(ctx, ps.scaled(ps.o.ReconnectInterval)) {
			return
		}
	}
}

// attempt is one round of RFC 6120 section 3.2.1: every candidate in order
// until one answers with stream features.
func (ps *Peers) attempt(ctx context.Context, p *peer) bool {
	for _, c := range ps.candidates(ctx, p) {
		rrs, err := ps.lookup(ctx, p, c.host, dns.TypeA, nil)
		if err != nil {
			continue
		}
		for _, rr := range rrs {
			a, ok := rr.(*dns.A)
			if !ok {
				continue
			}
			r, err := edge.Probe(ctx, net.JoinHostPort(a.A.String(), strconv.Itoa(int(c.port))), edge.ProbeConfig{
				To: ps.o.Domain, From: p.name, Dial: ps.lab.Dial, Timeout: max(ps.scaled(ps.o.ConnectTimeout), time.Millisecond),
			})
			if err == nil && r.OK() {
				return true
			}
		}
	}
	return false
}

type target struct {
	host string
	port uint16
}

// candidates returns the domain's SRV targets in RFC 2782 order.
func (ps *Peers) candidates(ctx context.Context, p *peer) []target {
	rrs, err := ps.lookup(ctx, p, "_xmpp-server._tcp."+ps.o.Domain+".", dns.TypeSRV, nil)
	if err != nil {
		return nil
	}
	var srvs []*dns.SRV
	for _, rr := range rrs {
		if s, ok := rr.(*dns.SRV); ok && s.Target != "." {
			srvs = append(srvs, s)
		}
	}
	sort.SliceStable(srvs, func(i, j int) bool { return srvs[i].Priority < srvs[j].Priority })
	var out []target
	for len(srvs) > 0 {
		// Among the lowest priority left, pick by weight (RFC 2782).
		n := 1
		for n < len(srvs) && srvs[n].Priority == srvs[0].Priority {
			n++
		}
		total := 0
		for _, s := range srvs[:n] {
			total += int(s.Weight)
		}
		pick := 0
		if total > 0 {
			p.mu.Lock()
			r := p.rnd.IntN(total + 1)
			p.mu.Unlock()
			for sum := 0; pick < n-1; pick++ {
				if sum += int(srvs[pick].Weight); sum >= r {
					break
				}
			}
		}
		out = append(out, target{strings.ToLower(srvs[pick].Target), srvs[pick].Port})
		srvs = slices.Delete(srvs, pick, pick+1)
	}
	return out
}

// lookup answers from p's cache while the entry lives, otherwise asks the
// lab's primary name server and caches the answer for its TTL (the lowest
// of the RRset), or until expires(TTL) when expires is set (the warm-up).
func (ps *Peers) lookup(ctx context.Context, p *peer, name string, t uint16, expires func(time.Duration) time.Time) ([]dns.RR, error) {
	key := name + " " + dns.TypeToString[t]
	p.mu.Lock()
	e, ok := p.cache[key]
	p.mu.Unlock()
	if ok && expires == nil && time.Now().Before(e.expires) {
		return e.rrs, nil
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), t)
	m.RecursionDesired = false
	qctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	in, _, err := ps.lab.dnsc.ExchangeContext(qctx, m, ps.lab.cluster.Addrs()[0])
	if err != nil {
		return nil, err
	}
	var rrs []dns.RR
	ttl := time.Duration(-1)
	for _, rr := range in.Answer {
		if rr.Header().Rrtype == t {
			rrs = append(rrs, rr)
			if d := time.Duration(rr.Header().Ttl) * time.Second; ttl < 0 || d < ttl {
				ttl = d
			}
		}
	}
	if len(rrs) == 0 {
		return nil, fmt.Errorf("failovertest: %s: no answer (rcode %s)", key, dns.RcodeToString[in.Rcode])
	}
	until := time.Now().Add(ps.scaled(ttl))
	if expires != nil {
		until = expires(ttl)
	}
	p.mu.Lock()
	p.cache[key] = cached{rrs: rrs, expires: until}
	p.mu.Unlock()
	return rrs, nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
