package lynctest

import (
	"strings"
	"time"
)

// registry returns every cmdlet the reader knows, for this deployment.
func (d *Deployment) registry() map[string]*cmdletDef {
	defs := []*cmdletDef{
		{name: "Get-Module", class: "Microsoft.PowerShell.Commands.GetModuleCommand", run: getModule,
			params: []paramDef{{name: "Name", kind: pStrings, position: 1}, {name: "ListAvailable", kind: pSwitch},
				{name: "All", kind: pSwitch}, {name: "Refresh", kind: pSwitch}}},
		{name: "Import-Module", class: "Microsoft.PowerShell.Commands.ImportModuleCommand", run: importModule,
			params: []paramDef{{name: "Name", kind: pStrings, position: 1, mandatory: true}, {name: "Global", kind: pSwitch},
				{name: "Force", kind: pSwitch}, {name: "PassThru", kind: pSwitch}, {name: "DisableNameChecking", kind: pSwitch}}},
		{name: "Get-Command", class: "Microsoft.PowerShell.Commands.GetCommandCommand", run: getCommand,
			params: []paramDef{{name: "Name", kind: pStrings, position: 1}, {name: "Module", kind: pStrings},
				{name: "CommandType", kind: pString}}},
		{name: "Select-Object", class: "Microsoft.PowerShell.Commands.SelectObjectCommand",
			params: []paramDef{{name: "InputObject", kind: pAny}, {name: "Property", kind: pAny, position: 1},
				{name: "ExcludeProperty", kind: pStrings}, {name: "ExpandProperty", kind: pString},
				{name: "Unique", kind: pSwitch}, {name: "Last", kind: pInt}, {name: "First", kind: pInt},
				{name: "Skip", kind: pInt}, {name: "Wait", kind: pSwitch}}},
	}
	defs = append(defs, startSleepCmdlet())
	defs = append(defs, d.siteCmdlets()...)
	defs = append(defs, poolCmdlets()...)
	defs = append(defs, serviceCmdlets()...)
	defs = append(defs, replicationCmdlets()...)
	defs = append(defs, federationCmdlets()...)
	m := make(map[string]*cmdletDef, len(defs))
	for _, c := range defs {
		m[strings.ToLower(c.name)] = c
	}
	return m
}

func (rc *runCtx) moduleInfo() *psObject {
	p := rc.d.product
	dir := `C:\Program Files\Common Files\Skype for Business Server 2015\Modules\SkypeForBusiness`
	version := "7.0.0.0"
	if p == Lync2013 {
		dir, version = `C:\Program Files\Common Files\Microsoft Lync Server 2013\Modules\Lync`, "5.0.0.0"
	}
	return newObject("System.Management.Automation.PSModuleInfo",
		"Name", p.Module(), "Path", dir+`\`+p.Module()+".psd1", "Version", version,
		"ModuleType", psEnum{"Manifest", 1}, "ModuleBase", dir)
}

// getModule: only the product's module is installed (beside PowerShell's own,
// which the reader does not list).
func getModule(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	if !b.sw("ListAvailable") && !rc.moduleLoaded() {
		return nil, nil
	}
	names := b.strs("Name")
	if b.has("Name") && !containsFold(names, rc.d.product.Module()) {
		return nil, nil
	}
	return []any{rc.moduleInfo()}, nil
}

func importModule(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	var out []any
	for _, name := range b.strs("Name") {
		if !strings.EqualFold(name, rc.d.product.Module()) {
			return nil, &ErrorRecord{Type: "System.IO.FileNotFoundException",
				Message:               "The specified module '" + name + "' was not loaded because no valid module file was found in any module directory.",
				FullyQualifiedErrorId: "Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand",
				Category:              "ResourceUnavailable", Cmdlet: "Import-Module"}
		}
		key := strings.ToLower(name)
		if b.sw("Force") || (!rc.s.modules[key] && !rc.modules[key]) {
			if !rc.d.sleep(rc.ctx, rc.d.delay(func(l Latency) time.Duration { return l.ModuleImport })) {
				return nil, errAborted
			}
			rc.d.count(rc.h, func(c *Counters) { c.ModuleImports++ })
		}
		if b.sw("Global") {
			rc.s.modules[key] = true
		} else {
			rc.modules[key] = true
		}
		if b.sw("PassThru") {
			out = append(out, rc.moduleInfo())
		}
	}
	return out, nil
}

func getCommand(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	var out []any
	for _, name := range b.strs("Name") {
		def := rc.d.cmdlets[strings.ToLower(name)]
		if def == nil || (def.lync && !rc.moduleLoaded()) {
			return nil, commandNotFound(name, "Microsoft.PowerShell.Commands.GetCommandCommand")
		}
		var keys []string
		for _, p := range def.allParams() {
			keys = append(keys, p.name)
		}
		module := "Microsoft.PowerShell.Core"
		if def.lync {
			module = rc.d.product.Module()
		}
		out = append(out, newObject("System.Management.Automation.CmdletInfo",
			"Name", def.name, "CommandType", psEnum{"Cmdlet", 8}, "ModuleName", module,
			"ImplementingType", def.class, "Parameters", psDict{keys: keys}))
	}
	return out, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
