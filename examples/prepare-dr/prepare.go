package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// run is the program as a function, so tests call it directly. Secrets come
// from the process environment.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runEnv(ctx, args, stdout, stderr, setup.Env(lookupEnv))
}

func runEnv(ctx context.Context, args []string, stdout, stderr io.Writer, env setup.Env) int {
	o, code := parseFlags(args, stderr)
	if o == nil {
		return code
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	con := setup.NewConsole(nil, stderr, env)
	reg := providers()
	provs := map[string]xmppdns.Provider{}
	popts := map[string]xmppdns.ZoneOptions{}
	for _, name := range slices.Sorted(maps.Keys(o.cfg.DNSProviders)) {
		p, zo, err := o.cfg.DNSProviders[name].Provider(ctx, con, reg)
		if err != nil {
			fmt.Fprintf(stderr, "prepare-dr: bad input: dns_providers.%s: %v\nnothing was sent.\n", name, err)
			return exitBadInput
		}
		provs[name], popts[name] = p, zo
	}
	zones := map[string]*xmppdns.Zone{} // by provider and zone
	desired := map[string][]xmppdns.Desired{}
	var order []string
	zoneOf := func(provider, name string) (*xmppdns.Zone, string, error) {
		key := provider + " " + name
		if z := zones[key]; z != nil {
			return z, key, nil
		}
		z, err := xmppdns.NewZone(name, provs[provider], popts[provider])
		if err != nil {
			return nil, "", err
		}
		zones[key] = z
		order = append(order, key)
		return z, key, nil
	}
	add := func(provider, zone string, d xmppdns.Desired) error {
		_, key, err := zoneOf(provider, zone)
		if err != nil {
			return err
		}
		desired[key] = append(desired[key], d)
		return nil
	}
	ttl := time.Duration(o.cfg.TTL)
	var records []xmppdns.SRV
	if len(o.cfg.Targets) > 0 {
		var err error
		if records, err = xmppdns.Prioritized(o.cfg.Targets...); err != nil {
			fmt.Fprintf(stderr, "prepare-dr: bad input: %v\nnothing was sent.\n", err)
			return exitBadInput
		}
	}
	for _, d := range o.cfg.Domains {
		recs := records
		if recs == nil { // -ttl only: keep the records, change the TTL
			z, _, err := zoneOf(d.Provider, d.Zone)
			if err != nil {
				return fail(stderr, exitBadInput, err)
			}
			set, err := z.GetSRV(ctx, d.Name)
			if err != nil {
				return fail(stderr, exitFailed, err)
			}
			if len(set.Records) == 0 {
				fmt.Fprintf(stderr, "prepare-dr: %s has no SRV set; left alone\n", d.Name)
				continue
			}
			recs = set.Records
		}
		if err := add(d.Provider, d.Zone, xmppdns.SRVSet{Domain: d.Name, TTL: ttl, Records: recs}); err != nil {
			return fail(stderr, exitBadInput, err)
		}
	}
	for _, h := range o.cfg.Hosts {
		zone, prov := "", ""
		for _, d := range o.cfg.Domains {
			if xmppdns.InZone(h, d.Zone) && len(d.Zone) > len(zone) {
				zone, prov = d.Zone, d.Provider
			}
		}
		if zone == "" {
			return fail(stderr, exitBadInput, fmt.Errorf("host %s lies in none of the zones given", h))
		}
		z, _, err := zoneOf(prov, zone)
		if err != nil {
			return fail(stderr, exitBadInput, err)
		}
		set, err := z.GetAddrs(ctx, h)
		if err != nil {
			return fail(stderr, exitFailed, err)
		}
		if len(set.IPs) == 0 {
			return fail(stderr, exitFailed, fmt.Errorf("host %s has no A or AAAA record", h))
		}
		if err := add(prov, zone, xmppdns.AddrSet{Host: h, TTL: ttl, IPs: set.IPs}); err != nil {
			return fail(stderr, exitBadInput, err)
		}
	}

	var changes []*xmppdns.Change
	for _, key := range order {
		ch, err := zones[key].Plan(ctx, desired[key]...)
		if err != nil {
			code := exitFailed
			if errors.Is(err, xmppdns.ErrInvalidInput) {
				code = exitBadInput
			}
			return fail(stderr, code, err)
		}
		changes = append(changes, ch)
	}
	if !o.json {
		for i, ch := range changes {
			fmt.Fprint(stdout, ch)
			if !strings.HasSuffix(ch.String(), "\n") {
				fmt.Fprintln(stdout)
			}
			prov, zone, _ := strings.Cut(order[i], " ")
			fmt.Fprintf(stdout, "  %s (dns_providers.%s) %s\n", zone, prov, zones[order[i]].Guarantees())
		}
	}
	if o.apply {
		for i, ch := range changes {
			if ch.Empty() {
				continue
			}
			if err := zones[order[i]].Apply(ctx, ch); err != nil {
				_, zone, _ := strings.Cut(order[i], " ")
				return fail(stderr, exitFailed, fmt.Errorf("zone %s: %w (zones before it were written)", zone, err))
			}
		}
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"applied": o.apply, "changes": changes}); err != nil {
			return fail(stderr, exitFailed, err)
		}
		return exitOK
	}
	switch {
	case o.apply:
		fmt.Fprintln(stdout, "applied and read back.")
	default:
		fmt.Fprintln(stdout, "dry run: nothing was written. Write it with -apply.")
	}
	return exitOK
}

func fail(stderr io.Writer, code int, err error) int {
	if code == exitBadInput {
		fmt.Fprintf(stderr, "prepare-dr: bad input: %v\n", err)
	} else {
		fmt.Fprintf(stderr, "prepare-dr: %v\n", err)
	}
	return code
}
