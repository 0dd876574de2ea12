package xmpptest_test

import (
	"fmt"
	"net"

	"github.com/xmppfed/edgefailover/edge/xmpptest"
)

// A listener that stops and starts with the Edge services it stands for,
// keeping its address.
func ExampleServer_Stop() {
	srv, err := xmpptest.NewServer(xmpptest.Config{Domains: []string{"contoso.com"}})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	addr := srv.Addr()

	srv.Stop()
	_, err = net.Dial("tcp", addr)
	fmt.Println("stopped, dial fails:", err != nil)

	if err := srv.Start(); err != nil {
		panic(err)
	}
	c, err := net.Dial("tcp", addr)
	fmt.Println("started, same address:", srv.Addr() == addr, "dial ok:", err == nil)
	c.Close()
	// Output:
	// stopped, dial fails: true
	// started, same address: true dial ok: true
}
