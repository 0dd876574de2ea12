//go:build unix

package journal

import (
	"errors"
	"os"
)

// syncDir makes the names of the files created in dir durable (fsync of the
// directory, as a file's own fsync does not).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	return errors.Join(err, d.Close())
}
