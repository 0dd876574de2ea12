package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/internal/dnsname"
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
	con := setup.NewConsole(nil, stderr, env)
	prov, err := o.cfg.DNS.Provider(ctx, con)
	if err != nil {
		fmt.Fprintf(stderr, "prepare-dr: bad input: %v\nnothing was sent.\n", err)
		return exitBadInput
	}
	zones := map[string]*xmppdns.Zone{}
	desired := map[string][]xmppdns.Desired{}
	var order []string
	add := func(zone string, d xmppdns.Desired) error {
		if zones[zone] == nil {
			z, err := xmppdns.NewZone(zone, prov)
			if err != nil {
				return err
			}
			zones[zone] = z
			order = append(order, zone)
		}
		desired[zone] = append(desired[zone], d)
		return nil
	}
	ttl := time.Duration(o.cfg.TTL)
	var records []xmppdns.SRV
	if len(o.cfg.Targets) > 0 {
		var abs []string
		for _, t := range o.cfg.Targets {
			abs = append(abs, dnsname.Absolute(t))
		}
		if records, err = xmppdns.Prioritized(abs...); err != nil {
			fmt.Fprintf(stderr, "prepare-dr: bad input: %v\nnothing was sent.\n", err)
			return exitBadInput
		}
	}
	for _, d := range o.cfg.Domains {
		recs := records
		if recs == nil { // -ttl only: keep the records, change the TTL
			z, err := zoneOf(zones, prov, d.Zone)
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
		if err := add(d.Zone, xmppdns.SRVSet{Domain: d.Name, TTL: ttl, Records: recs}); err != nil {
			return fail(stderr, exitBadInput, err)
		}
	}
	for _, h := range o.cfg.Hosts {
		zone := ""
		for _, d := range o.cfg.Domains {
			if dnsname.IsSubdomain(h, d.Zone) && len(d.Zone) > len(zone) {
				zone = d.Zone
			}
		}
		if zone == "" {
			return fail(stderr, exitBadInput, fmt.Errorf("host %s lies in none of the zones given", h))
		}
		z, err := zoneOf(zones, prov, zone)
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
		if err := add(zone, xmppdns.AddrSet{Host: h, TTL: ttl, IPs: set.IPs}); err != nil {
			return fail(stderr, exitBadInput, err)
		}
	}

	var changes []*xmppdns.Change
	for _, zone := range order {
		ch, err := zones[zone].Plan(ctx, desired[zone]...)
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
		for _, ch := range changes {
			fmt.Fprint(stdout, ch)
			if !strings.HasSuffix(ch.String(), "\n") {
				fmt.Fprintln(stdout)
			}
		}
	}
	if o.apply {
		for i, ch := range changes {
			if ch.Empty() {
				continue
			}
			if err := zones[order[i]].Apply(ctx, ch); err != nil {
				return fail(stderr, exitFailed, fmt.Errorf("zone %s: %w (zones before it were written)", order[i], err))
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

func zoneOf(zones map[string]*xmppdns.Zone, p xmppdns.Provider, name string) (*xmppdns.Zone, error) {
	if z := zones[name]; z != nil {
		return z, nil
	}
	return xmppdns.NewZone(name, p)
}

func fail(stderr io.Writer, code int, err error) int {
	if code == exitBadInput {
		fmt.Fprintf(stderr, "prepare-dr: bad input: %v\n", err)
	} else {
		fmt.Fprintf(stderr, "prepare-dr: %v\n", err)
	}
	return code
}
