package lynctest

import (
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
	body, err := io.ReadAll(io.LimitReader(r.Body, 2*maxBodyOctets+1))
	if err != nil {
		return
	}
	a, ok := hd.authenticate(w, r, body)
	if !ok {
		return
	}
	write := func(w http.ResponseWriter, rp reply) {
		if a.sess != nil {
			sealAnswer(w, a.sess, a.proto, rp)
			return
		}
		writeClear(w, rp)
	}
	body = a.body
	req, err := parseRequest(body)
	if err != nil || len(body) > maxBodyOctets {
		write(w, h.fault(faultBadRequest, ""))
		return
	}
	req.user = a.who.name
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

// unauthorized answers an injected FaultUnauthorized.
func unauthorized(w http.ResponseWriter) {
	w.Header().Add("WWW-Authenticate", "Negotiate")
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusUnauthorized)
}

func writeClear(w http.ResponseWriter, rp reply) {
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
