package winrm

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/types"
)

// mitVectors are Wrap tokens MIT krb5 made with gss_wrap_iov(HEADER, DATA,
// PADDING), both directions of one context, and the acceptor subkey MIT
// exported (testdata/mit_wrap_vectors.json, a copy of lynctest's, written
// by lynctest's TestWriteMITVectors).
type mitVectors struct {
	Etype  int32  `json:"etype"`
	Key    string `json:"key"`
	Tokens []struct {
		From, Message, Header, Data string
	} `json:"tokens"`
}

func mitContext(t *testing.T) (*mitVectors, func() *krbContext) {
	t.Helper()
	b, err := os.ReadFile("testdata/mit_wrap_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	v := new(mitVectors)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
	key, _ := hex.DecodeString(v.Key)
	et, err := sealingEtype(v.Etype)
	if err != nil {
		t.Fatal(err)
	}
	seq := func(i int) uint64 {
		h, _ := hex.DecodeString(v.Tokens[i].Header)
		return binary.BigEndian.Uint64(h[8:16])
	}
	return v, func() *krbContext {
		return &krbContext{key: types.EncryptionKey{KeyType: v.Etype, KeyValue: key}, et: et, acceptorSubkey: true,
			sendSeq: seq(0), recvSeq: seq(1)}
	}
}

func unhexW(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestKerberosWrapMITVectors: the client opens the acceptor tokens MIT
// made, in order, and refuses them out of order, with any bit flipped, or
// MIT's initiator tokens (its own direction); what it seals has the form
// of MIT's initiator tokens (TOK_ID 05 04, flags Sealed|AcceptorSubkey, EC
// 0, RRC 28, a 60-octet header, the sealed part as long as the message).
// Runs without peers: the vectors are in testdata.
func TestKerberosWrapMITVectors(t *testing.T) {
	v, fresh := mitContext(t)
	k := fresh()
	for _, i := range []int{1, 3} {
		msg, err := k.Unwrap(unhexW(t, v.Tokens[i].Data), unhexW(t, v.Tokens[i].Header))
		if err != nil || string(msg) != v.Tokens[i].Message {
			t.Fatalf("token %d: %q, %v", i+1, msg, err)
		}
	}
	refused := func(name string, hdr, data []byte) {
		t.Helper()
		if msg, err := fresh().Unwrap(data, hdr); err == nil {
			t.Errorf("%s: opened as %q", name, msg)
		}
	}
	refused("out of order", unhexW(t, v.Tokens[3].Header), unhexW(t, v.Tokens[3].Data))
	refused("an initiator token", unhexW(t, v.Tokens[0].Header), unhexW(t, v.Tokens[0].Data))
	hdr, data := unhexW(t, v.Tokens[1].Header), unhexW(t, v.Tokens[1].Data)
	for i := range len(hdr) + len(data) {
		h, d := bytes.Clone(hdr), bytes.Clone(data)
		if i < len(h) {
			h[i] ^= 0x01
		} else {
			d[i-len(h)] ^= 0x80
		}
		refused("bit flipped at octet "+strconv.Itoa(i), h, d)
	}
	for _, n := range []int{16, 17, 40, 59} { // shorter than confounder, header copy and checksum
		refused("truncated to "+strconv.Itoa(n), hdr[:n], nil)
	}
	sealed, sig, err := fresh().Wrap([]byte(v.Tokens[0].Message))
	mit := unhexW(t, v.Tokens[0].Header)
	if err != nil || len(sig) != len(mit) || len(sealed) != len(v.Tokens[0].Message) || !bytes.Equal(sig[:16], mit[:16]) {
		t.Fatalf("Wrap: %v, header %x, want the form of MIT's %x", err, sig[:16], mit[:16])
	}
}

// TestKerberosEtypeRefused: an RC4-HMAC or DES3 key does not seal here;
// the error says which etype, and matches ErrKerberosEtype.
func TestKerberosEtypeRefused(t *testing.T) {
	for id, name := range map[int32]string{23: "arcfour-hmac", 16: "des3-cbc-sha1", 99: "unknown"} {
		_, err := sealingEtype(id)
		if !errors.Is(err, ErrKerberosEtype) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), strconv.Itoa(int(id))) {
			t.Errorf("etype %d: %v", id, err)
		}
	}
	for _, id := range []int32{17, 18, 19, 20} {
		if _, err := sealingEtype(id); err != nil {
			t.Errorf("etype %d: %v", id, err)
		}
	}
}

// TestKerberosLoginEndsWithContext: a KDC that accepts the connection and
// never answers does not hold the login past its context: the round trip
// fails with the context's error, not gokrb5's later KDC timeout, and no
// request reached the host.
func TestKerberosLoginEndsWithContext(t *testing.T) {
	t.Parallel()
	kdc, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer kdc.Close()
	go func() {
		for {
			c, err := kdc.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	conf := filepath.Join(t.TempDir(), "krb5.conf")
	text := "[libdefaults]\n default_realm = CONTOSO.COM\n udp_preference_limit = 1\n[realms]\n CONTOSO.COM = {\n  kdc = " + kdc.Addr().String() + "\n }\n"
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	host := 0
	ep, err := Endpoint{Host: "fe01.contoso.com", PlainHTTP: true, Auth: AuthKerberos,
		Dial: func(context.Context, string, string) (net.Conn, error) {
			host++
			return nil, errors.New("no host")
		},
		Credentials: Credentials{Username: "lyncadmin", Password: "Krb-Passw0rd-6"},
		Kerberos:    &Kerberos{Realm: "CONTOSO.COM", ConfigPath: conf}}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	p := newPoster(ep, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err = p.pool.roundTrip(ctx, []byte("<s:Envelope/>"))
	if !errors.Is(err, context.DeadlineExceeded) || host != 0 {
		t.Fatalf("err = %v, %d dials of the host", err, host)
	}
}

// FuzzKerberosUnwrap feeds an answer's token header and sealed part to the
// client's Unwrap: nothing panics, and what opens is the message MIT
// sealed (no forgery opens).
func FuzzKerberosUnwrap(f *testing.F) {
	b, err := os.ReadFile("testdata/mit_wrap_vectors.json")
	if err != nil {
		f.Fatal(err)
	}
	v := new(mitVectors)
	if err := json.Unmarshal(b, v); err != nil {
		f.Fatal(err)
	}
	key, _ := hex.DecodeString(v.Key)
	hdr, _ := hex.DecodeString(v.Tokens[1].Header)
	data, _ := hex.DecodeString(v.Tokens[1].Data)
	f.Add(hdr, data)
	f.Add(hdr[:16], data)
	f.Add([]byte{}, []byte{})
	et, err := sealingEtype(v.Etype)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sig, sealed []byte) {
		k := &krbContext{key: types.EncryptionKey{KeyType: v.Etype, KeyValue: key}, et: et, acceptorSubkey: true,
			recvSeq: binary.BigEndian.Uint64(hdr[8:16])}
		msg, err := k.Unwrap(sealed, sig)
		if err == nil && string(msg) != v.Tokens[1].Message {
			t.Fatalf("forged token opened as %q", msg)
		}
	})
}
