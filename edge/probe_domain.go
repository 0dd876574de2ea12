package edge

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// Resolver resolves an XMPP domain to the host:port candidates a remote
// server would try, in the order it would try them (RFC 6120 §3.2). It must
// honour ctx and be safe for concurrent use. *xmppdns.Resolver implements it;
// tests may inject candidates.
type Resolver interface {
	Candidates(ctx context.Context, domain string) ([]xmppdns.Candidate, error)
}

var _ Resolver = (*xmppdns.Resolver)(nil)

// MaxCandidates is the most candidates ProbeDomain probes; more are reported
// in DomainResult.Candidates but not probed.
const MaxCandidates = 32

// DomainResult is what ProbeDomain saw.
type DomainResult struct {
	Domain string
	// Candidates are the resolver's answer, in order.
	Candidates []xmppdns.Candidate
	// ResolveError is why resolution failed; nil when it succeeded. A domain
	// that publishes the SRV target "." gives xmppdns.ErrServiceNotAvailable.
	ResolveError error
	// Attempts are the candidates probed, in order, up to the first that
	// answered.
	Attempts []Attempt
	// Answered is the index in Attempts of the candidate that answered with
	// an XMPP stream header (possibly followed by a stream error, which a
	// remote server would not get past either); -1 if none did.
	Answered int
}

// Attempt is the probe of one candidate.
type Attempt struct {
	Candidate xmppdns.Candidate
	Addr      string       // host:port probed
	Result    *ProbeResult // nil when Err is set
	Err       error        // an *InputError for a candidate that is not a valid address
}

// Answer returns the attempt that answered, or nil.
func (r *DomainResult) Answer() *Attempt {
	if r == nil || r.Answered < 0 || r.Answered >= len(r.Attempts) {
		return nil
	}
	return &r.Attempts[r.Answered]
}

// ProbeDomain resolves domain with r as a remote XMPP server would and probes
// the candidates in order with cfg (cfg.To is set to domain), moving on to the
// next while a candidate does not answer with a stream header (refused,
// unreachable, silent, not XMPP), as a remote server moves on while it cannot
// connect. It stops at the first candidate that answers. Resolution failures
// and unanswered candidates are data in the result; the error is non-nil only
// for invalid input (*InputError) or when ctx ends, with the result so far.
func ProbeDomain(ctx context.Context, r Resolver, domain string, cfg ProbeConfig) (*DomainResult, error) {
	d, err := dnsname.ParseFQDN(domain)
	if err != nil {
		return nil, inputError("domain", domain, err)
	}
	if r == nil {
		return nil, inputError("resolver", "<nil>", errors.New("a Resolver is required"))
	}
	cfg.To = d
	if _, err := cfg.normalized(); err != nil {
		return nil, err
	}
	res := &DomainResult{Domain: d, Answered: -1}
	cands, err := r.Candidates(ctx, d)
	if err != nil {
		if cerr := ctxDone(ctx); cerr != nil {
			return res, fmt.Errorf("edge: resolve %s: %w", d, cerr)
		}
		res.ResolveError = err
		return res, nil
	}
	res.Candidates = cands
	for i, c := range cands {
		if i == MaxCandidates {
			break
		}
		a := Attempt{Candidate: c, Addr: net.JoinHostPort(c.Host, strconv.Itoa(int(c.Port)))}
		a.Result, a.Err = Probe(ctx, a.Addr, cfg)
		if a.Err != nil && !errors.Is(a.Err, ErrInvalidInput) {
			if a.Result != nil {
				res.Attempts = append(res.Attempts, a)
			}
			return res, a.Err
		}
		res.Attempts = append(res.Attempts, a)
		if a.Result != nil && a.Result.Stream != nil {
			res.Answered = len(res.Attempts) - 1
			break
		}
	}
	return res, nil
}
