package lync

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
)

// Client is a typed client for the Lync Server 2013 / Skype for Business
// Server 2015 management shell of one Windows host. Resources hang off it
// (go-github style); each method's comment names the cmdlet it runs. A
// Client is safe for concurrent use.
type Client struct {
	runner Runner
	log    *slog.Logger

	Sites       *SitesService
	Pools       *PoolsService
	Services    *ServicesService
	Replication *ReplicationService
	// Federation serves the preflight checks of a failover: federation
	// settings, certificates, reachability (federation.go, certificates.go,
	// network.go).
	Federation *FederationService

	mu         sync.Mutex
	routeParam string // Set-CsSite route parameter, once detected

	waits hostWaits // whether the host holds wait scripts (hostwait.go)
}

// ClientOptions tunes a Client. The zero value is valid.
type ClientOptions struct {
	Logger *slog.Logger // default: discard
}

type service struct{ client *Client }

// NewClient returns a client that runs its scripts with r (any Runner; a
// *WinRM for a real host).
func NewClient(r Runner, opts ClientOptions) *Client {
	c := &Client{runner: r, log: opts.Logger}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.Sites = &SitesService{client: c}
	c.Pools = &PoolsService{client: c}
	c.Services = &ServicesService{client: c}
	c.Replication = &ReplicationService{client: c}
	c.Federation = &FederationService{client: c}
	return c
}

// Runner returns the runner the client uses.
func (c *Client) Runner() Runner { return c.runner }

// Prepare does the slow work ahead of the first change: it opens the host
// session and imports the module, when the runner supports it (as *WinRM
// does), then detects the Set-CsSite route parameter (cached).
//
// Runs: (Get-Command -Name 'Set-CsSite').Parameters.Keys
func (c *Client) Prepare(ctx context.Context) error {
	if p, ok := c.runner.(interface{ Prepare(context.Context) error }); ok {
		if err := p.Prepare(ctx); err != nil {
			return err
		}
	}
	_, err := c.routeParameter(ctx)
	return err
}

// Close closes the runner when it is an io.Closer. For the *WinRM of Dial
// that ends the call in flight (it returns ErrClosed) and deletes every
// shell the runner opened, within CloseTimeout.
func (c *Client) Close() error {
	if cl, ok := c.runner.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

// run runs one script and decodes its JSON array into out (a pointer to a
// slice), when out is not nil.
func (c *Client) run(ctx context.Context, op, script string, out any) error {
	raw, err := c.runner.Run(ctx, script)
	if err != nil {
		c.log.Debug("script failed", "op", op, "err", err)
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &ProtocolError{Op: op, Err: err}
	}
	return nil
}
