package lynctest

import (
	"fmt"
	"strings"
	"time"
)

// shell is one WinRS shell of a host.
type shell struct {
	id       string
	owner    string // the user who created it: the quota counts per user
	procs    map[string]*process
	lastUsed time.Time // end of the last request on the shell
	active   int       // requests on the shell being served (a held Receive counts)
}

// createShell opens a shell for user, or returns nil and the quota when
// user already has MaxShellsPerUser shells on the host. Shells past their
// idle timeout are ended first, so that they no longer count.
func (h *Host) createShell(user string) (*shell, int) {
	d := h.d
	d.mu.Lock()
	expired := h.expireLocked(time.Now())
	n := 0
	for _, sh := range h.shells {
		if sh.owner == user {
			n++
		}
	}
	var sh *shell
	if n >= d.maxShells {
		h.counters.QuotaFaults++
	} else {
		sh = &shell{id: newUUID(), owner: user, procs: map[string]*process{}, lastUsed: time.Now()}
		h.shells[sh.id] = sh
		h.counters.Shells++
	}
	d.mu.Unlock()
	endShells(expired)
	return sh, d.maxShells
}

// useShell finds the shell a request of user names and marks it busy until
// doneWithShell; nil when there is none (never created, deleted, dropped or
// past its idle timeout). A shell another user created is not used: other
// is true, the shell is left as it was (its idle time keeps running) and
// the request gets faultOtherUser.
func (h *Host) useShell(id, user string) (sh *shell, other bool) {
	h.d.mu.Lock()
	expired := h.expireLocked(time.Now())
	sh = h.shells[id]
	switch {
	case sh == nil:
	case !strings.EqualFold(sh.owner, user):
		sh, other = nil, true
		h.counters.OwnerFaults++
	default:
		sh.active++
	}
	h.d.mu.Unlock()
	endShells(expired)
	return sh, other
}

// doneWithShell ends a request on sh: its idle time starts now.
func (h *Host) doneWithShell(sh *shell) {
	h.d.mu.Lock()
	defer h.d.mu.Unlock()
	sh.active--
	sh.lastUsed = time.Now()
}

// deleteShell ends sh and its processes (WS-Transfer Delete).
func (h *Host) deleteShell(sh *shell) {
	h.d.mu.Lock()
	_, open := h.shells[sh.id]
	delete(h.shells, sh.id)
	if open {
		h.counters.ShellsDeleted++
	}
	h.d.mu.Unlock()
	endShells([]*shell{sh})
}

// expireLocked removes the shells idle for longer than the idle timeout and
// returns them, for endShells. Call with d.mu held.
func (h *Host) expireLocked(now time.Time) []*shell {
	idle := h.d.idleTimeout
	var out []*shell
	for id, sh := range h.shells {
		if sh.active == 0 && now.Sub(sh.lastUsed) > idle {
			delete(h.shells, id)
			h.counters.ShellsExpired++
			out = append(out, sh)
		}
	}
	return out
}

// endShells ends the processes of shells already removed from their host.
// Call without d.mu held.
func endShells(shells []*shell) {
	for _, sh := range shells {
		for _, p := range sh.procs {
			p.cancel()
		}
	}
}

// ShellCount returns the number of open shells on the host, of every user,
// after ending those past their idle timeout.
func (h *Host) ShellCount() int {
	h.d.mu.Lock()
	expired := h.expireLocked(time.Now())
	n := len(h.shells)
	h.d.mu.Unlock()
	endShells(expired)
	return n
}

// DropShells ends every shell of the host and the processes in them, as a
// restart of the WinRM service would: later requests on those shells get
// the w:InvalidSelectors fault ("shell was not found"). It returns the
// number of shells dropped.
func (h *Host) DropShells() int {
	h.d.mu.Lock()
	shells := h.shells
	h.shells = map[string]*shell{}
	h.d.mu.Unlock()
	all := make([]*shell, 0, len(shells))
	for _, sh := range shells {
		all = append(all, sh)
	}
	endShells(all)
	return len(all)
}

// xsDuration renders d as the xs:duration Windows writes, e.g. "PT7200.000S".
func xsDuration(d time.Duration) string {
	return fmt.Sprintf("PT%d.%03dS", d/time.Second, (d%time.Second)/time.Millisecond)
}
