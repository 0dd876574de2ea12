// Package labfiles writes what the example programs need to talk to a
// running failovertest lab as they would to a real deployment: a config
// file for examples/failover and examples/prepare-dr, the flags of
// examples/check, the CA files, and the secrets as environment variables
// (never in the files). examples/lab writes them; the programs' tests use
// them too, so that what the lab hands an admin is what the tests run.
package labfiles

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// The environment variables the files name, as in production
// (examples/failover/config.sample.json).
const (
	PasswordEnv = "EDGEFAILOVER_WINRM_PASSWORD"
	TSIGEnv     = "EDGEFAILOVER_TSIG_SECRET"
)

// Names of the files Write puts in its directory.
const (
	FailoverFile  = "failover.json"
	PrepareDRFile = "prepare-dr.json"
	CheckFile     = "check.args" // one flag or value per line: $(cat check.args)
	EnvFile       = "env.sh"     // export lines for the secrets (mode 0600)
	WinRMCAFile   = "winrm-ca.pem"
	XMPPCAFile    = "xmpp-ca.pem"
	JournalFile   = "failover.journal"
)

// Files are the paths Write wrote and what they hold.
type Files struct {
	Dir       string
	Failover  string            // examples/failover -config
	PrepareDR string            // examples/prepare-dr -config
	Check     string            // the flags of examples/check, one a line
	CheckArgs []string          // the same flags
	Env       map[string]string // the secrets, by environment variable
	EnvFile   string            // Env as export lines
	Journal   string            // where failover -apply journals
}

// Failover returns the examples/failover config (as JSON-ready maps) that
// reaches the lab of e over HTTPS, verified with the deployment's CA at
// winrmCA, with NTLM (what a default host accepts for the lab's domain
// account); the probe checks certificates
// against xmppCA. journal is the journal path.
func Failover(e failovertest.Endpoints, winrmCA, xmppCA, journal string) map[string]any {
	winrm := func(host string) map[string]any {
		return map[string]any{"host": host, "ca_file": winrmCA, "auth": "ntlm", "addresses": e.TLSHosts}
	}
	var domains []any
	for _, d := range e.Domains {
		domains = append(domains, map[string]any{"name": d.Name, "zone": d.Zone, "provider": "lab"})
	}
	return map[string]any{
		"management":      winrm(failovertest.ManagementHost),
		"edge_servers":    winrm("{fqdn}"),
		"credentials":     map[string]any{"username": e.Username, "password_env": PasswordEnv},
		"site":            failovertest.TargetSite,
		"target_pool":     failovertest.TargetPool,
		"replaced_pool":   failovertest.SourcePool,
		"replaced_site":   failovertest.SourceSite,
		"dns_providers":   map[string]any{"lab": provider(e)},
		"domains":         domains,
		"federation_host": failovertest.FederationHost,
		"timeouts":        map[string]any{"poll": "5ms", "converge": "10s", "probe": "5s", "replication": "10s", "stop": "10s", "start": "10s"},
		"verify": map[string]any{
			"resolvers": e.Resolvers, "nameservers": e.Nameservers,
			"probe_ca_file": xmppCA, "probe_connect": connect(e),
		},
		"journal": journal,
	}
}

// PrepareDR returns the examples/prepare-dr config: the prioritized SRV
// set (target pool first) for every SIP domain of the lab.
func PrepareDR(e failovertest.Endpoints) map[string]any {
	var domains []any
	for _, d := range e.Domains {
		domains = append(domains, map[string]any{"name": d.Name, "zone": d.Zone, "provider": "lab"})
	}
	var targets []string
	for _, p := range e.Pools {
		targets = append(targets, p.AccessEdge)
	}
	slices.Reverse(targets) // the target pool (the second) first
	return map[string]any{
		"dns_providers": map[string]any{"lab": provider(e)},
		"domains":       domains,
		"targets":       targets,
		"ttl":           "5m",
	}
}

