package lynctest

import (
	"errors"
	"fmt"
	"strings"
)

// WS-Man actions, by the last segment of their Action URI. Fault.Action and
// Counters.Requests use these names.
const (
	ActionCreate  = "Create"
	ActionCommand = "Command"
	ActionSend    = "Send"
	ActionReceive = "Receive"
	ActionSignal  = "Signal"
	ActionDelete  = "Delete"
)

// FaultKind is what an injected fault does.
type FaultKind int

const (
	// FaultSOAP answers the request with HTTP 500 and a SOAP fault
	// (s:Receiver, w:InternalError, WSManFault code 2147500037).
	FaultSOAP FaultKind = iota + 1
	// FaultUnauthorized answers HTTP 401 as if the credentials were wrong.
	FaultUnauthorized
	// FaultReset closes the connection with a TCP reset instead of answering.
	FaultReset
	// FaultHang never answers: the request (or, with Cmdlet set, the script)
	// waits until the client gives up or the deployment closes.
	FaultHang
	// FaultTimedOut answers a Receive at once with the w:TimedOut fault, even
	// when output is waiting (the output stays queued).
	FaultTimedOut
	// FaultRefuse makes DialContext refuse connections to the host.
	FaultRefuse
	// FaultCmdletError makes the cmdlet named by Cmdlet throw Record.
	FaultCmdletError
	// FaultPersistentExit makes `powershell.exe ... -Command -` exit at once
	// with exit code 1 and an error on stderr, so that a client falls back to
	// one -EncodedCommand process per script.
	FaultPersistentExit
	// FaultServiceWontStop keeps the service named by Service (every Lync
	// service if empty) in StopPending: a blocking stop fails.
	FaultServiceWontStop
	// FaultServiceWontStart sends the service back to Stopped after
	// StartPending: a blocking start fails.
	FaultServiceWontStart
	// FaultReplicationStuck keeps the host's CMS replica out of date.
	FaultReplicationStuck
	// FaultNoise writes noise to stdout before each result line of a frame
	// (docs/wire.md §3): a WARNING line and the stale result line of another
	// marker. A client must skip both.
	FaultNoise
	// FaultScriptCutOff terminates the powershell.exe process of a script
	// when the script first calls Start-Sleep, as a host that cuts long
	// scripts off would (a watchdog, an endpoint's time limit): the script
	// writes no result and the process exits.
	FaultScriptCutOff
)

// Fault is one injected fault. Zero fields match everything: a Fault with only
// Kind set applies to every host and every request it can apply to.
type Fault struct {
	Kind FaultKind
	// Host is the FQDN the fault applies to ("" = every host).
	Host string
	// Action restricts FaultSOAP, FaultUnauthorized, FaultReset and FaultHang
	// to one WS-Man action (ActionReceive, ...).
	Action string
	// Cmdlet names the cmdlet for FaultCmdletError, or for FaultHang to hang
	// the script at that cmdlet instead of a request.
	Cmdlet string
	// Service is the short service name for FaultServiceWontStop/Start.
	Service string
	// Nth, if positive, fires the fault only on the Nth matching call
	// (1-based); 0 fires it on every matching call.
	Nth int
	// Record is the error FaultCmdletError throws. Zero fields default to a
	// System.InvalidOperationException "Injected fault." with
	// FullyQualifiedErrorId "InjectedFault,<cmdlet class>", Category
	// InvalidOperation.
	Record ErrorRecord
}

// ErrBadFault is returned (wrapped) by Inject for a fault that cannot apply.
var ErrBadFault = errors.New("lynctest: invalid fault")

type activeFault struct {
	Fault
	id    int
	calls int
}

func (f Fault) validate() error {
	bad := func(why string) error { return fmt.Errorf("%w: %s", ErrBadFault, why) }
	switch f.Kind {
	case FaultSOAP, FaultUnauthorized, FaultReset:
		if f.Cmdlet != "" {
			return bad("HTTP-level faults apply to WS-Man actions, not cmdlets")
		}
	case FaultHang, FaultTimedOut, FaultRefuse, FaultPersistentExit, FaultNoise,
		FaultServiceWontStop, FaultServiceWontStart, FaultReplicationStuck, FaultScriptCutOff:
	case FaultCmdletError:
		if f.Cmdlet == "" {
			return bad("FaultCmdletError needs Cmdlet")
		}
	default:
		return bad(fmt.Sprintf("unknown kind %d", f.Kind))
	}
	if f.Kind == FaultTimedOut && f.Action != "" && f.Action != ActionReceive {
		return bad("FaultTimedOut applies to Receive only")
	}
	if f.Nth < 0 {
		return bad("Nth must not be negative")
	}
	return nil
}

// Inject adds a fault and returns a function that removes it. Faults are
// checked in the order they were added; the first that fires wins.
func (d *Deployment) Inject(f Fault) (remove func(), err error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	f.Host = strings.ToLower(strings.TrimSuffix(f.Host, "."))
	d.mu.Lock()
	defer d.mu.Unlock()
	d.faultSeq++
	id := d.faultSeq
	d.faults = append(d.faults, &activeFault{Fault: f, id: id})
	return func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		for i, af := range d.faults {
			if af.id == id {
				d.faults = append(d.faults[:i], d.faults[i+1:]...)
				d.recheckReplicasLocked()
				return
			}
		}
	}, nil
}

// ClearFaults removes every injected fault.
func (d *Deployment) ClearFaults() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.faults = nil
	d.recheckReplicasLocked()
}

// fire returns the first fault of one of kinds that matches and fires now,
// counting the call for every matching fault. Call with d.mu held.
func (d *Deployment) fireLocked(host, action, cmdlet, service string, kinds ...FaultKind) *Fault {
	var hit *Fault
	for _, af := range d.faults {
		if !kindIn(af.Kind, kinds) || (af.Host != "" && af.Host != host) {
			continue
		}
		if af.Action != "" && !strings.EqualFold(af.Action, action) {
			continue
		}
		if af.Cmdlet != "" && !strings.EqualFold(af.Cmdlet, cmdlet) {
			continue
		}
		if (af.Kind == FaultHang) && (af.Cmdlet == "") != (cmdlet == "") {
			continue
		}
		if af.Service != "" && !strings.EqualFold(af.Service, service) {
			continue
		}
		af.calls++
		if hit == nil && (af.Nth == 0 || af.calls == af.Nth) {
			f := af.Fault
			hit = &f
		}
	}
	return hit
}

func (d *Deployment) fire(host, action, cmdlet, service string, kinds ...FaultKind) *Fault {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.fireLocked(host, action, cmdlet, service, kinds...)
}

func kindIn(k FaultKind, ks []FaultKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// String returns the kind's name, e.g. "FaultSOAP".
func (k FaultKind) String() string {
	names := [...]string{"", "FaultSOAP", "FaultUnauthorized", "FaultReset", "FaultHang", "FaultTimedOut",
		"FaultRefuse", "FaultCmdletError", "FaultPersistentExit", "FaultServiceWontStop",
		"FaultServiceWontStart", "FaultReplicationStuck", "FaultNoise", "FaultScriptCutOff"}
	if k > 0 && int(k) < len(names) {
		return names[k]
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}
