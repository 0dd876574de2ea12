package lynctest

import (
	"fmt"
	"strings"
)

const classServicePrefix = "Microsoft.Rtc.Management.Deployment.Core."

var (
	getServiceDef   = &cmdletDef{name: "Get-CsWindowsService", class: classServicePrefix + "GetCsWindowsServiceCmdlet"}
	startServiceDef = &cmdletDef{name: "Start-CsWindowsService", class: classServicePrefix + "StartCsWindowsServiceCmdlet"}
	stopServiceDef  = &cmdletDef{name: "Stop-CsWindowsService", class: classServicePrefix + "StopCsWindowsServiceCmdlet"}
)

func serviceCmdlets() []*cmdletDef {
	target := []paramDef{{name: "Name", kind: pString, position: 1}, {name: "ComputerName", kind: pString}}
	get := *getServiceDef
	get.lync, get.run = true, getWindowsService
	get.params = append(append([]paramDef(nil), target...), paramDef{name: "ExcludeActivityLevel", kind: pSwitch},
		paramDef{name: "Report", kind: pString})
	start := *startServiceDef
	start.lync, start.shouldProcess = true, true
	start.run = func(rc *runCtx, b bound) ([]any, *ErrorRecord) { return changeServices(rc, b, startServiceDef, false) }
	start.params = append(append([]paramDef(nil), target...), paramDef{name: "NoWait", kind: pSwitch},
		paramDef{name: "Force", kind: pSwitch}, paramDef{name: "Report", kind: pString})
	stop := *stopServiceDef
	stop.lync, stop.shouldProcess = true, true
	stop.run = func(rc *runCtx, b bound) ([]any, *ErrorRecord) { return changeServices(rc, b, stopServiceDef, true) }
	stop.params = append(append([]paramDef(nil), target...), paramDef{name: "Graceful", kind: pSwitch},
		paramDef{name: "NoWait", kind: pSwitch}, paramDef{name: "Force", kind: pSwitch},
		paramDef{name: "Report", kind: pString}, paramDef{name: "LeaveClsAgentRunning", kind: pSwitch})
	return []*cmdletDef{&get, &start, &stop}
}

// targetServices resolves -ComputerName and -Name to a host and its
// services. Call with d.mu held.
func (rc *runCtx) targetServices(b bound, c *cmdletDef) (*Host, []*serviceState, *ErrorRecord) {
	h := rc.h
	if b.has("ComputerName") {
		h = rc.d.hostByName[normFQDN(b.str("ComputerName"))]
		if h == nil {
			return nil, nil, notFound(c, "computer", b.str("ComputerName"))
		}
	}
	if !b.has("Name") {
		return h, h.services, nil
	}
	s := h.service(b.str("Name"))
	if s == nil {
		return nil, nil, &ErrorRecord{Type: "System.InvalidOperationException",
			Message:               fmt.Sprintf("Cannot find service %q on computer %q.", b.str("Name"), h.fqdn),
			FullyQualifiedErrorId: "ServiceNotFound," + c.class, Category: "ObjectNotFound", Cmdlet: c.name}
	}
	return h, []*serviceState{s}, nil
}

func getWindowsService(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	d := rc.d
	d.mu.Lock()
	defer d.mu.Unlock()
	_, svcs, er := rc.targetServices(b, getServiceDef)
	if er != nil {
		return nil, er
	}
	var out []any
	for _, s := range svcs {
		var activity any = "Incoming Requests per Second=0,Messages in processing=0"
		if b.sw("ExcludeActivityLevel") || s.status != Running {
			activity = nil
		}
		out = append(out, newObject("Microsoft.Rtc.Management.Deployment.Core.NTService",
			"Name", s.name, "Status", psEnum{s.status.String(), int(s.status)}, "ActivityLevel", activity,
			"DisplayName", s.display, "RoleName", s.roleName))
	}
	return out, nil
}

// changeServices is Start-/Stop-CsWindowsService: all Lync services of the
// target host unless -Name; -NoWait returns while they are pending; without
// it the cmdlet waits and fails if a service did not reach the target state.
func changeServices(rc *runCtx, b bound, c *cmdletDef, stop bool) ([]any, *ErrorRecord) {
	d := rc.d
	d.mu.Lock()
	h, svcs, er := rc.targetServices(b, c)
	d.mu.Unlock()
	if er != nil {
		return nil, er
	}
	if b.sw("WhatIf") {
		return nil, nil
	}
	if stop && b.sw("LeaveClsAgentRunning") && !b.has("Name") {
		var keep []*serviceState
		for _, s := range svcs {
			if s.name != "RTCCLSAGT" {
				keep = append(keep, s)
			}
		}
		svcs = keep
	}
	done := d.transition(h, svcs, stop, b.sw("Graceful"))
	if b.sw("NoWait") {
		d.flush(d.lastSeq())
		return nil, nil
	}
	select {
	case <-done:
	case <-rc.ctx.Done():
		return nil, errAborted
	}
	d.flush(d.lastSeq())
	target := Running
	if stop {
		target = Stopped
	}
	var f []string
	d.mu.Lock()
	for _, s := range svcs {
		if s.status != target {
			f = append(f, s.name)
		}
	}
	d.mu.Unlock()
	if len(f) > 0 {
		verb, cat := "start", "InvalidOperation"
		if stop {
			verb, cat = "stop", "OperationStopped"
		}
		return nil, &ErrorRecord{Type: "System.InvalidOperationException",
			Message: fmt.Sprintf("Service %s on computer %q failed to %s.", strings.Join(f, ", "), h.fqdn, verb),
			// The real id is unconfirmed (docs/wire.md §5); it contains ServiceOperationFailed.
			FullyQualifiedErrorId: "ServiceOperationFailed," + c.class, Category: cat, Cmdlet: c.name}
	}
	return nil, nil
}
