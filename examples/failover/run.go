package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/journal"
	"github.com/xmppfed/edgefailover/failover/preflight"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// Exit codes.
const (
	exitOK           = 0
	exitFailed       = 1 // failed before changing anything (preflight, a refused resume)
	exitBadInput     = 2 // nothing was sent
	exitDeclined     = 3 // nothing was changed
	exitRolledBack   = 4 // failed, and every change was undone: the deployment is as before
	exitInconsistent = 5 // an undo failed, or the journal says a rollback is unfinished: run rollback
)

type options struct {
	sub      string // "", "inspect", "resume" or "rollback"
	config   string
	apply    bool
	yes      bool
	failback bool
	json     bool
	journal  string
	verbose  bool
}

const usage = `usage:
  failover -config FILE [-failback] [-json]                  print the plan (dry run)
  failover -config FILE -apply [-yes] [-failback] [-json]    apply it, keeping a journal
  failover resume   -config FILE [-failback] [-yes] [-json]  finish an interrupted apply from its journal
  failover rollback -config FILE [-failback] [-yes] [-json]  undo what the journal says was done
  failover inspect  -config FILE [-failback] [-json]         what the journal says, where each resource stands now, what to run

Fails XMPP federation over to the config's target pool (runbook steps 1-7 with
preflight, verification and rollback). Secrets come from the environment
variables the config names (credentials.password_env, dns_providers.*.secret_env,
dns_providers.*.kerberos.password_env) or a prompt; a config holding a secret in
clear is refused. The dry run ends with each zone's DNS guarantees. resume and
rollback take over a journal lock left by a dead process. See README.md.

Exit codes: 0 done; 1 failed before any change (preflight, or a journal
resume refuses); 2 bad input (nothing sent); 3 not confirmed (nothing
changed); 4 failed and rolled back cleanly (the deployment is as before);
5 inconsistent: an undo failed or a rollback is unfinished: clear the cause,
then run "failover rollback". inspect exits 0 when the journal's apply
ended and nothing is left to do, 5 when it needs resume or rollback.

flags:
`

func parseFlags(args []string, stderr io.Writer) (*options, int) {
	o := &options{}
	if len(args) > 0 && (args[0] == "resume" || args[0] == "rollback" || args[0] == "inspect") {
		o.sub, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("failover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.config, "config", "", "the JSON config `file` (required)")
	fs.BoolVar(&o.apply, "apply", false, "apply the plan (default: print it only)")
	fs.BoolVar(&o.yes, "yes", false, "do not ask for confirmation")
	fs.BoolVar(&o.failback, "failback", false, "fail back: swap target_pool/site with replaced_pool/replaced_site (computed from live state)")
	fs.BoolVar(&o.json, "json", false, "print the plan and report as JSON")
	fs.StringVar(&o.journal, "journal", "", "journal `file` (default: the config's \"journal\" member, or FILE.journal; with -failback, either with .failback appended)")
	fs.BoolVar(&o.verbose, "v", false, "log what the SDK reads and does (cmdlets, DNS, events) to stderr; secrets are redacted")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK
		}
		return nil, exitBadInput
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "failover: unexpected argument %q\n", fs.Arg(0))
	case o.config == "":
		fmt.Fprintln(stderr, "failover: -config is required")
	case o.sub == "inspect" && o.yes:
		fmt.Fprintln(stderr, "failover: inspect changes nothing: drop -yes")
	case o.sub != "" && o.apply:
		fmt.Fprintf(stderr, "failover: %s applies by itself: drop -apply\n", o.sub)
	default:
		return o, exitOK
	}
	fs.Usage()
	return nil, exitBadInput
}

func (a *app) run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := parseFlags(args, stderr)
	if o == nil {
		return code
	}
	err := a.do(ctx, o, stdout, stderr)
	var in *inputError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errDeclined):
		fmt.Fprintln(stderr, "failover: not confirmed: nothing was changed")
		return exitDeclined
	case errors.As(err, &in):
		fmt.Fprintf(stderr, "failover: bad input: %v\nnothing was sent.\n", err)
		return exitBadInput
	case errors.Is(err, errNeedsRecovery):
		fmt.Fprintf(stderr, "failover: %v\n", err)
		return exitInconsistent
	case errors.Is(err, failover.ErrRollingBack), errors.Is(err, journal.ErrIncomplete) && o.sub == "resume":
		fmt.Fprintf(stderr, "failover: %v\nthe deployment may be half-changed: run \"failover rollback -config %s\"\n", err, o.config)
		return exitInconsistent
	}
	var se *stateError
	switch {
	case errors.As(err, &se) && se.state == failover.StateRolledBack:
		fmt.Fprintf(stderr, "failover: %v\nevery change was undone: the deployment is as before.\n", err)
		return exitRolledBack
	case errors.As(err, &se) && se.state == failover.StateInconsistent:
		fmt.Fprintf(stderr, "failover: %v\nthe deployment is inconsistent: clear the cause of the failed undos, then run \"failover rollback -config %s\"\n", err, o.config)
		return exitInconsistent
	default:
		fmt.Fprintf(stderr, "failover: %v\n", err)
		var pe *preflight.Error
		if errors.As(err, &pe) {
			for _, f := range pe.Findings {
				fmt.Fprintf(stderr, "  %s\n", f)
			}
			fmt.Fprintln(stderr, "nothing was changed.")
		}
		return exitFailed
	}
}

