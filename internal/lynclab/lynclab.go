// Package lynclab connects lync clients to a lynctest deployment: the one
// place that knows how a real client reaches a fake host (its dialer, its
// credentials, its CA). Test support for this module; lynctest itself cannot
// import lync.
//
// Endpoints use what a default Windows host accepts: NTLM, with message
// encryption over plain HTTP (5985), or over HTTPS (5986).
package lynclab

import (
	"time"

	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// Endpoint reaches host of d through d's dialer with d's (domain)
// credentials and NTLM, over HTTPS verified with d's CA, or over plain HTTP
// with every message encrypted when https is false. The one-second
// OperationTimeout keeps long polls short (lynctest caps them lower anyway).
func Endpoint(d *lynctest.Deployment, host string, https bool) winrm.Endpoint {
	user, pass := d.Credentials()
	ep := winrm.Endpoint{
		Host:             host,
		PlainHTTP:        !https,
		Auth:             winrm.AuthNTLM,
		Credentials:      winrm.Credentials{Username: user, Password: winrm.Password(pass)},
		Dial:             d.DialContext,
		OperationTimeout: time.Second,
	}
	if https {
		ep.TLS.RootCAs = d.CertPool()
	}
	return ep
}
