package dnsname

import (
	"errors"
	"fmt"
	"strings"
)

// MaxLength is the longest name accepted, in octets, without the trailing dot.
const MaxLength = 253

// MaxLabel is the longest label accepted, in octets.
const MaxLabel = 63

// ErrInvalid is matched (errors.Is) by every *Error.
var ErrInvalid = errors.New("invalid DNS name")

// Error reports why a name was refused. Name is the input, cut to a bounded
// excerpt so that a hostile input cannot flood a log.
type Error struct {
	Name   string // the input (at most 80 bytes of it, quoted with %q when printed)
	Reason string // what is wrong, e.g. "label 2 is longer than 63 octets"
}

func (e *Error) Error() string {
	return fmt.Sprintf("invalid DNS name %q: %s", excerpt(e.Name), e.Reason)
}

// Is reports whether target is ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

func excerpt(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

func invalid(name, format string, args ...any) error {
	return &Error{Name: name, Reason: fmt.Sprintf(format, args...)}
}

// ParseFQDN checks that s is a fully qualified host name of at least two
// labels (e.g. "edge01.contoso.com", with or without the trailing dot) made of
// letters, digits and hyphens, and returns it in lower case without the
// trailing dot. Single-label names, IP literals, wildcards, service labels and
// empty labels are refused.
func ParseFQDN(s string) (string, error) {
	name, err := parse(s, false)
	if err != nil {
		return "", err
	}
	if !strings.Contains(name, ".") {
		return "", invalid(s, "a fully qualified name needs at least two labels")
	}
	if isAllNumericTLD(name) {
		return "", invalid(s, "the last label is numeric (an IP address is not a host name)")
	}
	return name, nil
}

// ParseOwner checks that s is a DNS owner name that may also carry leading
// service labels starting with an underscore (e.g. "_xmpp-server._tcp.contoso.com")
// and returns it in lower case without the trailing dot. The root name "." is
// refused.
func ParseOwner(s string) (string, error) {
	return parse(s, true)
}

// ParseLabel checks one LDH label (no dots) and returns it in lower case.
func ParseLabel(s string) (string, error) {
	if err := checkLabel(s, s, 1, false); err != nil {
		return "", err
	}
	return strings.ToLower(s), nil
}

// Equal reports whether a and b name the same node: case-insensitively and
// ignoring one trailing dot on either side.
func Equal(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// IsSubdomain reports whether name equals zone or lies below it. Both are
// compared as by Equal; neither is validated.
func IsSubdomain(name, zone string) bool {
	n := strings.ToLower(strings.TrimSuffix(name, "."))
	z := strings.ToLower(strings.TrimSuffix(zone, "."))
	if z == "" {
		return true
	}
	return n == z || strings.HasSuffix(n, "."+z)
}

// Absolute returns name with exactly one trailing dot.
func Absolute(name string) string {
	return strings.TrimSuffix(name, ".") + "."
}

func parse(s string, allowService bool) (string, error) {
	if s == "" {
		return "", invalid(s, "empty")
	}
	name := strings.TrimSuffix(s, ".")
	if name == "" {
		return "", invalid(s, "the root name is not allowed here")
	}
	if len(name) > MaxLength {
		return "", invalid(s, "%d octets is longer than %d", len(name), MaxLength)
	}
	labels := strings.Split(name, ".")
	serviceZone := allowService
	for i, l := range labels {
		svc := serviceZone && strings.HasPrefix(l, "_")
		if !svc {
			serviceZone = false
		}
		if err := checkLabel(s, l, i+1, svc); err != nil {
			return "", err
		}
	}
	return strings.ToLower(name), nil
}

func checkLabel(input, l string, n int, service bool) error {
	if l == "" {
		return invalid(input, "label %d is empty", n)
	}
	if len(l) > MaxLabel {
		return invalid(input, "label %d is %d octets, longer than %d", n, len(l), MaxLabel)
	}
	body := l
	if service {
		body = l[1:]
		if body == "" {
			return invalid(input, "label %d is an underscore alone", n)
		}
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-':
			if i == 0 || i == len(body)-1 {
				return invalid(input, "label %d starts or ends with a hyphen", n)
			}
		default:
			return invalid(input, "label %d has the character %q; only letters, digits and inner hyphens are allowed", n, body[i:i+1])
		}
	}
	return nil
}

func isAllNumericTLD(name string) bool {
	tld := name[strings.LastIndexByte(name, '.')+1:]
	for i := 0; i < len(tld); i++ {
		if tld[i] < '0' || tld[i] > '9' {
			return false
		}
	}
	return true
}
