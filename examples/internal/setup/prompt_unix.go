//go:build unix

package setup

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
)

// readHidden reads a line from the terminal f with echo turned off by
// stty(1) (the examples add no dependency such as golang.org/x/term), and
// turns echo back on whatever happens, an interrupt (ctx) included.
func readHidden(ctx context.Context, f *os.File) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	stty := func(arg string) error {
		cmd := exec.Command("stty", arg)
		cmd.Stdin = f
		return cmd.Run()
	}
	if err := stty("-echo"); err != nil {
		return "", err
	}
	defer stty("echo")
	return await(ctx, func() (string, error) {
		s, err := bufio.NewReader(f).ReadString('\n')
		return strings.TrimRight(s, "\r\n"), err
	})
}
