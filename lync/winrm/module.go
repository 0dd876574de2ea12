package winrm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/internal/pwsh"

	"github.com/xmppfed/edgefailover/lync"
)

// The management shell modules, in order of preference: SkypeForBusiness
// (SfB Server 2015) over Lync (Lync Server 2013).
var moduleNames = []string{"SkypeForBusiness", "Lync"}

// ModuleError reports a host without the management shell module. It
// matches lync.ErrModuleNotFound.
type ModuleError struct {
	Host string
}

// Error implements error.
func (e *ModuleError) Error() string {
	return fmt.Sprintf("lync: %s: neither module %s is installed", e.Host, strings.Join(moduleNames, " nor "))
}

// Is reports whether target is lync.ErrModuleNotFound.
func (e *ModuleError) Is(target error) bool { return target == lync.ErrModuleNotFound }

// detectScript lists the installed management shell modules.
func detectScript() (string, error) {
	return pwsh.NewCommand("Get-Module").Switch("ListAvailable").Strings("Name", moduleNames...).
		Select(pwsh.Property{Name: "Name"}).Script()
}

// importScript imports module globally, so that it outlives the child scope
// of the inner script (wire.md §4).
func importScript(module string) (string, error) {
	return pwsh.NewCommand("Import-Module").String("Name", module).Switch("Global").Script()
}

// pickModule chooses the preferred module from the output of detectScript.
func pickModule(host string, out json.RawMessage) (string, error) {
	var mods []struct{ Name string }
	if err := json.Unmarshal(out, &mods); err != nil {
		return "", &lync.ProtocolError{Op: "Get-Module", Err: err}
	}
	for _, want := range moduleNames {
		for _, m := range mods {
			if strings.EqualFold(m.Name, want) {
				return want, nil
			}
		}
	}
	return "", &ModuleError{Host: host}
}

// detectModule runs detectScript with run and picks the module.
func detectModule(ctx context.Context, host string, run func(context.Context, string) (json.RawMessage, error)) (string, error) {
	script, err := detectScript()
	if err != nil {
		return "", err
	}
	out, err := run(ctx, script)
	if err != nil {
		return "", err
	}
	return pickModule(host, out)
}
