package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/examples/internal/labfaults"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// controlFile is where a running lab says how to reach it.
const controlFile = "control.json"

// commandTimeout bounds one subcommand's round trip to the lab.
const commandTimeout = 15 * time.Second

// controlInfo is the content of control.json.
type controlInfo struct {
	Addr  string `json:"addr"`  // 127.0.0.1:port of the control server
	Token string `json:"token"` // bearer token, made up at start
	PID   int    `json:"pid"`
}

type control struct {
	srv  *http.Server
	path string
	done chan struct{}
}

// startControl serves the subcommands on a loopback port and writes
// control.json at path.
func startControl(lab *failovertest.Lab, path string) (*control, error) {
	tok := make([]byte, 16)
	if _, err := rand.Read(tok); err != nil {
		return nil, err
	}
	info := controlInfo{Token: hex.EncodeToString(tok), PID: os.Getpid()}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("control listener: %w", err)
	}
	info.Addr = ln.Addr().String()
	mux := http.NewServeMux()
	handle := func(name string, f func(r *http.Request) (string, error)) {
		mux.HandleFunc("POST /"+name, func(w http.ResponseWriter, r *http.Request) {
			got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(got), []byte(info.Token)) != 1 {
				http.Error(w, "bad token", http.StatusUnauthorized)
				return
			}
			out, err := f(r)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			io.WriteString(w, out)
		})
	}
	handle("kill-source", func(*http.Request) (string, error) {
		return "source pool " + failovertest.SourcePool + " killed: every Lync service stopped\n", lab.FailPool(failovertest.SourcePool)
	})
	handle("recover-source", func(*http.Request) (string, error) {
		return "source pool " + failovertest.SourcePool + " recovered: services running\n", lab.RecoverPool(failovertest.SourcePool)
	})
	handle("fault", func(r *http.Request) (string, error) {
		name := r.URL.Query().Get("name")
		if err := labfaults.Inject(lab, name); err != nil {
			return "", err
		}
		return fmt.Sprintf("fault injected: %s (%s)\n", name, labfaults.Describe(name)), nil
	})
	handle("clear", func(*http.Request) (string, error) {
		labfaults.Clear(lab)
		return "every injected fault ended\n", nil
	})
	handle("status", func(r *http.Request) (string, error) { return status(r.Context(), lab) })

	b, _ := json.Marshal(info)
	if err := writeAtomic(path, b); err != nil {
		ln.Close()
		return nil, err
	}
	c := &control{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, path: path, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		_ = c.srv.Serve(ln)
	}()
	return c, nil
}

func (c *control) close() {
	os.Remove(c.path)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.srv.Shutdown(ctx)
	<-c.done
}

// status describes what a failover changes.
func status(ctx context.Context, lab *failovertest.Lab) (string, error) {
	st, err := lab.Snapshot(ctx)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, site := range []string{failovertest.SourceSite, failovertest.TargetSite} {
		fmt.Fprintf(&b, "route of %s: %q\n", site, st.Routes[site])
	}
	for _, p := range lab.Pools() {
		running := 0
		for _, srv := range p.Servers {
			if svcs := st.Services[srv]; svcs["RTCSRV"] == "Running" {
				running++
			}
		}
		fmt.Fprintf(&b, "%s: listener up %v, %d of %d servers running\n", p.FQDN, st.Listeners[p.FQDN], running, len(p.Servers))
	}
	fmt.Fprintf(&b, "%s A: %s\n", failovertest.FederationHost, strings.Join(st.DNS[failovertest.FederationHost+". A"], ", "))
	return b.String(), nil
}

// command sends a subcommand to the lab running with dir.
func command(ctx context.Context, dir string, cmd []string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, controlFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("no lab runs with -dir %s (no %s): start one with `go run ./examples/lab -dir %s`", dir, controlFile, dir)
	}
	if err != nil {
		return "", err
	}
	info, err := readControl(b)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	u := "http://" + info.Addr + "/" + cmd[0]
	if cmd[0] == "fault" {
		u += "?name=" + cmd[1]
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(nil))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+info.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("the lab does not answer (stopped?): %w", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", errors.New(strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// tokenLen is the length of the token startControl makes (16 octets in hex).
const tokenLen = 32

// readControl reads control.json as startControl writes it. The subcommand
// sends the token to the address the file names, so only a loopback
// address and port in canonical form (nothing else that could end up in
// the URL) and a token of the lab's form are taken; no error shows the
// token.
func readControl(b []byte) (controlInfo, error) {
	var info controlInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return controlInfo{}, fmt.Errorf("%s: %w", controlFile, err)
	}
	ap, err := netip.ParseAddrPort(info.Addr)
	if err != nil || !ap.Addr().IsLoopback() || ap.Port() == 0 || ap.String() != info.Addr {
		return controlInfo{}, fmt.Errorf("%s: addr %q is not a loopback address and port", controlFile, info.Addr)
	}
	if len(info.Token) != tokenLen || strings.Trim(info.Token, "0123456789abcdef") != "" {
		return controlInfo{}, fmt.Errorf("%s: the token is not %d hex digits", controlFile, tokenLen)
	}
	return info, nil
}

// writeAtomic writes b to path (mode 0600) so that a reader sees either no
// file or the whole of it: subcommands, and tests, wait for control.json to
// appear and read it at once, and os.WriteFile creates the file before it
// writes (a reader could get "unexpected end of JSON input").
func writeAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}
