package lynctest

import (
	"cmp"
	"fmt"
	"strings"
	"time"
)

// This file runs the wait constructs of parser_flow.go as PowerShell would:
// the condition is evaluated before every pass, -and short-circuits, the
// body's Start-Sleep really sleeps (ended early only when the process is
// terminated or the deployment closes), and [DateTime]::UtcNow is the
// host's clock.

// assign runs $name = <value>.
func (rc *runCtx) assign(a *assignment) *ErrorRecord {
	v, er := rc.operand(a.val)
	if er != nil {
		return er
	}
	if rc.vars == nil {
		rc.vars = map[string]any{}
	}
	rc.vars[a.name] = v
	return nil
}

// loop runs while (<cond>) { <body> } and returns what the body wrote.
func (rc *runCtx) loop(w *whileLoop) ([]any, *ErrorRecord) {
	var out []any
	for {
		if rc.ctx.Err() != nil {
			return nil, errAborted
		}
		ok, er := rc.condition(w.cond)
		if er != nil || !ok {
			return out, er
		}
		vals, er := rc.statements(w.body)
		if er != nil {
			return nil, er
		}
		out = append(out, vals...)
	}
}

// statements runs the statements of a script or loop body in order.
func (rc *runCtx) statements(sc *script) ([]any, *ErrorRecord) {
	var out []any
	for _, st := range sc.stmts {
		vals, er := rc.statement(st)
		if er != nil {
			return nil, er
		}
		out = append(out, vals...)
	}
	return out, nil
}

// condition evaluates comparisons joined by -and, left to right, stopping at
// the first false one.
func (rc *runCtx) condition(cs []comparison) (bool, *ErrorRecord) {
	for _, c := range cs {
		l, er := rc.operand(c.left)
		if er != nil {
			return false, er
		}
		r, er := rc.operand(c.right)
		if er != nil {
			return false, er
		}
		if !compare(l, r, c.op) {
			return false, nil
		}
	}
	return true, nil
}

// operand evaluates to a time.Time, an int64, or nil (a variable never set:
// PowerShell without strict mode reads it as $null).
func (rc *runCtx) operand(o operand) (any, *ErrorRecord) {
	switch o.kind {
	case oNow:
		return rc.d.now().Add(time.Duration(o.num) * time.Millisecond), nil
	case oVar:
		return rc.vars[o.name], nil
	case oInt:
		return o.num, nil
	case oCount:
		vals, er := rc.pipeline(o.count)
		if er != nil {
			return nil, er
		}
		return int64(len(vals)), nil
	}
	return nil, nil
}

// compare is PowerShell's -lt, -le, -gt, -ge, -eq, -ne on two dates or two
// numbers; $null sorts before any value and equals only $null.
func compare(l, r any, op string) bool {
	c := 0
	switch {
	case l == nil && r == nil:
	case l == nil:
		c = -1
	case r == nil:
		c = 1
	default:
		switch lv := l.(type) {
		case time.Time:
			c = lv.Compare(r.(time.Time))
		case int64:
			c = cmp.Compare(lv, r.(int64))
		}
	}
	switch op {
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "eq":
		return c == 0
	}
	return c != 0
}

// where is Where-Object -Property <p> -EQ|-NE|-In -Value <v>: the objects
// whose property compares as asked (strings and enum names without regard to
// case, as PowerShell converts the value to the property's type).
func where(in []any, f whereFilter) []any {
	var out []any
	for _, obj := range in {
		v := property(obj, f.prop)
		var hit bool
		switch f.op {
		case "eq":
			hit = psEqual(v, f.value)
		case "ne":
			hit = !psEqual(v, f.value)
		case "in":
			for _, w := range enumerate(f.value) {
				hit = hit || psEqual(v, w)
			}
		}
		if hit {
			out = append(out, obj)
		}
	}
	return out
}

// psEqual is -eq with the left side's type deciding the conversion.
func psEqual(v, want any) bool {
	switch x := v.(type) {
	case nil:
		return want == nil
	case bool:
		return x == toBool(want)
	case psEnum:
		if n, ok := want.(int64); ok {
			return int64(x.num) == n
		}
		return want != nil && strings.EqualFold(x.name, toString(want))
	case int64, int:
		return want != nil && toString(x) == toString(want)
	}
	return want != nil && strings.EqualFold(toString(v), toString(want))
}

// startSleep is Start-Sleep -Seconds|-Milliseconds: it waits that long,
// rounded up to the latency profile's timer granularity (scaled), unless the
// process is terminated first.
func startSleep(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	secs, hasS := b["Seconds"].(int64)
	msecs, hasM := b["Milliseconds"].(int64)
	switch {
	case hasS && hasM:
		return nil, bindingError(startSleepDef, "AmbiguousParameterSet", "InvalidArgument",
			"Parameter set cannot be resolved using the specified named parameters.")
	case !hasS && !hasM:
		return nil, bindingError(startSleepDef, "MissingMandatoryParameter", "InvalidArgument",
			"Cannot process command because of one or more missing mandatory parameters: Seconds.")
	}
	name, n, dur := "Milliseconds", msecs, time.Duration(msecs)*time.Millisecond
	if hasS {
		name, n, dur = "Seconds", secs, time.Duration(secs)*time.Second
	}
	if n < 0 {
		return nil, &ErrorRecord{Type: typeParamValidation,
			Message: fmt.Sprintf("Cannot validate argument on parameter '%s'. The %d argument is less than the minimum "+
				"allowed range of 0. Supply an argument that is greater than or equal to 0 and then try the command again.", name, n),
			FullyQualifiedErrorId: "ParameterArgumentValidationError," + startSleepDef.class,
			Category:              "InvalidData", Cmdlet: startSleepDef.name}
	}
	if rc.d.fire(rc.h.fqdn, "", startSleepDef.name, "", FaultScriptCutOff) != nil && rc.s.kill != nil {
		rc.s.kill()
		return nil, errAborted
	}
	if g := rc.d.delay(func(l Latency) time.Duration { return l.SleepGranularity }); g > 0 && dur%g != 0 {
		dur += g - dur%g
	}
	if !rc.d.sleep(rc.ctx, dur) {
		return nil, errAborted
	}
	return nil, nil
}

var startSleepDef = &cmdletDef{name: "Start-Sleep", class: "Microsoft.PowerShell.Commands.StartSleepCommand",
	params: []paramDef{{name: "Seconds", kind: pInt, position: 1}, {name: "Milliseconds", kind: pInt}}}

// startSleepCmdlet is Start-Sleep for the registry.
func startSleepCmdlet() *cmdletDef {
	c := *startSleepDef
	c.run = startSleep
	return &c
}

// now is the host clock: [DateTime]::UtcNow.
func (d *Deployment) now() time.Time { return time.Now().UTC() }
