package dnstest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/testpeer"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

// zoneLoads are zone files that BIND (named-checkzone with named's checks
// for a primary zone: check-names fail) loads or refuses; ParseZone must
// agree, and when both load, hold the same records with the same TTLs.
var zoneLoads = []struct {
	name, text string
}{
	{"base", ""},
	{"two CNAMEs", "c IN CNAME a\nc IN CNAME b\n"},
	{"CNAME and other data", "c IN CNAME a\nc IN TXT \"x\"\n"},
	{"other data and CNAME", "c IN TXT \"x\"\nc IN CNAME a\n"},
	{"CNAME at the apex", "@ IN CNAME x.other.\n"},
	{"SOA below the apex", "sub IN SOA ns1 hostmaster 1 3600 600 86400 60\n"},
	{"second SOA", "@ IN SOA ns2 hostmaster 2 3600 600 86400 60\n"},
	{"TTLs differ in an RRset", "a IN A 192.0.2.1\na 60 IN A 192.0.2.2\n"},
	{"TTL above 2^31-1", "x 2147483648 IN A 192.0.2.5\n"},
	{"TTL of 2^31-1", "x 2147483647 IN A 192.0.2.5\n"},
	{"duplicate record", "a IN A 192.0.2.1\na IN A 192.0.2.1\n"},
	{"underscore in an A owner", "a_b IN A 192.0.2.1\n"},
	{"hyphen ending an A owner", "a-.b IN A 192.0.2.1\n"},
	{"wildcard A owner", "*.w IN A 192.0.2.1\n"},
	{"underscore in an MX target", "x IN MX 10 a_b.other.\n"},
	{"underscore in an SRV target", "_s._tcp IN SRV 0 0 1 a_b.other.\n"},
	{"underscore in an NS target", "sub IN NS a_b.other.\n"},
	{"underscore in an MX owner", "a_b IN MX 10 x.other.\n"},
	{"underscore in a TXT owner", "_x IN TXT \"y\"\n"},
	{"SRV target root", "_xmpp-server._tcp IN SRV 0 0 0 .\n"},
	{"SRV owner with service labels", "_xmpp-server._tcp IN SRV 10 0 5269 xmpp.example.test.\nxmpp IN A 192.0.2.10\n"},
	{"CNAME to an underscore name", "x IN CNAME a_b.other.\n"},
	{"NS without an address", "@ IN NS ns9\n"},
	{"class CH", "a CH TXT \"x\"\n"},
	{"NS without data", "0 IN NS \n"},
	{"A without data", "a IN A\n"},
	{"SOA without data", "@ 0 IN SOA \n"},
	{"TXT of one empty string", "t IN TXT \"\"\n"},
	{"MX to the root", "x IN MX 0 .\n"},
}

// TestParseZoneAsBIND holds ParseZone to what BIND loads.
func TestParseZoneAsBIND(t *testing.T) {
	t.Parallel()
	checkzone := testpeer.Require(t, "named-checkzone", "bind9-utils")
	const base = `$TTL 300
@   IN SOA ns1 hostmaster 1 3600 600 86400 60
@   IN NS  ns1
ns1 IN A   192.0.2.1
`
	dir := t.TempDir()
	for _, c := range zoneLoads {
		text := base + c.text
		file := filepath.Join(dir, "zone")
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		// -k fail: named's check-names for a primary zone; -D -o: write
		// the zone as loaded.
		loaded := filepath.Join(dir, "loaded")
		_ = os.Remove(loaded)
		out, err := exec.Command(checkzone, "-k", "fail", "-D", "-o", loaded, "example.test", file).CombinedOutput()
		bindLoads := err == nil
		z, zerr := dnstest.ParseZone("example.test", text)
		if bindLoads != (zerr == nil) {
			t.Errorf("%s: BIND loads: %v; ParseZone: %v\nnamed-checkzone: %s", c.name, bindLoads, zerr, out)
			continue
		}
		if !bindLoads {
			continue
		}
		dump, err := os.ReadFile(loaded)
		if err != nil {
			t.Fatal(err)
		}
		var bind []string
		zp := dns.NewZoneParser(strings.NewReader(string(dump)), "example.test.", "")
		for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
			bind = append(bind, rr.String())
		}
		var got []string
		for _, rr := range z.Records() {
			got = append(got, rr.String())
		}
		sort.Strings(bind)
		sort.Strings(got)
		if !slices.Equal(bind, got) {
			t.Errorf("%s: records differ\nBIND:\n%s\nParseZone:\n%s", c.name, strings.Join(bind, "\n"), strings.Join(got, "\n"))
		}
	}
}
