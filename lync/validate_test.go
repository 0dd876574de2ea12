package lync

import (
	"errors"
	"testing"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

func errorsIsInput(err error) bool { return errors.Is(err, ErrInvalidInput) }

func TestParseSiteName(t *testing.T) {
	t.Parallel()
	good := map[string]string{"Site2": "Site2", "site:Redmond": "Redmond", "Site:Dublin Site_1.a-b": "Dublin Site_1.a-b"}
	for in, want := range good {
		if got, err := ParseSiteName(in); err != nil || got != want {
			t.Errorf("ParseSiteName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range append(injectionCorpus(), "", "Site:", " a", "a ", "a  b", "-a", "a.", string(make([]byte, 65))) {
		if _, err := ParseSiteName(in); !errorsIsInput(err) {
			t.Errorf("ParseSiteName(%q) err = %v, want ErrInvalidInput", in, err)
		}
	}
}

func TestParseServiceName(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"RTCSRV", "replica", "RTCXMPPTGWPX", "A1"} {
		if _, err := ParseServiceName(in); err != nil {
			t.Errorf("ParseServiceName(%q) = %v", in, err)
		}
	}
	for _, in := range append(injectionCorpus(), "", "1ABC", "RTC SRV", "RTC*", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG") {
		if _, err := ParseServiceName(in); !errorsIsInput(err) {
			t.Errorf("ParseServiceName(%q) err = %v, want ErrInvalidInput", in, err)
		}
	}
}

// injectionCorpus holds values that would break or extend a script if they
// reached it unquoted or quoted by ASCII rules only.
func injectionCorpus() []string {
	return []string{
		"Site2'; Stop-CsWindowsService; '",
		"Site2\u2018; Remove-Item C:\\ -Recurse; \u2018",
		"Site2\u2019", "Site2\u201a", "Site2\u201b",
		"$(Stop-Computer)", "Site`n2", "Site2; Get-Process", "Site2\nGet-Process",
		"Site2\r\n", "Site2\x00", "Site2\"", "Site2\u2013Force",
		"@(1)", "Site2|Out-Null", "edgepool2.contoso.com'; exit; '",
	}
}

func TestCmdletErrorIs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rec  CmdletError
		want error
		not  []error
	}{
		{CmdletError{FullyQualifiedErrorId: "CommandNotFoundException", Category: "ObjectNotFound"}, ErrCommandNotFound, []error{ErrNotFound}},
		{CmdletError{FullyQualifiedErrorId: "NamedParameterNotFound,Microsoft.Rtc.Management.Xds.SetSiteCmdlet", Category: "InvalidArgument"}, ErrParameterNotFound, []error{ErrNotFound}},
		{CmdletError{FullyQualifiedErrorId: "ParseException", Category: "ParserError"}, ErrParse, nil},
		{CmdletError{FullyQualifiedErrorId: "Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand", Category: "ResourceUnavailable"}, ErrModuleNotFound, []error{ErrNotFound}},
		{CmdletError{FullyQualifiedErrorId: "Identity not found.,Microsoft.Rtc.Management.Xds.GetSiteCmdlet", Category: "ObjectNotFound"}, ErrNotFound, []error{ErrCommandNotFound}},
		{CmdletError{FullyQualifiedErrorId: "SiteNotFound,X", Category: "InvalidArgument"}, ErrNotFound, nil},
		{CmdletError{FullyQualifiedErrorId: "ServiceOperationFailed,X", Category: "OperationStopped"}, ErrServiceOperation, []error{ErrNotFound}},
	}
	for _, tt := range tests {
		err := error(&tt.rec)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: not %v", tt.rec.FullyQualifiedErrorId, tt.want)
		}
		for _, n := range tt.not {
			if errors.Is(err, n) {
				t.Errorf("%s: matches %v", tt.rec.FullyQualifiedErrorId, n)
			}
		}
	}
}

// FuzzParseSiteName: an accepted name needs no escaping in a PowerShell
// literal and is accepted again unchanged.
func FuzzParseSiteName(f *testing.F) {
	for _, s := range append(injectionCorpus(), "Site2", "Site:Dublin 1") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, err := ParseSiteName(s)
		if err != nil {
			if !errorsIsInput(err) {
				t.Fatalf("error %v is not ErrInvalidInput", err)
			}
			return
		}
		if pwsh.Quote(name) != "'"+name+"'" {
			t.Fatalf("accepted %q needs escaping", name)
		}
		if again, err := ParseSiteName(name); err != nil || again != name {
			t.Fatalf("not idempotent: %q -> %q, %v", name, again, err)
		}
	})
}

// FuzzParseServiceName: an accepted name is upper-case letters and digits.
func FuzzParseServiceName(f *testing.F) {
	for _, s := range append(injectionCorpus(), "RTCSRV", "replica") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, err := ParseServiceName(s)
		if err != nil {
			return
		}
		for _, c := range []byte(name) {
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				t.Fatalf("accepted %q", name)
			}
		}
	})
}
