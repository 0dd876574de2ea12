package lynctest

import "testing"

// TestBindingConvertsAsPowerShell: an argument is converted to a parameter's
// type as the PowerShell binder does (ParameterBinderBase.CoerceTypeAsNeeded):
// a collection (an @(...) array of any length, one element or none included)
// bound to a scalar [string] or [int] parameter is refused with
// CannotConvertArgument naming 'System.Object[]', and is never unwrapped or
// joined; a string that is no number, bound to an [int] parameter, fails the
// conversion itself (CannotConvertArgumentNoMessage). A [string[]] parameter
// takes the array.
func TestBindingConvertsAsPowerShell(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	const (
		site   = "Microsoft.Rtc.Management.Xds.GetSiteCmdlet"
		setSit = "Microsoft.Rtc.Management.Xds.SetSiteCmdlet"
		sleep  = "Microsoft.PowerShell.Commands.StartSleepCommand"
	)
	tests := []struct {
		name, script string
		want         string // JSON, or "" when wantErr is set
		wantErr      string // FullyQualifiedErrorId
		wantMsg      string // the error's message, when set
	}{
		{"two elements to a string", "Get-CsSite -Identity @('Site1', 'Site2')", "", "CannotConvertArgument," + site,
			"Cannot convert 'System.Object[]' to the type 'System.String' required by parameter 'Identity'. Specified method is not supported."},
		{"one element to a string", "Get-CsSite -Identity @('Site2')", "", "CannotConvertArgument," + site,
			"Cannot convert 'System.Object[]' to the type 'System.String' required by parameter 'Identity'. Specified method is not supported."},
		{"no element to a string", "Get-CsSite -Identity @()", "", "CannotConvertArgument," + site, ""},
		{"positional array", "Get-CsSite @('Site2')", "", "CannotConvertArgument," + site, ""},
		{"one element to a nullable string", "Set-CsSite -Identity 'Site2' -XmppFederationRoute @('EdgeServer:edgepool2.contoso.com')", "",
			"CannotConvertArgument," + setSit,
			"Cannot convert 'System.Object[]' to the type 'System.String' required by parameter 'XmppFederationRoute'. Specified method is not supported."},
		{"one element to an int", "Start-Sleep -Milliseconds @(1)", "", "CannotConvertArgument," + sleep, ""},
		{"text to an int", "Start-Sleep -Milliseconds 'x'", "", "CannotConvertArgumentNoMessage," + sleep,
			`Cannot bind parameter 'Milliseconds'. Cannot convert value "x" to type "System.Int32". Error: "Input string was not in a correct format."`},
		{"number text to an int", "Start-Sleep -Milliseconds '1'", `[]`, "", ""},
		{"one element to a string array", "Get-Module -ListAvailable -Name @('SkypeForBusiness') | Select-Object -Property Name", `[{"Name":"SkypeForBusiness"}]`, "", ""},
		{"scalar to a string array", "Get-Module -ListAvailable -Name 'SkypeForBusiness' | Select-Object -Property Name", `[{"Name":"SkypeForBusiness"}]`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, er := run(t, d, imp, tt.script)
			if tt.wantErr != "" {
				if er == nil || er.FullyQualifiedErrorId != tt.wantErr || er.Category != "InvalidArgument" ||
					tt.wantMsg != "" && er.Message != tt.wantMsg {
					t.Fatalf("got %s %+v, want error %s %q", got, er, tt.wantErr, tt.wantMsg)
				}
				return
			}
			if er != nil || got != tt.want {
				t.Fatalf("got %s %+v\nwant %s", got, er, tt.want)
			}
		})
	}
}

// TestStringOfArrays: [string] of a collection joins the [string] of its
// elements with $OFS (a space), a $null element giving an empty text; an
// element that is itself a collection is not entered but shown by its
// type name, as PSObject.ToStringEnumerable renders it.
func TestStringOfArrays(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    any
		want string
	}{
		{[]any{}, ""},
		{[]any{"a"}, "a"},
		{[]any{"a", int64(2), true}, "a 2 True"},
		{[]any{"a", nil, "b"}, "a  b"},
		{[]any{"a", []any{"b", "c"}}, "a System.Object[]"},
		{[]any{psEnum{"Running", 4}, psIdentity("Site:Site1")}, "Running Site:Site1"},
	} {
		if got := toString(tc.v); got != tc.want {
			t.Errorf("[string]%v = %q, want %q", tc.v, got, tc.want)
		}
		if got, er := castValue(tc.v, "string"); er != nil || got != tc.want {
			t.Errorf("cast [string]%v = %q, %v; want %q", tc.v, got, er, tc.want)
		}
	}
}
