package lynctest

import (
	"context"
	"fmt"
	"strings"
)

// session is the state of one powershell.exe process: the modules it has
// imported with -Global.
type session struct {
	d       *Deployment
	h       *Host
	modules map[string]bool // lower-case module names
	kill    func()          // terminates the process (FaultScriptCutOff)
}

// runCtx is the state of one inner script.
type runCtx struct {
	ctx     context.Context
	s       *session
	d       *Deployment
	h       *Host
	modules map[string]bool // modules imported without -Global: gone after the script
	vars    map[string]any  // variables the script assigned (lower-case names)
}

// errAborted is returned when the process was terminated mid-script; the
// script writes no frame.
var errAborted = &ErrorRecord{Type: "System.Management.Automation.PipelineStoppedException",
	FullyQualifiedErrorId: "PipelineStopped", Category: "OperationStopped"}

func (rc *runCtx) moduleLoaded() bool {
	m := strings.ToLower(rc.d.product.Module())
	return rc.s.modules[m] || rc.modules[m]
}

// runScript parses and runs an inner script: its output objects, or the
// error record of the first error (every error terminates: the frame sets
// $ErrorActionPreference = 'Stop').
func (s *session) runScript(ctx context.Context, src string) ([]any, *ErrorRecord) {
	sc, err := parseScript(src)
	if err != nil {
		return nil, parseErrorRecord(src, err.(*parseError))
	}
	rc := &runCtx{ctx: ctx, s: s, d: s.d, h: s.h, modules: map[string]bool{}}
	out, er := rc.statements(sc)
	if er != nil {
		return nil, er
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

func (rc *runCtx) statement(st *statement) ([]any, *ErrorRecord) {
	switch {
	case st.assign != nil:
		return nil, rc.assign(st.assign)
	case st.loop != nil:
		return rc.loop(st.loop)
	case st.cond != nil:
		return rc.ifStatement(st.cond)
	}
	vals, er := rc.pipeline(st.pipe)
	if er != nil {
		return nil, er
	}
	for _, m := range st.members {
		var cur any = vals
		if len(vals) == 1 {
			cur = vals[0]
		} else if strings.EqualFold(m, "Count") || strings.EqualFold(m, "Length") {
			vals = []any{int64(len(vals))}
			continue
		}
		vals = member(cur, m)
	}
	return vals, nil
}

func (rc *runCtx) pipeline(pl *pipeline) ([]any, *ErrorRecord) {
	objs, er := rc.command(pl.cmds[0])
	if er != nil {
		return nil, er
	}
	for _, c := range pl.cmds[1:] {
		// checkScript admits only Select-Object -Property <items> and
		// Where-Object -Property <p> -<op> -Value <v> here.
		if f, ok := whereShape(c); ok {
			objs = where(objs, f)
			continue
		}
		if objs, er = selectObject(objs, c.elems[1].value); er != nil {
			return nil, er
		}
	}
	return objs, nil
}

func (rc *runCtx) command(c *command) ([]any, *ErrorRecord) {
	def := rc.d.cmdlets[strings.ToLower(c.name)]
	if def == nil || def.run == nil || (def.lync && !rc.moduleLoaded()) {
		return nil, commandNotFound(c.name, "")
	}
	b, er := def.bind(c.elems)
	if er != nil {
		return nil, er
	}
	rc.d.record(rc.h, def.name, b)
	if f := rc.d.fire(rc.h.fqdn, "", def.name, "", FaultCmdletError, FaultHang); f != nil {
		if f.Kind == FaultHang {
			select {
			case <-rc.ctx.Done():
			case <-rc.d.closing:
			}
			return nil, errAborted
		}
		r := f.Record
		if r.Type == "" {
			r.Type = "System.InvalidOperationException"
		}
		if r.Message == "" {
			r.Message = "Injected fault."
		}
		if r.FullyQualifiedErrorId == "" {
			r.FullyQualifiedErrorId = "InjectedFault," + def.class
		}
		if r.Category == "" {
			r.Category = "InvalidOperation"
		}
		r.Cmdlet = def.name
		return nil, &r
	}
	return def.run(rc, b)
}

// selectObject is Select-Object -Property items.
func selectObject(in []any, items any) ([]any, *ErrorRecord) {
	list, ok := items.(list)
	if !ok {
		list = []any{items}
	}
	out := make([]any, 0, len(in))
	for _, obj := range in {
		o := &psObject{typeName: "Selected." + typeName(obj)}
		seen := map[string]bool{}
		for _, it := range list {
			var name string
			var val any
			switch x := it.(type) {
			case calcProp:
				var er *ErrorRecord
				name = x.name
				if val, er = castValue(property(obj, x.prop), x.cast); er != nil {
					return nil, er
				}
			default:
				name = valueText(x)
				if po, ok := obj.(*psObject); ok {
					for _, p := range po.props {
						if strings.EqualFold(p.name, name) {
							name = p.name
						}
					}
				}
				val = property(obj, name)
			}
			if seen[strings.ToLower(name)] {
				return nil, &ErrorRecord{Type: "System.Management.Automation.PSArgumentException",
					Message: fmt.Sprintf("The property cannot be processed because the property %q already exists.", name),
					FullyQualifiedErrorId: "AlreadyExistingUserSpecifiedPropertyNoExpand," +
						"Microsoft.PowerShell.Commands.SelectObjectCommand",
					Category: "InvalidOperation", Cmdlet: "Select-Object"}
			}
			seen[strings.ToLower(name)] = true
			o.props = append(o.props, psProp{name, val})
		}
		out = append(out, o)
	}
	return out, nil
}

// property is $_.name: $null when the object lacks it.
func property(obj any, name string) any {
	if po, ok := obj.(*psObject); ok {
		v, _ := po.get(name)
		return v
	}
	vals := member(obj, name)
	switch len(vals) {
	case 0:
		return nil
	case 1:
		return vals[0]
	}
	return vals
}

func typeName(v any) string {
	switch x := v.(type) {
	case *psObject:
		return x.typeName
	case string:
		return "System.String"
	}
	return "System.Object"
}
