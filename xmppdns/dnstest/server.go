package dnstest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Config describes one nameserver.
type Config struct {
	// Zones served by this server. A Zone may be shared by several servers.
	Zones []*Zone
	// Keys are the TSIG keys allowed to update every zone (and to transfer it).
	// With no keys, every UPDATE is answered REFUSED.
	Keys []Key
	// Secondary makes the server a secondary: it serves each zone as it was
	// Lag ago and answers UPDATE with REFUSED, like a BIND secondary without
	// update forwarding.
	Secondary bool
	// Lag is how far behind the zone a secondary is; 0 means in step. It is
	// ignored for a primary; StartCluster gives it to every secondary.
	Lag time.Duration
}

// Server is an authoritative nameserver on 127.0.0.1 answering over UDP and
// TCP on the same port. It answers queries with AA set, NXDOMAIN or NODATA
// with the SOA in the authority section, truncates UDP answers larger than the
// client's buffer, applies signed RFC 2136 updates atomically, and logs every
// message it receives. It is safe for concurrent use.
type Server struct {
	// Addr is the "127.0.0.1:port" address, the same for UDP and TCP.
	Addr string

	zones     []*Zone
	keys      map[string]Key // by canonical name
	firstKey  Key            // Config.Keys[0] as given
	secondary bool

	udp, tcp *dns.Server
	served   sync.WaitGroup // the two serve loops

	mu       sync.Mutex
	lag      time.Duration
	faults   []*Fault
	log      []Entry
	closed   bool
	inflight sync.WaitGroup // handlers running
}

// Start starts a server for cfg and returns once it listens. Call Close when
// done.
func Start(cfg Config) (*Server, error) {
	s := &Server{zones: cfg.Zones, keys: map[string]Key{}, secondary: cfg.Secondary, lag: cfg.Lag}
	secrets := map[string]string{}
	for _, k := range cfg.Keys {
		if err := k.check(); err != nil {
			return nil, err
		}
		n := dns.CanonicalName(k.Name)
		k.Name, k.Algorithm = n, dns.CanonicalName(k.Algorithm) // names in TSIG records must be absolute
		s.keys[n] = k
		secrets[n] = k.Secret
	}
	if len(cfg.Keys) > 0 {
		s.firstKey = cfg.Keys[0]
	}
	seen := map[string]bool{}
	for _, z := range cfg.Zones {
		if z == nil || seen[z.origin] {
			return nil, errors.New("dnstest: nil or duplicate zone in Config.Zones")
		}
		seen[z.origin] = true
	}
	pc, ln, err := listenPair()
	if err != nil {
		return nil, err
	}
	s.Addr = pc.LocalAddr().String()
	accept := func(dns.Header) dns.MsgAcceptAction { return dns.MsgAccept }
	h := dns.HandlerFunc(s.serveDNS)
	s.udp = &dns.Server{PacketConn: pc, Handler: h, MsgAcceptFunc: accept, TsigSecret: secrets, UDPSize: dns.MaxMsgSize}
	s.tcp = &dns.Server{Listener: ln, Handler: h, MsgAcceptFunc: accept, TsigSecret: secrets}
	for _, srv := range []*dns.Server{s.udp, s.tcp} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		s.served.Add(1)
		go func() {
			defer s.served.Done()
			_ = srv.ActivateAndServe() // returns when Close shuts the server down
		}()
		<-started
	}
	return s, nil
}

// listenPair binds UDP and TCP on the same free loopback port.
func listenPair() (net.PacketConn, net.Listener, error) {
	var last error
	for range 50 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, fmt.Errorf("dnstest: listen udp: %w", err)
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		last = err
		pc.Close()
	}
	return nil, nil, fmt.Errorf("dnstest: no loopback port free for both UDP and TCP: %w", last)
}

// SetLag changes how far a secondary lags behind its zones (0: in step).
func (s *Server) SetLag(d time.Duration) {
	s.mu.Lock()
	s.lag = d
	s.mu.Unlock()
}

// Secondary reports whether the server is a secondary.
func (s *Server) Secondary() bool { return s.secondary }

// Close stops the server and waits until its listeners and running handlers
// have finished. It may be called more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := errors.Join(s.udp.ShutdownContext(ctx), s.tcp.ShutdownContext(ctx))
	s.served.Wait()
	s.inflight.Wait()
	return err
}

// begin registers a running handler; it reports false after Close.
func (s *Server) begin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.inflight.Add(1)
	return true
}

// zoneFor returns the served zone that is the closest enclosing zone of name.
func (s *Server) zoneFor(name string) *Zone {
	var best *Zone
	for _, z := range s.zones {
		if dns.IsSubDomain(z.origin, name) && (best == nil || len(z.origin) > len(best.origin)) {
			best = z
		}
	}
	return best
}

// view returns the version of z this server serves now.
func (s *Server) view(z *Zone) *version {
	s.mu.Lock()
	lag := s.lag
	s.mu.Unlock()
	if !s.secondary {
		lag = 0
	}
	return z.view(lag)
}

// Serial returns the SOA serial of z as this server serves it now (a lagging
// secondary may serve an older one).
func (s *Server) Serial(z *Zone) uint32 { return s.view(z).serial }

// SyncTime returns when this server starts (or started) serving the current
// version of z: the time of z's last change plus the server's lag. A test
// that measures convergence compares its detection time with this one.
func (s *Server) SyncTime(z *Zone) time.Time {
	s.mu.Lock()
	lag := s.lag
	s.mu.Unlock()
	if !s.secondary {
		lag = 0
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.current().at.Add(lag)
}
