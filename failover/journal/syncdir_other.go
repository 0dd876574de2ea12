//go:build !unix

package journal

// syncDir does nothing where a directory cannot be synced (Windows: NTFS
// journals its metadata, and os.File.Sync of a directory fails there).
func syncDir(string) error { return nil }
