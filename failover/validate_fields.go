package failover

import (
	"crypto/tls"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"time"

	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// checkTTL refuses a TTL that DNS cannot carry: negative, not whole
// seconds, or over MaxTTL.
func checkTTL(field string, d time.Duration) error {
	switch {
	case d < 0:
		return configErr(field, "negative TTL", nil)
	case d%time.Second != 0:
		return configErr(field, "a TTL is whole seconds", nil)
	case d > MaxTTL:
		return configErr(field, "over 2^31-1 seconds (RFC 2181)", nil)
	}
	return nil
}

// checkAddrs refuses addresses no federation host can have, and duplicates.
func checkAddrs(name string, addrs []netip.Addr) error {
	for i, a := range addrs {
		field := fmt.Sprintf("%s[%d]", name, i)
		switch {
		case !a.IsValid() || a.IsUnspecified():
			return configErr(field, "not a usable address", nil)
		case a.Zone() != "":
			return configErr(field, "an address with a zone cannot be published", nil)
		case a.IsMulticast():
			return configErr(field, "a multicast address", nil)
		case slices.Contains(addrs[:i], a):
			return configErr(field, "listed twice", nil)
		}
	}
	return nil
}

// checkTimeouts refuses negative timeouts (zero takes the default).
func (t Timeouts) check() error {
	v := reflect.ValueOf(t)
	for i := range v.NumField() {
		if d := v.Field(i).Interface().(time.Duration); d < 0 {
			return configErr("Timeouts."+v.Type().Field(i).Name, "negative", nil)
		}
	}
	return nil
}

// checkHostPort accepts ip:port with a port from 1 to 65535.
func checkHostPort(field, s string) error {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return configErr(field, "not ip:port", err)
	}
	if ap.Port() == 0 {
		return configErr(field, "port 0", nil)
	}
	return nil
}

// normalize checks Verify and returns it with defaults.
func (v Verify) normalize() (Verify, error) {
	if a := v.Authoritative; a != nil {
		for i, r := range a.Resolvers {
			if err := checkHostPort(fmt.Sprintf("Verify.Authoritative.Resolvers[%d]", i), r); err != nil {
				return v, err
			}
		}
		for host, addr := range a.Addrs {
			if _, err := dnsname.ParseFQDN(host); err != nil {
				return v, configErr("Verify.Authoritative.Addrs", "key is not a name server host name", err)
			}
			if err := checkHostPort("Verify.Authoritative.Addrs["+host+"]", addr); err != nil {
				return v, err
			}
		}
		if a.Timeout < 0 {
			return v, configErr("Verify.Authoritative.Timeout", "negative", nil)
		}
	}
	if r, ok := v.Resolver.(*xmppdns.Resolver); ok {
		if r == nil {
			return v, configErr("Verify.Resolver", "a nil *xmppdns.Resolver", nil)
		}
		if len(r.Servers) == 0 {
			return v, configErr("Verify.Resolver.Servers", "at least one resolver is required", nil)
		}
		for i, s := range r.Servers {
			if err := checkHostPort(fmt.Sprintf("Verify.Resolver.Servers[%d]", i), s); err != nil {
				return v, err
			}
		}
		if r.Timeout < 0 {
			return v, configErr("Verify.Resolver.Timeout", "negative", nil)
		}
	} else if v.Resolver != nil && reflect.ValueOf(v.Resolver).Kind() == reflect.Pointer && reflect.ValueOf(v.Resolver).IsNil() {
		return v, configErr("Verify.Resolver", "a nil pointer", nil)
	}
	if v.ProbeFrom == "" {
		v.ProbeFrom = "edgefailover.invalid"
	}
	var err error
	if v.ProbeFrom, err = dnsname.ParseFQDN(v.ProbeFrom); err != nil {
		return v, configErr("Verify.ProbeFrom", "not a valid domain", err)
	}
	if t := v.ProbeTLS; t != nil {
		if t.ServerName != "" {
			return v, configErr("Verify.ProbeTLS", "ServerName must be empty: the probe names each SIP domain", nil)
		}
		if t.MaxVersion != 0 && t.MinVersion > t.MaxVersion {
			return v, configErr("Verify.ProbeTLS", "MinVersion above MaxVersion", nil)
		}
		if t.MaxVersion != 0 && t.MaxVersion < tls.VersionTLS10 {
			return v, configErr("Verify.ProbeTLS", "MaxVersion below TLS 1.0", nil)
		}
	}
	switch {
	case v.IMReceiver == "" && (v.IMPool != "" || v.IMSender != ""):
		return v, configErr("Verify.IMReceiver", "IMPool and IMSender need an IMReceiver", nil)
	case v.IMReceiver != "":
		if err := lync.ParseXmppUser(v.IMReceiver); err != nil {
			return v, configErr("Verify.IMReceiver", "not an XMPP user (user@domain)", err)
		}
		if v.IMPool, err = dnsname.ParseFQDN(v.IMPool); err != nil {
			return v, configErr("Verify.IMPool", "the Front End pool FQDN is required with IMReceiver", err)
		}
		if v.IMSender != "" {
			if err := lync.ParseSipAddress(v.IMSender); err != nil {
				return v, configErr("Verify.IMSender", "not a SIP address (sip:user@domain)", err)
			}
		}
	}
	return v, nil
}
