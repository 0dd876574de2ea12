package lynctest

import (
	"crypto/subtle"
	"io"
	"net"
	"net/http"
	"time"
)

var _ http.Handler = (*handler)(nil)

// handler is the WinRM endpoint of one host (both listeners).
type handler struct {
	d *Deployment
	h *Host
}

const contentType = "application/soap+xml;charset=UTF-8"

func (hd *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d, h := hd.d, hd.h
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	d.handlers.Add(1)
	d.mu.Unlock()
	defer d.handlers.Done()
	if r.URL.Path != "/wsman" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if !d.authorized(r) {
		d.count(h, func(c *Counters) { c.Unauthorized++ })
		unauthorized(w)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyOctets+1))
	if err != nil {
		return
	}
	req, err := parseRequest(body)
	if err != nil || len(body) > maxBodyOctets {
		write(w, h.fault(faultBadRequest, ""))
		return
	}
	req.user, _, _ = r.BasicAuth()
	action := req.action()
	if action == "" {
		write(w, h.fault(faultBadAction.with(req.Header.Action), req.Header.MessageID))
		return
	}
	d.count(h, func(c *Counters) { c.Requests[action]++ })
	if f := d.fire(h.fqdn, action, "", "", FaultSOAP, FaultUnauthorized, FaultReset, FaultHang); f != nil {
		switch f.Kind {
		case FaultSOAP:
			write(w, h.fault(faultInjected, req.Header.MessageID))
		case FaultUnauthorized:
			unauthorized(w)
		case FaultReset:
			reset(w)
		case FaultHang:
			select {
			case <-r.Context().Done():
			case <-d.closing:
			}
		}
		return
	}
	if !d.sleep(r.Context(), d.delay(func(l Latency) time.Duration { return l.RoundTrip })) {
		return
	}
	write(w, h.serveAction(r.Context(), action, req))
}

// authorized checks the Basic credentials against every account.
func (d *Deployment) authorized(r *http.Request) bool {
	u, p, ok := r.BasicAuth()
	if !ok {
		return false
	}
	found := 0
	for _, a := range d.accounts {
		uok := subtle.ConstantTimeCompare([]byte(u), []byte(a.Username))
		pok := subtle.ConstantTimeCompare([]byte(p), []byte(a.Password))
		found |= uok & pok
	}
	return found == 1
}

func unauthorized(w http.ResponseWriter) {
	w.Header().Add("WWW-Authenticate", "Negotiate")
	w.Header().Add("WWW-Authenticate", `Basic realm="WSMAN"`)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusUnauthorized)
}

func write(w http.ResponseWriter, rp reply) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(rp.status)
	_, _ = w.Write(rp.body)
}

// reset closes the connection with a TCP RST (SO_LINGER 0).
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	raw := conn
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = nc.NetConn()
	}
	if tc, ok := raw.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = raw.Close()
}
