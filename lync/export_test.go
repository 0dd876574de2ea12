package lync

// HostWaitFallback returns why c polls instead of waiting on the host, or nil.
func HostWaitFallback(c *Client) error {
	c.waits.mu.Lock()
	defer c.waits.mu.Unlock()
	if c.waits.fallback == nil {
		return nil
	}
	return c.waits.fallback
}

// HostWaitReason returns the reason of a fallback error from HostWaitFallback.
func HostWaitReason(err error) string { return err.(*hostWaitError).Reason }

// Reasons a client polls.
const (
	WaitRefused = waitRefused
	WaitCutOff  = waitCutOff
)

// MaxShortWaits is how many wait scripts may end early before a wait polls.
const MaxShortWaits = maxShortWaits
