package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xmppfed/edgefailover/examples/internal/labfaults"
	"github.com/xmppfed/edgefailover/examples/internal/labfiles"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailed   = 1
	exitBadInput = 2
)

// defaultScale makes the realistic profile last a few seconds per apply:
// long enough to kill -9 a failover in the middle, short enough for a
// rehearsal under a minute.
const defaultScale = 0.5

type faultList []string

func (f *faultList) String() string { return strings.Join(*f, ",") }
func (f *faultList) Set(s string) error {
	if !labfaults.Known(s) {
		return fmt.Errorf("unknown fault %q: use one of %s", s, strings.Join(labfaults.Names(), ", "))
	}
	*f = append(*f, s)
	return nil
}

type options struct {
	dir        string
	servers    int
	latency    string
	scale      float64
	killSource bool
	faults     faultList
	cmd        []string // a subcommand and its argument
}

const usage = `usage:
  lab [-dir DIR] [-servers N] [-latency realistic|none] [-scale F] [-kill-source] [-fault NAME]...
  lab [-dir DIR] kill-source | recover-source | fault NAME | clear | status

Starts a simulated Lync/SfB deployment on 127.0.0.1 (WinRM over HTTPS,
three name servers, XMPP listeners) and writes into DIR the files that
point the real programs at it: failover.json and prepare-dr.json (-config),
check.args (flags of examples/check), the CA files, and env.sh with the
secrets as environment variables. Stays up until interrupted (Ctrl-C).

From a second terminal, the subcommands break or mend the running lab
through DIR/control.json:
  kill-source     stop every Lync service of the source pool (an outage)
  recover-source  start them again
  fault NAME      inject a fault (list below)
  clear           end every injected fault
  status          print the routes, the listeners and the federation A record

Exit codes: 0 stopped by an interrupt, or subcommand done; 1 the lab could
not start, or a subcommand failed; 2 bad flags.

flags:
`

