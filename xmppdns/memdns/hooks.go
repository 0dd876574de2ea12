package memdns

import "github.com/libdns/libdns"

// Hooks make a Provider misbehave on purpose, to test how its caller copes.
// The zero value is a well-behaved provider.
type Hooks struct {
	// Lie makes writes report success without storing anything.
	Lie bool
	// BeforeWrite runs inside every write (SetRecords, DeleteRecords,
	// AppendRecords, SetRRsetIf) once it is validated and before it takes
	// effect, to simulate someone else's change between a caller's read and
	// its write. put stores records in the written zone as Put does; the
	// hook must not call the Provider's methods (the store is locked).
	BeforeWrite func(put func(recs ...libdns.Record))
	// FailWrites, when not nil, is returned by every write, which then
	// changes nothing.
	FailWrites error
	// FailOn fails a call it returns an error for, before the call changes
	// anything. method is the name of the method called, one of "ListZones",
	// "GetRecords", "SetRecords", "DeleteRecords", "AppendRecords"
	// (Appender), "GetRRset" and "SetRRsetIf" (Conditional); each call of a
	// method fires FailOn once, under its own name only. rtype is the RRset
	// type for GetRRset and SetRRsetIf, else "".
	FailOn func(method, rtype string) error
}

// SetHooks replaces the Provider's hooks (Hooks{} removes them).
func (p *Provider) SetHooks(h Hooks) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hooks = h
}

// Calls returns how many times method was called, by the names FailOn
// sees ("GetRecords", "GetRRset", "SetRecords", ...), counting calls that
// failed.
func (p *Provider) Calls(method string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[method]
}

// Writes returns the writes made so far, in order, as method names, with
// the RRset type for SetRRsetIf ("SetRecords", "SetRRsetIf AAAA"); writes
// that failed are included.
func (p *Provider) Writes() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.order...)
}
