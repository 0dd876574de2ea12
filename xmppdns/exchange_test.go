package xmppdns

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// scripted is an ExchangeFunc that answers each (network) call with the next
// behaviour of a script and records the networks used.
type scripted struct {
	mu    sync.Mutex
	steps []func(m *dns.Msg, ctx context.Context) (*dns.Msg, error)
	nets  []string
}

func (s *scripted) exchange(ctx context.Context, m *dns.Msg, network, _ string) (*dns.Msg, error) {
	s.mu.Lock()
	s.nets = append(s.nets, network)
	step := s.steps[0]
	if len(s.steps) > 1 {
		s.steps = s.steps[1:]
	}
	s.mu.Unlock()
	return step(m, ctx)
}

func good(m *dns.Msg, _ context.Context) (*dns.Msg, error) {
	r := new(dns.Msg)
	r.SetReply(m)
	return r, nil
}

func truncated(m *dns.Msg, _ context.Context) (*dns.Msg, error) {
	r := new(dns.Msg)
	r.SetReply(m)
	r.Truncated = true
	return r, nil
}

func wrongID(m *dns.Msg, _ context.Context) (*dns.Msg, error) {
	r := new(dns.Msg)
	r.SetReply(m)
	r.Id++
	return r, nil
}

func silent(_ *dns.Msg, ctx context.Context) (*dns.Msg, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func refusedConn(*dns.Msg, context.Context) (*dns.Msg, error) {
	return nil, errors.New("connection refused")
}

func TestAsk(t *testing.T) {
	t.Parallel()
	type step = func(*dns.Msg, context.Context) (*dns.Msg, error)
	tests := []struct {
		name  string
		steps []step
		nets  []string
		ok    bool
	}{
		{"UDP answer", []step{good}, []string{"udp"}, true},
		{"truncated: TCP", []step{truncated, good}, []string{"udp", "tcp"}, true},
		{"timeout: TCP", []step{silent, good}, []string{"udp", "tcp"}, true},
		{"timeout twice, then UDP", []step{silent, silent, good}, []string{"udp", "tcp", "udp"}, true},
		{"wrong ID: retried over UDP", []step{wrongID, good}, []string{"udp", "udp"}, true},
		{"refused: bounded retries", []step{refusedConn}, []string{"udp", "udp", "udp"}, false},
		{"silent: bounded retries", []step{silent}, []string{"udp", "tcp", "udp", "tcp", "udp", "tcp"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &scripted{steps: tt.steps}
			q := newQuerier(s.exchange, 20*time.Millisecond, 2)
			m, err := q.ask(context.Background(), "192.0.2.1:53", "contoso.com.", dns.TypeSRV, false)
			if (err == nil) != tt.ok || (err == nil && m == nil) {
				t.Fatalf("ask = %v, %v", m, err)
			}
			if err != nil && !errors.Is(err, ErrNoAnswer) {
				t.Errorf("error %v does not match ErrNoAnswer", err)
			}
			if len(s.nets) != len(tt.nets) {
				t.Fatalf("networks used %v, want %v", s.nets, tt.nets)
			}
			for i := range tt.nets {
				if s.nets[i] != tt.nets[i] {
					t.Fatalf("networks used %v, want %v", s.nets, tt.nets)
				}
			}
		})
	}
}

func TestAskCancelled(t *testing.T) {
	t.Parallel()
	s := &scripted{steps: []func(*dns.Msg, context.Context) (*dns.Msg, error){silent}}
	q := newQuerier(s.exchange, time.Hour, 5)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := q.ask(ctx, "192.0.2.1:53", "contoso.com.", dns.TypeSRV, false)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ask = %v, want the context's error", err)
	}
	if len(s.nets) > 2 {
		t.Errorf("kept asking after the context ended: %v", s.nets)
	}
}
