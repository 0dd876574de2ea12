package setup

import (
	"context"
	"log/slog"
	"net"
	"time"
)

// DialFunc dials a connection (net.Dialer.DialContext's shape).
type DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error)

// LogDial wraps dial (nil: a net.Dialer) so that each connection attempt
// is logged at debug level when it ends: the host it is for, the scheme
// ("winrm-https", "winrm-http", "xmpp-5269"), the address dialled, the
// elapsed time and the outcome. A dialer sees no secret, so nothing needs
// redacting here. A nil log returns dial unchanged.
func LogDial(log *slog.Logger, host, scheme string, dial DialFunc) DialFunc {
	if log == nil {
		return dial
	}
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		start := time.Now()
		c, err := dial(ctx, network, addr)
		attrs := []any{"host", host, "scheme", scheme, "addr", addr, "elapsed", time.Since(start).Round(time.Microsecond)}
		if err != nil {
			log.DebugContext(ctx, "connect failed", append(attrs, "err", err)...)
			return nil, err
		}
		log.DebugContext(ctx, "connected", append(attrs, "remote", c.RemoteAddr().String())...)
		return c, nil
	}
}

// Scheme names the WinRM scheme of an endpoint for LogDial.
func (w WinRM) Scheme() string {
	if w.PlainHTTP {
		return "winrm-http"
	}
	return "winrm-https"
}
