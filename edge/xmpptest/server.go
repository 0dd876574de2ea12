package xmpptest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Start after Close.
var ErrClosed = errors.New("xmpptest: server closed")

// ErrRunning is returned by Start while the server is already listening.
var ErrRunning = errors.New("xmpptest: server already running")

// Stats counts what a Server has seen since NewUnstartedServer, across every
// Start/Stop cycle.
type Stats struct {
	Connections   int64 // connections accepted
	Active        int64 // connections open now
	Streams       int64 // stream headers received and parsed
	TLSHandshakes int64 // STARTTLS handshakes completed
}

// Server is an XMPP server-to-server listener double on 127.0.0.1. Its methods
// are safe for concurrent use.
type Server struct {
	cfg   Config
	certs *certificates

	mu      sync.Mutex
	addr    string
	ln      net.Listener
	conns   map[net.Conn]struct{}
	stop    chan struct{} // closed by Stop; one per run
	closed  bool
	running sync.WaitGroup // accept loop and connection handlers of the current run

	fault atomic.Int64

	connections, active, streams, handshakes atomic.Int64
}

// NewServer returns a Server that listens on a free port of 127.0.0.1 and
// serves until Close. The caller must call Close.
func NewServer(cfg Config) (*Server, error) {
	s, err := NewUnstartedServer(cfg)
	if err != nil {
		return nil, err
	}
	if err := s.Start(); err != nil {
		return nil, err
	}
	return s, nil
}

// NewUnstartedServer returns a Server with its certificates generated but no
// listener; call Start.
func NewUnstartedServer(cfg Config) (*Server, error) {
	cfg, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	certs, err := newCertificates(cfg.CertNames, cfg.CertValidity, cfg.CertSRVNames, cfg.CertXmppAddrs)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, certs: certs, conns: make(map[net.Conn]struct{})}
	s.fault.Store(int64(cfg.Fault))
	return s, nil
}

// Start binds the listener and serves. The first Start takes a free port of
// 127.0.0.1, below the ephemeral range where the system says which that is
// (so that outgoing connections cannot take it while the server is
// stopped); later ones bind the same address again, so clients configured
// with Addr reach the server across a Stop/Start cycle. It fails with
// ErrRunning, ErrClosed, or the listen error (another listener may have
// taken the port in between).
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case s.ln != nil:
		return ErrRunning
	}
	var ln net.Listener
	var err error
	first := s.addr == ""
	if first {
		ln, err = listenFirst()
	} else {
		ln, err = net.Listen("tcp", s.addr)
	}
	if err != nil {
		return fmt.Errorf("xmpptest: listen on %s: %w", s.addr, err)
	}
	s.ln = ln
	s.addr = ln.Addr().String()
	if first {
		hold(s.addr)
	}
	s.stop = make(chan struct{})
	s.running.Add(1)
	go s.accept(ln, s.stop)
	return nil
}

// Stop closes the listener and every open connection and waits for their
// handlers to return. The address is kept for the next Start. Stop on a
// stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	if s.ln == nil {
		s.mu.Unlock()
		return
	}
	_ = s.ln.Close()
	s.ln = nil
	close(s.stop)
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.running.Wait()
}

// Close stops the server for good and waits for its goroutines.
func (s *Server) Close() {
	s.Stop()
	s.mu.Lock()
	if !s.closed && s.addr != "" {
		release(s.addr)
	}
	s.closed = true
	s.mu.Unlock()
}

// Addr is the host:port the server listens on, or listened on last; "" before
// the first Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Running reports whether the server is listening.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ln != nil
}

// SetFault changes the misbehaviour shown on connections accepted from now on.
func (s *Server) SetFault(f Fault) { s.fault.Store(int64(f)) }

// CertPool returns a new pool holding the test CA that issued the server's
// certificate: use it as tls.Config.RootCAs.
func (s *Server) CertPool() *x509.CertPool { return s.certs.pool.Clone() }

// CA returns the test CA certificate.
func (s *Server) CA() *x509.Certificate { return s.certs.ca }

// Certificate returns the leaf certificate the server presents.
func (s *Server) Certificate() *x509.Certificate { return s.certs.leaf.Leaf }

// Stats returns the counters.
func (s *Server) Stats() Stats {
	return Stats{
		Connections:   s.connections.Load(),
		Active:        s.active.Load(),
		Streams:       s.streams.Load(),
		TLSHandshakes: s.handshakes.Load(),
	}
}

func (s *Server) accept(ln net.Listener, stop chan struct{}) {
	defer s.running.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // listener closed by Stop
		}
		if !s.track(c, stop) {
			_ = c.Close()
			return
		}
		s.connections.Add(1)
		s.active.Add(1)
		go func() {
			defer s.running.Done()
			defer s.active.Add(-1)
			defer s.untrack(c)
			s.serveConn(c, Fault(s.fault.Load()), stop)
		}()
	}
}

// track registers c unless the run it belongs to has been stopped.
func (s *Server) track(c net.Conn, stop chan struct{}) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-stop:
		return false
	default:
	}
	s.conns[c] = struct{}{}
	s.running.Add(1)
	return true
}

func (s *Server) untrack(c net.Conn) {
	_ = c.Close()
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

func (s *Server) tlsConfig() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{s.certs.leaf},
		MinVersion:   tls.VersionTLS12,
		ClientAuth:   tls.RequestClientCert, // for SASL EXTERNAL; not verified
	}
}
