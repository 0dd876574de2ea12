// Package preflight checks, before the first change, what the field finds
// wrong with a new Edge pool only after an outage began: on every Edge
// server the Access Edge external certificate covers every SIP domain and
// the federation host and is valid beyond Options.CertificateWindow
// (CheckCertificate); the Access Edge configuration allows federated users
// (CheckAccessEdge); XMPP partners exist, and include the domain of an IM
// receiver (CheckPartners); the product has XMPP federation: Lync Server
// 2013 or Skype for Business Server 2015, not 2019 (CheckVersion); and,
// with Options.CheckReachability, the management host reaches each
// server's internal XMPP port (CheckReachability).
//
// CheckTarget runs the checks on a Target, the independent ones
// concurrently, and returns Findings: a Check, a Severity, what was
// found, and what to fix. Verdict turns them into an *Error matching
// ErrFindings when one blocks: an error, or a warning Options.AcceptWarnings
// does not name. failover.New runs the checks on its target pool with its
// Config.Preflight and refuses the plan with that *Error; a health check
// (examples/check) calls CheckTarget itself.
//
// The package imports edge and lync, never failover: failover calls it.
package preflight
