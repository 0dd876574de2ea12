package rfc2136_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// echoProxy relays DNS over TCP to server and, in the answers to UPDATEs,
// puts the request's own TSIG MAC in place of the server's: what Windows DNS
// does with updates it did not treat as secure (bodgit/tsig#54).
func echoProxy(t *testing.T, server string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go relayEchoing(c, server)
		}
	}()
	return ln.Addr().String()
}

func relayEchoing(c net.Conn, server string) {
	defer c.Close()
	up, err := net.Dial("tcp", server)
	if err != nil {
		return
	}
	defer up.Close()
	for {
		req, err := readTCPMsg(c)
		if err != nil || writeTCPMsg(up, req) != nil {
			return
		}
		ans, err := readTCPMsg(up)
		if err != nil {
			return
		}
		var q, r dns.Msg
		if q.Unpack(req) == nil && r.Unpack(ans) == nil && q.Opcode == dns.OpcodeUpdate && q.IsTsig() != nil && r.IsTsig() != nil {
			r.IsTsig().MAC, r.IsTsig().MACSize = q.IsTsig().MAC, q.IsTsig().MACSize
			if b, err := r.Pack(); err == nil {
				ans = b
			}
		}
		if writeTCPMsg(c, ans) != nil {
			return
		}
	}
}

func readTCPMsg(c net.Conn) ([]byte, error) {
	var n [2]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return nil, err
	}
	b := make([]byte, binary.BigEndian.Uint16(n[:]))
	_, err := io.ReadFull(c, b)
	return b, err
}

func writeTCPMsg(c net.Conn, b []byte) error {
	_, err := c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(b))), b...))
	return err
}

// TestGSSTSIGEchoedSignatureIsNeverSuccess writes through a server that
// answers an UPDATE with the request's own MIC token: the write fails with
// ErrSignatureEchoed (its outcome unknown: BIND did apply it), and is not
// taken for a forgotten context.
func TestGSSTSIGEchoedSignatureIsNeverSuccess(t *testing.T) {
	l := startGSSLab(t, suiteZoneText)
	p := l.provider(gssUser)
	p.Server, p.Net = echoProxy(t, l.bind.Addr), "tcp"
	_, err := p.SetRecords(context.Background(), "example.test.", []libdns.Record{addr("echo", "192.0.2.1", 60)})
	if !errors.Is(err, rfc2136.ErrSignatureEchoed) || !errors.Is(err, rfc2136.ErrResponseSig) {
		t.Fatalf("an echoed signature: %v, want ErrSignatureEchoed and ErrResponseSig", err)
	}
	if st := p.Kerberos.Stats(); st.Negotiations != 1 {
		t.Fatalf("%d negotiations, want 1 (an echo is not BADKEY)", st.Negotiations)
	}
	wantServer(t, target{zone: "example.test.", addr: l.bind.Addr}, "echo", dns.TypeA, "echo.example.test.\t60\tIN\tA\t192.0.2.1")
}
