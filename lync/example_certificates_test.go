package lync_test

import (
	"fmt"

	"github.com/xmppfed/edgefailover/lync"
)

// Covers matches a certificate's alternative names as RFC 6125 matches a
// DNS-ID: exactly, or by one left-most wildcard label.
func ExampleCertificate_Covers() {
	c := lync.Certificate{Use: lync.UseAccessEdgeExternal, AlternativeNames: []string{"sip.contoso.com", "*.fabrikam.com"}}
	for _, name := range []string{"sip.contoso.com", "contoso.com", "xmpp.fabrikam.com", "fabrikam.com"} {
		fmt.Println(name, c.Covers(name))
	}
	// Output:
	// sip.contoso.com true
	// contoso.com false
	// xmpp.fabrikam.com true
	// fabrikam.com false
}

// The scripts the preflight checks send, rendered without a host: values
// only as quoted literals.
func ExampleScripts_TestTCP() {
	s, _ := lync.Scripts{}.TestTCP("edge2a.contoso.com", 23456)
	fmt.Println(s)
	s, _ = lync.Scripts{}.TestXmppIM("fepool1.contoso.com", "alice@jabber.example", "")
	fmt.Println(s)
	// Output:
	// (New-Object -TypeName 'System.Net.Sockets.TcpClient' -ArgumentList @('edge2a.contoso.com', '23456')).Connected
	// Test-CsXmppIM -TargetFqdn 'fepool1.contoso.com' -Receiver 'alice@jabber.example' | Select-Object -Property @{ Name = 'TargetFqdn'; Expression = { [string]$_.TargetFqdn } }, @{ Name = 'Result'; Expression = { [string]$_.Result } }, @{ Name = 'Latency'; Expression = { [string]$_.Latency } }, @{ Name = 'Error'; Expression = { [string]$_.Error } }, @{ Name = 'Diagnosis'; Expression = { [string]$_.Diagnosis } }
}
