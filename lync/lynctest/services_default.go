package lynctest

import "strings"

// DefaultServices returns the Lync services New gives a server of role r when
// Server.Services is empty, all Running, with the display names of product p.
// Edge: REPLICA, RTCSRV, RTCDATAPROXY, RTCMRAUTH, RTCMEDIARELAY, RTCCLSAGT and
// the XMPP proxy RTCXMPPTGWPX (short name unconfirmed, REFERENCE.md §1).
// Front End: REPLICA, RTCSRV, RTCCLSAGT, RTCMRAUTH and the XMPP gateway
// RTCXMPPTGW.
func DefaultServices(p Product, r Role) []Service {
	names := []string{"REPLICA", "RTCSRV", "RTCCLSAGT", "RTCMRAUTH", "RTCXMPPTGW"}
	if r == Edge {
		names = []string{"REPLICA", "RTCSRV", "RTCDATAPROXY", "RTCMRAUTH", "RTCMEDIARELAY", "RTCCLSAGT", "RTCXMPPTGWPX"}
	}
	out := make([]Service, 0, len(names))
	for _, n := range names {
		out = append(out, Service{Name: n, DisplayName: displayName(p, r, n), RoleName: roleName(r), Status: Running})
	}
	return out
}

func roleName(r Role) string {
	if r == Edge {
		return "EdgeServer"
	}
	return "Registrar"
}

func displayName(p Product, r Role, name string) string {
	prefix := "Skype for Business Server "
	if p == Lync2013 {
		prefix = "Lync Server "
	}
	known := map[string]string{
		"REPLICA":       "Replica Replicator Agent",
		"RTCCLSAGT":     "Centralized Logging Service Agent",
		"RTCMRAUTH":     "Audio/Video Authentication",
		"RTCDATAPROXY":  "Web Conferencing Edge",
		"RTCMEDIARELAY": "Audio/Video Edge",
		"RTCXMPPTGWPX":  "XMPP Translating Gateway Proxy",
		"RTCXMPPTGW":    "XMPP Translating Gateway",
	}
	if r == Edge {
		known["RTCSRV"] = "Access Edge"
	} else {
		known["RTCSRV"] = "Front-End"
	}
	if d, ok := known[strings.ToUpper(name)]; ok {
		return prefix + d
	}
	return prefix + name
}