func parseFlags(args []string, stderr io.Writer) (*options, int) {
	fs := flag.NewFlagSet("lab", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.dir, "dir", "lab", "`directory` of the files the lab writes (and of control.json for subcommands)")
	fs.IntVar(&o.servers, "servers", 2, "Edge servers per pool")
	fs.StringVar(&o.latency, "latency", "realistic", "latency `profile`: realistic (process start 1s, module import 3s, service stop 5s, start 8s, replication 10s, times -scale) or none")
	fs.Float64Var(&o.scale, "scale", defaultScale, "multiplier of the realistic profile's durations (1 = real time)")
	fs.BoolVar(&o.killSource, "kill-source", false, "start with the source pool "+failovertest.SourcePool+" dead (every Lync service stopped)")
	fs.Var(&o.faults, "fault", "inject the `fault` at start (repeatable; list below)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nfaults (-fault, fault NAME):\n%s", labfaults.Help())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK
		}
		return nil, exitBadInput
	}
	bad := func(format string, a ...any) (*options, int) {
		fmt.Fprintf(stderr, "lab: "+format+"\n", a...)
		fs.Usage()
		return nil, exitBadInput
	}
	o.cmd = fs.Args()
	switch {
	case o.servers < 1 || o.servers > failovertest.MaxServersPerPool:
		return bad("-servers must be 1 to %d", failovertest.MaxServersPerPool)
	case o.latency != "realistic" && o.latency != "none":
		return bad("-latency must be realistic or none, not %q", o.latency)
	case o.scale <= 0:
		return bad("-scale must be positive")
	case o.dir == "":
		return bad("-dir must not be empty")
	}
	if len(o.cmd) == 0 {
		return o, exitOK
	}
	want := map[string]int{"kill-source": 1, "recover-source": 1, "fault": 2, "clear": 1, "status": 1}
	n, ok := want[o.cmd[0]]
	switch {
	case !ok:
		return bad("unknown subcommand %q", o.cmd[0])
	case len(o.cmd) != n:
		return bad("%s takes %d argument(s)", o.cmd[0], n-1)
	case o.cmd[0] == "fault" && !labfaults.Known(o.cmd[1]):
		return bad("unknown fault %q: use one of %s", o.cmd[1], strings.Join(labfaults.Names(), ", "))
	}
	return o, exitOK
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := parseFlags(args, stderr)
	if o == nil {
		return code
	}
	if len(o.cmd) > 0 {
		out, err := command(ctx, o.dir, o.cmd)
		if err != nil {
			fmt.Fprintf(stderr, "lab: %s: %v\n", o.cmd[0], err)
			return exitFailed
		}
		fmt.Fprint(stdout, out)
		return exitOK
	}
	if err := serve(ctx, o, stdout); err != nil {
		fmt.Fprintf(stderr, "lab: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// serve starts the lab, writes the files, and stays up until ctx ends.
func serve(ctx context.Context, o *options, stdout io.Writer) error {
	opts := failovertest.Options{ServersPerPool: o.servers}
	if o.latency == "realistic" {
		opts.Latency = labfaults.Realistic(o.scale)
	}
	lab, err := failovertest.New(opts)
	if err != nil {
		return err
	}
	defer lab.Close()
	if o.killSource {
		if err := lab.FailPool(failovertest.SourcePool); err != nil {
			return fmt.Errorf("killing the source pool: %w", err)
		}
	}
	for _, f := range o.faults {
		if err := labfaults.Inject(lab, f); err != nil {
			return err
		}
	}
	files, err := labfiles.Write(o.dir, lab.Endpoints())
	if err != nil {
		return fmt.Errorf("writing the files: %w", err)
	}
	ctl, err := startControl(lab, filepath.Join(files.Dir, controlFile))
	if err != nil {
		return err
	}
	defer ctl.close()
	printGuide(stdout, o, files)
	<-ctx.Done()
	fmt.Fprintln(stdout, "lab: interrupted: stopping")
	return nil
}

func printGuide(w io.Writer, o *options, f *labfiles.Files) {
	rel := func(p string) string {
		if wd, err := os.Getwd(); err == nil {
			if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
				return r
			}
		}
		return p
	}
	state := "both pools healthy, federation on " + failovertest.SourcePool
	if o.killSource {
		state = failovertest.SourcePool + " dead (every Lync service stopped)"
	}
	fmt.Fprintf(w, "lab: up on 127.0.0.1: %s; faults: %s\n", state, orNone(o.faults.String()))
	fmt.Fprintf(w, "lab: files in %s (the lab changes ports, password and key at every start)\n\n", rel(f.Dir))
	fmt.Fprintf(w, "In another terminal:\n")
	fmt.Fprintf(w, "  . %s                 # the secrets, as environment variables\n", rel(f.EnvFile))
	fmt.Fprintf(w, "  go run ./examples/check $(cat %s)\n", rel(f.Check))
	fmt.Fprintf(w, "  go run ./examples/failover -config %s            # dry run\n", rel(f.Failover))
	fmt.Fprintf(w, "  go run ./examples/failover -config %s -apply -yes\n", rel(f.Failover))
	fmt.Fprintf(w, "  go run ./examples/failover resume -config %s -yes   # or rollback, after a kill -9\n", rel(f.Failover))
	fmt.Fprintf(w, "  go run ./examples/prepare-dr -config %s\n", rel(f.PrepareDR))
	fmt.Fprintf(w, "  go run ./examples/lab -dir %s kill-source | recover-source | fault NAME | clear | status\n\n", rel(f.Dir))
	fmt.Fprintf(w, "Secrets (also in %s):\n", rel(f.EnvFile))
	for _, k := range []string{labfiles.PasswordEnv, labfiles.TSIGEnv} {
		fmt.Fprintf(w, "  export %s='%s'\n", k, f.Env[k])
	}
	fmt.Fprintln(w, "\nlab: ready; Ctrl-C stops it")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
