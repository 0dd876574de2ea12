// Package setup holds what the example programs share to reach a real
// deployment from a JSON file: WinRM endpoints (with per-host address
// overrides), the rfc2136 DNS provider with its TSIG secret from an
// environment variable or a prompt, credentials, durations, and a probe
// dialer that resolves names through chosen resolvers. Secrets never come
// from the files: LoadJSON refuses a file that holds one.
//
// It is internal to the examples: programs that adapt them copy what they
// need.
package setup
