package lync

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

var errNoOutput = errors.New("no output")

// PortTest is the outcome of one TCP connection attempt made by the host: a
// refused or unreachable port is an outcome, not an error.
type PortTest struct {
	Host      string
	Port      int
	Reachable bool
	// Error is the host's message when the connection failed, e.g.
	// "No connection could be made because the target machine actively
	// refused it 192.0.2.1:23456".
	Error string
}

// TestTCP connects from the host itself to host:port with .NET sockets (no
// Test-NetConnection: it is missing from the Windows versions some Lync
// servers run on) and reports whether the connection was made. The host's own connect timeout applies (about 21 s
// on Windows for a port that drops SYNs); ctx bounds the wait on this side.
// The TcpClient is left to the host's garbage collector (the script subset
// of docs/wire.md has no statement to close it; a connection the peer
// accepted stays open until then).
//
// Runs: (New-Object -TypeName 'System.Net.Sockets.TcpClient' -ArgumentList @('<host>', '<port>')).Connected
func (s *FederationService) TestTCP(ctx context.Context, host string, port int) (*PortTest, error) {
	script, err := Scripts{}.TestTCP(host, port)
	if err != nil {
		return nil, err
	}
	host, _ = parseFQDN("host", host)
	res := &PortTest{Host: host, Port: port}
	var out []bool
	err = s.client.run(ctx, "New-Object", script, &out)
	var ce *CmdletError
	switch {
	case errors.As(err, &ce) && isConnectFailure(ce):
		res.Error = ce.Message
		return res, nil
	case err != nil:
		return nil, err
	case len(out) == 0:
		return nil, &ProtocolError{Op: "New-Object", Err: errNoOutput}
	}
	res.Reachable = out[0]
	return res, nil
}

// isConnectFailure: the TcpClient constructor threw (refused, unreachable,
// timed out, unknown host): New-Object reports it as
// ConstructorInvokedThrowException (a MethodInvocationException).
func isConnectFailure(e *CmdletError) bool {
	head, _, _ := strings.Cut(e.FullyQualifiedErrorId, ",")
	return head == "ConstructorInvokedThrowException"
}

// TestTCP returns what runs for FederationService.TestTCP.
func (Scripts) TestTCP(host string, port int) (string, error) {
	host, err := parseFQDN("host", host)
	if err != nil {
		return "", err
	}
	if port < 1 || port > 65535 {
		return "", inputError("port", strconv.Itoa(port), "out of range 1-65535", nil)
	}
	return pwsh.NewCommand("New-Object").String("TypeName", "System.Net.Sockets.TcpClient").
		Strings("ArgumentList", host, strconv.Itoa(port)).Members("Connected").Script()
}
