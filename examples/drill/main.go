// Command drill runs a whole XMPP federation failover and failback against
// in-process doubles of a Lync deployment, its DNS and its XMPP peers.
//
// Usage:
//
//	go run ./examples/drill
//
// The drill needs the failover package, which is not built yet; until then the
// command says so and exits 0.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: drill\n\nRuns a failover drill against in-process doubles (not yet built).\n")
	}
	flag.Parse()
	fmt.Fprintln(os.Stdout, "drill: not yet built: the failover package lands with issue 6; nothing was run.")
}
