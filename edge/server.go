package edge

import (
	"context"
	"errors"
	"time"

	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
)

// ErrNoServices is matched by the error of a server whose host reports no
// Lync service at all: the client reaches a host that is not the Edge
// server it was built for, or one without Lync Server installed.
var ErrNoServices = errors.New("edge: host reports no Lync services")

// Server is one Edge Server: its FQDN and the *lync.Client that reaches its
// management shell over WinRM. The cmdlets run on the server itself, with
// -ComputerName set to the server's own FQDN, as the runbook runs them on
// each Edge Server. A Server is safe for concurrent use; the client
// serializes the scripts of one host.
type Server struct {
	fqdn   string
	client *lync.Client
}

// NewServer returns the Server fqdn reached through c. fqdn must be a fully
// qualified host name; it is stored in lower case without a trailing dot.
// Nothing is sent.
func NewServer(fqdn string, c *lync.Client) (*Server, error) {
	name, err := dnsname.ParseFQDN(fqdn)
	if err != nil {
		return nil, inputError("server FQDN", fqdn, err)
	}
	if c == nil {
		return nil, inputError("client", name, errors.New("nil *lync.Client"))
	}
	return &Server{fqdn: name, client: c}, nil
}

// FQDN returns the server's FQDN in lower case.
func (s *Server) FQDN() string { return s.fqdn }

// Client returns the client that reaches the server.
func (s *Server) Client() *lync.Client { return s.client }

// Prepare opens the server's WinRM session and imports the management
// shell module ahead of time, so that a later StopServices spends its time
// on the services only. A failure is a *ServerError with Op "prepare".
func (s *Server) Prepare(ctx context.Context) error {
	if err := s.client.Prepare(ctx); err != nil {
		return &ServerError{FQDN: s.fqdn, Op: OpPrepare, State: s.newState(""), Err: err}
	}
	return nil
}

// Status reads the state of every Lync service of the server. The state's
// Want is empty and Reached false. A failure is a *ServerError with Op
// "status".
//
// Runs: Get-CsWindowsService -ComputerName <fqdn> | Select-Object ...
func (s *Server) Status(ctx context.Context) (*ServerState, error) {
	st := s.newState("")
	if err := s.read(ctx, st); err != nil {
		return st, &ServerError{FQDN: s.fqdn, Op: OpStatus, State: st, Err: err}
	}
	return st, nil
}

func (s *Server) newState(want lync.ServiceStatus) *ServerState {
	return &ServerState{FQDN: s.fqdn, Want: want}
}

// read lists the services into st and sets st.Reached.
func (s *Server) read(ctx context.Context, st *ServerState) error {
	list, err := s.client.Services.List(ctx, s.fqdn)
	if err != nil {
		return err
	}
	st.Services, st.Time = list, time.Now()
	if len(list) == 0 {
		return ErrNoServices
	}
	st.Reached = st.Want != "" && len(st.Pending()) == 0
	return nil
}
