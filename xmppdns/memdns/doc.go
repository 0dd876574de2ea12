// Package memdns is an in-memory libdns provider for tests: a DNS zone store
// that keeps to the documented semantics of libdns v1.1 as closely as a fake
// can, so that code tested against it cannot pass with calls a real provider
// would refuse or treat differently.
//
// Three types offer three provider shapes, because code such as xmppdns
// chooses its write strategy by the interfaces a provider implements:
//
//   - [Provider]: libdns.RecordGetter, RecordSetter, RecordDeleter and
//     ZoneLister, the shape of most libdns providers;
//   - [Appender]: a Provider that is also a libdns.RecordAppender (all four
//     record interfaces, so it runs the libdns conformance suite, libdnstest);
//   - [Conditional]: a Provider with a per-RRset read (GetRRset) and an atomic
//     compare-and-set (SetRRsetIf), the optional interfaces xmppdns defines as
//     RRsetGetter and ConditionalSetter and the rfc2136 provider implements.
//
// # Semantics
//
// Zones are absolute ("example.test.") and must exist: they are named when
// the Provider is made ([New]) or added with [Provider.AddZone]. Record names
// are relative to the zone, "@" for the apex, and are stored in lower case; an
// empty or fully qualified (trailing dot) name is refused, as libdns calls it
// invalid. Data must parse as its type (libdns.RR.Parse), and reads return the
// typed structs (libdns.SRV, libdns.Address, ...), never libdns.RR. TTLs are
// truncated to whole seconds.
//
// SetRecords makes its input the whole RRset of each (name, type) it names
// and touches nothing else; it returns the records set. DeleteRecords deletes
// exact matches, an empty Type, TTL or Data matching anything, and returns
// only what it deleted. AppendRecords adds the records whose data is not
// present yet and returns them. SetRRsetIf changes an RRset only if it holds
// exactly the expected data (TTL ignored), else it returns a [ConflictError].
//
// # Partial failure
//
// Every call is atomic: it validates all its records before it changes
// anything, so a call that returns an error has changed nothing, and a call
// that succeeds has made all of its change. (A real provider may fail half
// way; the [Hooks] let a test make one call of a sequence fail.)
//
// # Concurrency
//
// Every method honours its context (a cancelled context fails the call before
// it takes effect) and is safe for concurrent use: calls are serialized, so
// each one sees the store as the previous one left it.
//
// # Test hooks
//
// [Provider.SetHooks] makes writes fail, lie (report success and store
// nothing) or run someone else's change between a caller's read and its
// write; [Provider.Calls] and [Provider.Writes] tell a test which calls were
// made. The package imports libdns only, never the code it helps to test.
package memdns
