package failover

import "time"

// Defaults and limits.
const (
	// DefaultConcurrency is ApplyOptions.Concurrency's default.
	DefaultConcurrency = 8
	// DefaultUndoTimeout is ApplyOptions.UndoTimeout's default.
	DefaultUndoTimeout = 10 * time.Minute
	// CacheAdviceAbove is the old TTL above which a plan advises lowering
	// TTLs ahead of time or the prioritized SRV policy (CacheBound.Advice).
	CacheAdviceAbove = 300 * time.Second
	// MaxTTL is the largest TTL a record may have (RFC 2181 §8: 2^31 - 1
	// seconds).
	MaxTTL = (1<<31 - 1) * time.Second
)
