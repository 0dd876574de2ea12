package xmppdns

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/libdns/libdns"
)

// Provider is what a Zone needs from a libdns provider: reading and setting
// records. A provider that also implements libdns.RecordDeleter can delete
// RRsets (needed to restore a snapshot in which an RRset was absent, or to
// drop a stale AAAA set). Any libdns v1.1 provider fits.
type Provider interface {
	libdns.RecordGetter
	libdns.RecordSetter
}

// RRsetGetter is an optional provider interface for reading one RRset
// directly, without listing the zone (the rfc2136 provider reads by query,
// not by zone transfer). name is relative to zone as in libdns ("@" for the
// apex); rtype is upper case. An absent RRset is an empty result and a nil
// error. It must honour ctx and be safe for concurrent use.
type RRsetGetter interface {
	GetRRset(ctx context.Context, zone, name, rtype string) ([]libdns.Record, error)
}

// ConditionalSetter is an optional provider interface for a compare-and-set
// of one RRset: atomically, if the RRset (name, rtype) holds exactly the
// data of expected (TTL ignored; empty expected = the RRset does not exist),
// make records its whole content (empty records = delete the RRset);
// otherwise change nothing and return an error. An error caused by the
// failed condition should implement interface{ Conflict() bool } returning
// true; for other errors a Zone reads the RRset to tell a conflict from a
// failure. It must honour ctx and be safe for concurrent use.
type ConditionalSetter interface {
	SetRRsetIf(ctx context.Context, zone, name, rtype string, expected, records []libdns.Record) error
}

// readConcurrency bounds the RRset reads in flight for one Zone call.
const readConcurrency = 8

// Zone reads and writes the XMPP federation records of one DNS zone through
// a libdns provider. A Zone is safe for concurrent use if its provider is;
// concurrent changes to the same RRsets are detected (ErrConflict), not
// merged.
type Zone struct {
	name         string
	provider     Provider
	providerName string
	defaultTTL   time.Duration
	log          *slog.Logger
}

// ZoneOptions are a Zone's optional settings. The zero value gives the
// defaults; NewZone refuses a bad value with an *InputError.
type ZoneOptions struct {
	// DefaultTTL is the TTL of RRsets a change creates when the desired set
	// does not give one. 0 means 300 seconds: short, so a failover reaches
	// remote servers quickly. Otherwise it is between MinTTL and MaxTTL, in
	// whole seconds.
	DefaultTTL time.Duration
	// Logger, when not nil, logs every change the Zone writes (one record
	// per correction, level Info) and every conflict (level Warn). nil: no
	// logging.
	Logger *slog.Logger
	// ProviderName names the provider in Guarantees (and so in a dry run)
	// instead of its Go package name: "cloudflare (account 2)". Empty: the
	// package name; blanks only are refused.
	ProviderName string
}

// DefaultTTL is the TTL of new RRsets when ZoneOptions.DefaultTTL is 0.
const DefaultTTL = 300 * time.Second

// check validates the options and returns them with the defaults filled in.
func (o ZoneOptions) check(p Provider) (ZoneOptions, error) {
	if o.DefaultTTL == 0 {
		o.DefaultTTL = DefaultTTL
	}
	if err := checkTTL("ZoneOptions.DefaultTTL", o.DefaultTTL); err != nil {
		return o, err
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case o.ProviderName == "":
		o.ProviderName = providerName(p)
	case strings.TrimSpace(o.ProviderName) == "":
		return o, inputErr("ZoneOptions.ProviderName", o.ProviderName, "must not be blank")
	}
	return o, nil
}

// NewZone returns a Zone for the zone name (e.g. "contoso.com", with or
// without the trailing dot) served by p, with the optional settings of opts
// (ZoneOptions{} for the defaults). It sends nothing.
func NewZone(name string, p Provider, opts ZoneOptions) (*Zone, error) {
	zn, err := parseZone(name)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, inputErr("provider", "nil", "a provider is required")
	}
	o, err := opts.check(p)
	if err != nil {
		return nil, err
	}
	return &Zone{name: zn, provider: p, providerName: o.ProviderName, defaultTTL: o.DefaultTTL, log: o.Logger}, nil
}

// Name returns the zone's absolute name in lower case.
func (z *Zone) Name() string { return z.name }

// Read returns the current RRsets of the given keys, in order, through the
// provider's RRsetGetter when it has one, else by one GetRecords call.
func (z *Zone) Read(ctx context.Context, keys ...Key) ([]RRset, error) {
	norm := make([]Key, len(keys))
	for i, k := range keys {
		n, err := z.checkKey(k)
		if err != nil {
			return nil, err
		}
		norm[i] = n
	}
	return z.read(ctx, norm)
}

func (z *Zone) read(ctx context.Context, keys []Key) ([]RRset, error) {
	out := make([]RRset, len(keys))
	if g, ok := z.provider.(RRsetGetter); ok {
		// RRsets are read concurrently, a few at a time: providers are safe
		// for concurrent use (libdns), and a plan of 50 domains should not
		// cost 50 round trips in a row.
		errs := make([]error, len(keys))
		sem := make(chan struct{}, readConcurrency)
		var wg sync.WaitGroup
		for i, k := range keys {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				recs, err := g.GetRRset(ctx, z.name, libdns.RelativeName(k.Name, z.name), k.Type)
				if err != nil {
					errs[i] = fmt.Errorf("xmppdns: reading %s %s: %w", k.Name, k.Type, err)
					return
				}
				out[i] = fromLibdns(k, recs)
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		return out, nil
	}
	all, err := z.provider.GetRecords(ctx, z.name)
	if err != nil {
		return nil, fmt.Errorf("xmppdns: reading zone %s: %w", z.name, err)
	}
	byKey := make(map[Key][]libdns.Record)
	for _, r := range all {
		rr := r.RR()
		k := Key{Name: lowerAbs(libdns.AbsoluteName(rr.Name, z.name)), Type: rr.Type}
		byKey[k] = append(byKey[k], r)
	}
	for i, k := range keys {
		out[i] = fromLibdns(k, byKey[k])
	}
	return out, nil
}

// checkKey validates a key given by a caller and returns it normalized.
func (z *Zone) checkKey(k Key) (Key, error) {
	switch k.Type {
	case "SRV", "A", "AAAA":
	default:
		return Key{}, inputErr("type", k.Type, "only SRV, A and AAAA RRsets are handled")
	}
	n, err := ownerInZone("name", k.Name, z.name)
	if err != nil {
		return Key{}, err
	}
	return Key{Name: n, Type: k.Type}, nil
}