// CheckArgs returns the flags of examples/check for the lab of e: the
// remote view through the lab's name servers and listeners, and the
// management checks that federation runs on the target pool.
func CheckArgs(e failovertest.Endpoints, winrmCA, xmppCA string) []string {
	var doms, ns, conn []string
	for _, d := range e.Domains {
		doms = append(doms, d.Name)
	}
	for _, h := range sortedKeys(e.Nameservers) {
		ns = append(ns, h+"="+e.Nameservers[h])
	}
	c := connect(e)
	for _, k := range sortedKeys(c) {
		conn = append(conn, k+"="+c[k])
	}
	return []string{
		"-domains", strings.Join(doms, ","),
		"-resolvers", strings.Join(e.Resolvers, ","),
		"-ns", strings.Join(ns, ","),
		"-connect", strings.Join(conn, ","),
		"-ca-file", xmppCA,
		"-mgmt", failovertest.ManagementHost,
		"-mgmt-address", e.TLSHosts[failovertest.ManagementHost],
		"-mgmt-ca-file", winrmCA,
		"-user", e.Username,
		"-password-env", PasswordEnv,
		"-site", failovertest.TargetSite,
		"-expect-pool", failovertest.TargetPool,
	}
}

// Env returns the secrets of e by environment variable.
func Env(e failovertest.Endpoints) map[string]string {
	return map[string]string{PasswordEnv: e.Password, TSIGEnv: e.DNS.Secret}
}

// Write writes every file into dir (created if need be) and returns them.
// It removes the journal of an earlier lab (and its lock): it recorded an
// apply against a deployment that no longer exists.
func Write(dir string, e failovertest.Endpoints) (*Files, error) {
	if len(e.TLSHosts) == 0 || e.WinRMCA == "" {
		return nil, fmt.Errorf("labfiles: the endpoints have no HTTPS hosts or CA")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	p := func(name string) string { return filepath.Join(abs, name) }
	f := &Files{Dir: abs, Failover: p(FailoverFile), PrepareDR: p(PrepareDRFile), Check: p(CheckFile),
		EnvFile: p(EnvFile), Journal: p(JournalFile), Env: Env(e)}
	f.CheckArgs = CheckArgs(e, p(WinRMCAFile), p(XMPPCAFile))
	for _, old := range []string{f.Journal, f.Journal + ".lock", f.Journal + ".failback", f.Journal + ".failback.lock"} {
		if err := os.Remove(old); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	var env strings.Builder
	for _, k := range sortedKeys(f.Env) {
		fmt.Fprintf(&env, "export %s='%s'\n", k, f.Env[k]) // base64 and lab passwords hold no quote
	}
	files := []struct {
		path string
		data any
	}{
		{p(WinRMCAFile), e.WinRMCA},
		{p(XMPPCAFile), e.CA},
		{f.Failover, Failover(e, p(WinRMCAFile), p(XMPPCAFile), f.Journal)},
		{f.PrepareDR, PrepareDR(e)},
		{f.Check, strings.Join(f.CheckArgs, "\n") + "\n"},
		{f.EnvFile, env.String()},
	}
	for _, w := range files {
		var b []byte
		switch v := w.data.(type) {
		case string:
			b = []byte(v)
		default:
			if b, err = json.MarshalIndent(v, "", "  "); err != nil {
				return nil, err
			}
			b = append(b, '\n')
		}
		if err := os.WriteFile(w.path, b, 0o600); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func provider(e failovertest.Endpoints) map[string]any {
	return map[string]any{"type": "rfc2136", "server": e.DNS.Server, "key_name": e.DNS.KeyName,
		"algorithm": e.DNS.Algorithm, "secret_env": TSIGEnv}
}

// connect maps each pool's external address on 5269 to its listener.
func connect(e failovertest.Endpoints) map[string]string {
	m := map[string]string{}
	for _, p := range e.Pools {
		m[p.ExternalIP.String()+":5269"] = p.Listener
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
