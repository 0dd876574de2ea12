package setup

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ErrNoSecret is returned when a secret is neither in its environment
// variable nor available from a prompt.
var ErrNoSecret = errors.New("secret not available")

// Env looks up an environment variable (os.LookupEnv in programs, a map in
// tests).
type Env func(name string) (string, bool)

// Console asks the operator for secrets and confirmations, one prompt at a
// time (it is not safe for concurrent use). On a terminal (any OS),
// secrets are read with echo off; otherwise one line is read from In (a
// pipe: `printf '%s\n' "$PASS" | prog ...`), and an empty one (/dev/null,
// cron, systemd, CI) is an ErrNoSecret error naming the environment
// variable to set.
type Console struct {
	In  io.Reader // os.Stdin in programs
	Out io.Writer // where prompts go (stderr)
	Env Env

	r         *bufio.Reader
	abandoned bool // a read was left pending by an interrupt
}

// NewConsole returns a console reading in, prompting on out.
func NewConsole(in io.Reader, out io.Writer, env Env) *Console {
	return &Console{In: in, Out: out, Env: env}
}

// terminal reports whether In is a terminal.
func (c *Console) terminal() (*os.File, bool) {
	f, ok := c.In.(*os.File)
	return f, ok && isTerminal(f)
}

func (c *Console) line(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if c.abandoned {
		return "", errAbandoned
	}
	if c.r == nil {
		c.r = bufio.NewReader(c.In)
	}
	s, err := await(ctx, func() (string, error) {
		s, err := c.r.ReadString('\n')
		if err != nil && (s == "" || !errors.Is(err, io.EOF)) {
			return "", err
		}
		return strings.TrimRight(s, "\r\n"), nil
	})
	if err != nil && ctx.Err() != nil {
		c.abandoned = true // a read is still pending on c.r: never start another
	}
	return s, err
}

var errAbandoned = errors.New("input abandoned after an interrupt")

// await runs read in a goroutine and returns its result, or ctx's error as
// soon as ctx ends (an interrupt at a prompt): the read is then abandoned,
// which is fine for a program that is about to exit.
func await(ctx context.Context, read func() (string, error)) (string, error) {
	type answer struct {
		s   string
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		s, err := read()
		ch <- answer{s, err}
	}()
	select {
	case a := <-ch:
		return a.s, a.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Secret returns the value of the environment variable env when it is set,
// otherwise prompts for it (what is the secret's description, e.g. "WinRM
// password for CONTOSO\lyncadmin"). An empty answer is ErrNoSecret.
func (c *Console) Secret(ctx context.Context, env, what string) (string, error) {
	if env != "" && c.Env != nil {
		if v, ok := c.Env(env); ok && v != "" {
			return v, nil
		}
	}
	if c.In == nil {
		return "", fmt.Errorf("%s: set the environment variable %s: %w", what, env, ErrNoSecret)
	}
	fmt.Fprintf(c.Out, "%s (environment variable %s is not set): ", what, env)
	var s string
	var err error
	if f, ok := c.terminal(); ok {
		s, err = readHidden(ctx, f)
		fmt.Fprintln(c.Out)
	} else {
		s, err = c.line(ctx)
	}
	if errors.Is(err, io.EOF) {
		s, err = "", nil // no line at all (/dev/null): the same as an empty one
	}
	if err != nil {
		return "", fmt.Errorf("%s: reading it: %w: %w", what, err, ErrNoSecret)
	}
	if s == "" {
		return "", fmt.Errorf("%s: set the environment variable %s (stdin gave no answer): %w", what, env, ErrNoSecret)
	}
	return s, nil
}

// Confirm asks a yes/no question; only "yes" (or "y") confirms. An ended
// ctx (an interrupt) is a no.
func (c *Console) Confirm(ctx context.Context, question string) bool {
	if c.In == nil {
		return false
	}
	fmt.Fprintf(c.Out, "%s [yes/no]: ", question)
	s, err := c.line(ctx)
	if err != nil {
		return false
	}
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "yes" || s == "y"
}