var errDeclined = errors.New("not confirmed")

func (a *app) do(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	var fc fileConfig
	if err := setup.LoadJSON(o.config, &fc); err != nil {
		return &inputError{err}
	}
	jpath := o.journal
	if jpath == "" {
		jpath = fc.Journal
		if jpath == "" {
			jpath = o.config + ".journal"
		}
		if o.failback {
			jpath += ".failback"
		}
	}
	con := setup.NewConsole(a.stdin, stderr, a.env)
	lopts := winrm.Options{}
	var logger *slog.Logger
	if o.verbose {
		logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		lopts.Logger = logger
	}
	dep, err := build(ctx, &fc, con, lopts, o.failback)
	if err != nil {
		return err
	}
	defer dep.close()
	dep.cfg.Logger = logger
	ap := failover.ApplyOptions{Logger: logger}
	if !o.json {
		ap.Hooks.Event = progress(stdout)
	}
	if o.sub == "inspect" {
		return inspect(ctx, o, dep.cfg, jpath, stdout, stderr)
	}
	if o.sub != "" {
		return a.recover(ctx, o, con, dep.cfg, jpath, ap, stdout, stderr)
	}

	plan, err := failover.New(ctx, dep.cfg)
	if err != nil {
		return newError(err)
	}
	defer plan.Close()
	if o.json && !o.apply {
		return writeJSON(stdout, map[string]any{"plan": plan, "dns_guarantees": dep.zones})
	}
	if !o.json {
		fmt.Fprint(stdout, plan)
		writeGuarantees(stdout, dep.zones)
	}
	if !o.apply {
		if !o.json {
			fmt.Fprintln(stdout, "\ndry run: nothing was changed. Apply with -apply.")
		}
		return nil
	}
	if !plan.HasChanges() {
		if o.json {
			return writeJSON(stdout, map[string]any{"plan": plan})
		}
		fmt.Fprintln(stdout, "\nnothing to change: federation already runs on", dep.cfg.TargetPool)
		return nil
	}
	if !o.yes && !con.Confirm(ctx, fmt.Sprintf("\nApply %q now?", plan.Name)) {
		return errDeclined
	}
	j, err := openJournal(ctx, jpath, true, stderr)
	if err != nil {
		return err
	}
	defer j.Close()
	ap.Journal = j
	if !o.json {
		fmt.Fprintf(stdout, "\njournal: %s\n", jpath)
	}
	rep, err := plan.Apply(ctx, ap)
	return report(stdout, o.json, plan, rep, err, jpath)
}

// errNeedsRecovery: inspect found an apply that needs resume or rollback.
var errNeedsRecovery = errors.New("the journal's apply needs resume or rollback")

// inspect prints what the journal says and where each resource stands now,
// changing nothing.
func inspect(ctx context.Context, o *options, cfg failover.Config, jpath string, stdout, stderr io.Writer) error {
	j, err := openJournal(ctx, jpath, false, stderr)
	if err != nil {
		return err
	}
	defer j.Close()
	r, err := failover.Inspect(ctx, j, cfg)
	if err != nil {
		if errors.Is(err, failover.ErrInvalidConfig) {
			return &inputError{err}
		}
		return fmt.Errorf("inspect: %w", err)
	}
	if o.json {
		if err := writeJSON(stdout, r); err != nil {
			return err
		}
	} else {
		fmt.Fprint(stdout, r)
	}
	if r.Apply != failover.ApplyEnded || r.State == failover.StateInconsistent || r.Incomplete != "" {
		return fmt.Errorf("%w: %s", errNeedsRecovery, r.Next)
	}
	return nil
}

// recover runs resume or rollback from the journal.
func (a *app) recover(ctx context.Context, o *options, con *setup.Console, cfg failover.Config, jpath string, ap failover.ApplyOptions, stdout, stderr io.Writer) error {
	if !o.yes && !con.Confirm(ctx, fmt.Sprintf("%s the apply recorded in %s now?", o.sub, jpath)) {
		return errDeclined
	}
	j, err := openJournal(ctx, jpath, false, stderr)
	if err != nil {
		return err
	}
	defer j.Close()
	f := failover.Resume
	if o.sub == "rollback" {
		f = failover.Rollback
	}
	plan, rep, err := f(ctx, j, cfg, ap)
	if plan != nil {
		defer plan.Close()
	}
	if rep == nil {
		switch {
		case errors.Is(err, failover.ErrInvalidConfig):
			return &inputError{err}
		case errors.Is(err, journal.ErrEmpty) && o.sub == "rollback":
			fmt.Fprintf(stdout, "%s records no plan: the apply ended before it changed anything; nothing to roll back.\n", jpath)
			return nil
		case errors.Is(err, journal.ErrEmpty):
			return fmt.Errorf("%s: %w: the apply ended before it changed anything; move %s away and apply again", o.sub, err, jpath)
		}
		return fmt.Errorf("%s: %w", o.sub, err)
	}
	return report(stdout, o.json, plan, rep, err, jpath)
}
