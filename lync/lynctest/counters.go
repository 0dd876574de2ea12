package lynctest

// Counters are what one host (or the whole deployment) has served. All maps
// are fresh copies.
type Counters struct {
	// Requests counts authenticated WS-Man requests by action name
	// (ActionCreate, ...), including those answered with an injected fault.
	Requests map[string]int
	// Unauthorized counts requests refused with 401.
	Unauthorized int
	// Shells counts shells created.
	Shells int
	// ShellsDeleted counts shells ended by a client's Delete.
	ShellsDeleted int
	// ShellsExpired counts shells ended by the idle timeout
	// (Config.ShellIdleTimeout).
	ShellsExpired int
	// QuotaFaults counts Creates refused with w:QuotaLimit
	// (Config.MaxShellsPerUser).
	QuotaFaults int
	// OwnerFaults counts requests refused with "Access is denied." because
	// they named a shell another user created.
	OwnerFaults int
	// Processes counts powershell.exe (and cmd.exe) processes started.
	Processes int
	// ModuleImports counts imports of the Lync module that really loaded it
	// (not re-imports of an already loaded module).
	ModuleImports int
	// Scripts counts frame lines run (docs/wire.md §2).
	Scripts int
	// Cmdlets counts cmdlet invocations by cmdlet name.
	Cmdlets map[string]int
	// Auth counts logins and message encryption.
	Auth AuthCounters
}

// Total returns the number of WS-Man requests of every action.
func (c Counters) Total() int {
	n := 0
	for _, v := range c.Requests {
		n += v
	}
	return n
}

func newCounters() Counters {
	return Counters{Requests: map[string]int{}, Cmdlets: map[string]int{}}
}

func (c Counters) clone() Counters {
	out := c
	out.Requests = make(map[string]int, len(c.Requests))
	for k, v := range c.Requests {
		out.Requests[k] = v
	}
	out.Cmdlets = make(map[string]int, len(c.Cmdlets))
	for k, v := range c.Cmdlets {
		out.Cmdlets[k] = v
	}
	return out
}

func (c *Counters) add(o Counters) {
	for k, v := range o.Requests {
		c.Requests[k] += v
	}
	for k, v := range o.Cmdlets {
		c.Cmdlets[k] += v
	}
	c.Unauthorized += o.Unauthorized
	c.Shells += o.Shells
	c.ShellsDeleted += o.ShellsDeleted
	c.ShellsExpired += o.ShellsExpired
	c.QuotaFaults += o.QuotaFaults
	c.OwnerFaults += o.OwnerFaults
	c.Processes += o.Processes
	c.ModuleImports += o.ModuleImports
	c.Scripts += o.Scripts
	c.Auth.add(o.Auth)
}

// count applies f to the counters of host h under the deployment lock.
func (d *Deployment) count(h *Host, f func(c *Counters)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(&h.counters)
}

// Counters returns the counters of every host added together.
func (d *Deployment) Counters() Counters {
	d.mu.Lock()
	defer d.mu.Unlock()
	sum := newCounters()
	for _, h := range d.hosts {
		sum.add(h.counters)
	}
	return sum
}

// Counters returns the counters of this host.
func (h *Host) Counters() Counters {
	h.d.mu.Lock()
	defer h.d.mu.Unlock()
	return h.counters.clone()
}

// ResetCounters sets every counter of every host to zero.
func (d *Deployment) ResetCounters() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, h := range d.hosts {
		h.counters = newCounters()
	}
}
