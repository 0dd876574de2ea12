package edge_test

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
)

const peerHeader = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' " +
	"xmlns:stream='http://etherx.jabber.org/streams' id='x' from='contoso.com' version='1.0'>"

// pipePeer returns a Dial that connects the probe to an in-process peer which
// reads whatever the probe sends and writes what send produces; then it
// closes the pipe, or with hold, waits for the probe to close it.
func pipePeer(send func(w io.Writer) error, hold bool) edge.DialFunc {
	return func(context.Context, string, string) (net.Conn, error) {
		client, server := net.Pipe()
		read := make(chan struct{})
		go func() {
			defer close(read)
			_, _ = io.Copy(io.Discard, server)
		}()
		go func() {
			defer server.Close()
			_ = send(server)
			if hold {
				<-read
			}
		}()
		return client, nil
	}
}

// repeat writes s n times (n < 0: until the probe stops reading).
func repeat(prefix, s string, n int) func(io.Writer) error {
	return func(w io.Writer) error {
		if _, err := io.WriteString(w, prefix); err != nil {
			return err
		}
		for i := 0; n < 0 || i < n; i++ {
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestProbeHostilePeer(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("a", 4096)
	tests := []struct {
		name  string
		send  func(io.Writer) error
		stage edge.Stage
		want  error
	}{
		{"endless bytes", repeat("<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' id='", huge, -1),
			edge.StageHeader, edge.ErrLimitExceeded},
		{"long attribute", repeat(peerHeader[:len(peerHeader)-1]+" x='"+huge+"'>", "", 0), edge.StageHeader, edge.ErrLimitExceeded},
		{"deep nesting", repeat(peerHeader+"<stream:features>", "<a>", -1), edge.StageFeatures, edge.ErrLimitExceeded},
		{"endless elements", repeat(peerHeader+"<stream:features>", "<a/>", -1), edge.StageFeatures, edge.ErrLimitExceeded},
		{"long text", repeat(peerHeader+"<stream:features><a>", "text", -1), edge.StageFeatures, edge.ErrLimitExceeded},
		{"whitespace keepalives forever", repeat(peerHeader, " ", -1), edge.StageFeatures, edge.ErrLimitExceeded},
		{"doctype", repeat("<!DOCTYPE x [<!ENTITY a 'aaaa'>]><x/>", "", 0), edge.StageHeader, edge.ErrMalformed},
		{"comment", repeat("<!-- hi -->"+peerHeader, "", 0), edge.StageHeader, edge.ErrMalformed},
		{"processing instruction", repeat(peerHeader+"<?php x?>", "", 0), edge.StageFeatures, edge.ErrMalformed},
		{"undeclared entity", repeat(peerHeader+"<stream:features>&lol;", "", 0), edge.StageFeatures, edge.ErrMalformed},
		{"html", repeat("<html><body>", "", 0), edge.StageHeader, edge.ErrNotStream},
		{"other element", repeat(peerHeader+"<message/>", "", 0), edge.StageFeatures, edge.ErrUnexpectedElement},
		{"stream closed", repeat(peerHeader+"</stream:stream>", "", 0), edge.StageFeatures, edge.ErrStreamClosed},
		{"closed mid-header", repeat(peerHeader[:40], "", 0), edge.StageHeader, edge.ErrPeerClosed},
		{"closed after header", repeat(peerHeader, "", 0), edge.StageFeatures, edge.ErrPeerClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := edge.ProbeConfig{To: "contoso.com", From: "probe.example", Dial: pipePeer(tt.send, false), Timeout: 5 * time.Second}
			res, err := edge.Probe(testCtx(t), "xmpp.contoso.com:5269", cfg)
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			stageErr(t, res, tt.stage, tt.want)
		})
	}
}

func TestProbeStartTLSAnswers(t *testing.T) {
	t.Parallel()
	features := peerHeader + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>"
	tests := []struct {
		name   string
		answer string
		stage  edge.Stage
		want   error
	}{
		{"failure", "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", edge.StageStartTLS, edge.ErrStartTLSRefused},
		{"other element", "<proceed/>", edge.StageStartTLS, edge.ErrUnexpectedElement},
		{"not tls after proceed", "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>HTTP/1.0 400 Bad\r\n\r\n", edge.StageTLS, edge.ErrTLSHandshake},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := edge.ProbeConfig{To: "contoso.com", From: "probe.example", StartTLS: true,
				Dial: pipePeer(repeat(features+tt.answer, "", 0), true), Timeout: 5 * time.Second}
			res, err := edge.Probe(testCtx(t), "xmpp.contoso.com:5269", cfg)
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			stageErr(t, res, tt.stage, tt.want)
		})
	}
}

func TestProbeCustomLimits(t *testing.T) {
	t.Parallel()
	s := newXMPP(t, xmpptest.Config{Domains: []string{"contoso.com"}})
	for _, tc := range []struct {
		lim   edge.Limits
		stage edge.Stage
	}{
		{edge.Limits{MaxBytes: 100}, edge.StageHeader},   // the header alone is longer
		{edge.Limits{MaxDepth: 2}, edge.StageFeatures},   // stream > features > starttls
		{edge.Limits{MaxTokens: 3}, edge.StageFeatures},  // declaration, header, features
		{edge.Limits{MaxValueLen: 10}, edge.StageHeader}, // the namespace URIs are longer
	} {
		cfg := edge.ProbeConfig{To: "contoso.com", From: "probe.example", Limits: tc.lim}
		res, err := edge.Probe(testCtx(t), s.Addr(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		stageErr(t, res, tc.stage, edge.ErrLimitExceeded)
	}
}
