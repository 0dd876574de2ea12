package lync

import (
	"strings"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// Limits of the values the client accepts.
const (
	maxSiteName    = 64
	maxServiceName = 32
)

// ParseSiteName checks a Lync site name and returns it without the optional
// "Site:" prefix (any case). A site name is 1 to 64 characters of ASCII
// letters, digits, '-', '_', '.' and single spaces, starting and ending with
// a letter or digit. The rule is stricter than Topology Builder so that no
// value ever needs more than plain quoting; quote characters, '$', '`', ';',
// control characters and non-ASCII letters are refused.
func ParseSiteName(s string) (string, error) {
	name := s
	if len(name) >= 5 && strings.EqualFold(name[:5], "site:") {
		name = name[5:]
	}
	if name == "" || len(name) > maxSiteName {
		return "", inputError("site", s, "length must be 1 to 64 characters", nil)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		edge := i == 0 || i == len(name)-1
		switch {
		case isAlnum(c):
		case c == '-' || c == '_' || c == '.':
			if edge {
				return "", inputError("site", s, "must start and end with a letter or digit", nil)
			}
		case c == ' ':
			if edge || name[i-1] == ' ' {
				return "", inputError("site", s, "spaces only single and inside", nil)
			}
		default:
			return "", inputError("site", s, "only ASCII letters, digits, '-', '_', '.' and spaces are allowed", nil)
		}
	}
	return name, nil
}

// ParseServiceName checks the short name of a Lync Windows service, e.g.
// "RTCSRV" or "REPLICA": 1 to 32 upper-case ASCII letters and digits,
// starting with a letter. Lower-case input is upper-cased.
func ParseServiceName(s string) (string, error) {
	name := strings.ToUpper(s)
	if name == "" || len(name) > maxServiceName {
		return "", inputError("service", s, "length must be 1 to 32 characters", nil)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return "", inputError("service", s, "only ASCII letters and digits, starting with a letter", nil)
		}
	}
	return name, nil
}

// parseFQDN checks a host or pool name with internal/dnsname.
func parseFQDN(field, s string) (string, error) {
	name, err := dnsname.ParseFQDN(s)
	if err != nil {
		return "", inputError(field, s, "not a fully qualified host name", err)
	}
	return name, nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// bareSite strips a "Site:" prefix (any case) from an identity.
func bareSite(identity string) string {
	if len(identity) >= 5 && strings.EqualFold(identity[:5], "site:") {
		return identity[5:]
	}
	return identity
}
