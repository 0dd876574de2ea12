package checkcmd

import (
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/examples/internal/labfiles"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// Every bad input is exit 2 with nothing sent to the lab: no WS-Man
// request, no DNS message, no listener connection. A typo must not page
// anyone at night.
func TestBadInputTableSendsNoPacket(t *testing.T) {
	t.Parallel()
	lab, files := labfiles.Start(t, failovertest.Options{ServersPerPool: 1})
	set := func(args []string, flag, v string) []string {
		out := append([]string(nil), args...)
		for i, a := range out {
			if a == flag {
				out[i+1] = v
				return out
			}
		}
		return append(out, flag, v)
	}
	base := files.CheckArgs
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"resolver not an IP", set(base, "-resolvers", "notanip"), nil, "-resolvers"},
		{"resolver without a port", set(base, "-resolvers", "127.0.0.1"), nil, "-resolvers"},
		{"resolver port 0", set(base, "-resolvers", "127.0.0.1:0"), nil, "-resolvers"},
		{"NS override not an address", set(base, "-ns", "ns1.contoso.com=foo"), nil, "-ns"},
		{"NS override with a bad name", set(base, "-ns", "ns 1=127.0.0.1:53"), nil, "-ns"},
		{"connect override not ip:port", set(base, "-connect", "x=y"), nil, "-connect"},
		{"mgmt address not ip:port", set(base, "-mgmt-address", "fe01"), nil, "-mgmt-address"},
		{"mgmt CA file missing", set(base, "-mgmt-ca-file", "/nonexistent.pem"), nil, "-mgmt-ca-file"},
		{"mgmt kerberos without realm", set(base, "-mgmt-auth", "kerberos"), nil, "kerberos"},
		{"no password", base, map[string]string{}, labfiles.PasswordEnv},
		{"zero timeout", set(base, "-timeout", "0s"), nil, "-timeout"},
		{"bad domain", set(base, "-domains", "contoso com"), nil, "-domains"},
	} {
		env := tc.env
		if env == nil {
			env = files.Env
		}
		labfiles.Refused(t, lab, tc.name, tc.want, func() (int, string) {
			code, out, errs := runCheck(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, tc.args...)
			if !strings.Contains(errs, "nothing was sent") {
				t.Errorf("%s: the error does not say nothing was sent:\n%s", tc.name, errs)
			}
			return code, out + errs
		})
	}
}
