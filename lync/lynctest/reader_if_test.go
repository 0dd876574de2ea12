package lynctest

import "testing"

// The compare-and-set of an XMPP route: the check and the change in one
// script, the route read before and after.
func TestReaderIfStatement(t *testing.T) {
	t.Parallel()
	const (
		get  = "Get-CsSite -Identity 'Site1' | Select-Object -Property @{ Name = 'R'; Expression = { [string]$_.XmppFederationRoute } }"
		cond = "[string](Get-CsSite -Identity 'Site1').XmppFederationRoute -eq "
		set  = "Set-CsSite -Identity 'Site1' -XmppFederationRoute 'EdgeServer:edgepool2.contoso.com'"
	)
	tests := []struct {
		name, script string
		want         string // JSON, or "" when wantErr is set
		wantErr      string // FullyQualifiedErrorId
	}{
		{"match sets", get + "; if (" + cond + "'EdgeServer:edgepool1.contoso.com') { " + set + " }; " + get,
			`[{"R":"EdgeServer:edgepool1.contoso.com"},{"R":"EdgeServer:edgepool2.contoso.com"}]`, ""},
		{"-eq ignores case", "if (" + cond + "'edgeserver:EDGEPOOL1.contoso.com') { " + set + " }; " + get,
			`[{"R":"EdgeServer:edgepool2.contoso.com"}]`, ""},
		{"no match leaves it", "if (" + cond + "'EdgeServer:edgepool9.contoso.com') { " + set + " }; " + get,
			`[{"R":"EdgeServer:edgepool1.contoso.com"}]`, ""},
		{"empty literal matches no route", "if ([string](Get-CsSite -Identity 'Site2').XmppFederationRoute -eq '') { Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:edgepool2.contoso.com' }; Get-CsSite -Identity 'Site2' | Select-Object -Property @{ Name = 'R'; Expression = { [string]$_.XmppFederationRoute } }",
			`[{"R":"EdgeServer:edgepool2.contoso.com"}]`, ""},
		{"body output is kept", "if (" + cond + "'EdgeServer:edgepool1.contoso.com') { " + get + " }", `[{"R":"EdgeServer:edgepool1.contoso.com"}]`, ""},
		{"error in the condition", "if ([string](Get-CsSite -Identity 'Nope').XmppFederationRoute -eq '') { " + set + " }", "", "IdentityNotFound,Microsoft.Rtc.Management.Xds.GetSiteCmdlet"},
		{"error in the body", "if (" + cond + "'EdgeServer:edgepool1.contoso.com') { Set-CsSite -Identity 'Site1' -XmppFederationRoute 'x' }", "", "InvalidServiceIdentity,Microsoft.Rtc.Management.Xds.SetSiteCmdlet"},
		{"keyword case", "IF (" + cond + "'x') { " + set + " }", `[]`, ""},
		{"no parenthesis", "if " + cond + "'x' { " + set + " }", "", "ParseException"},
		{"no block", "if (" + cond + "'x') " + set, "", "ParseException"},
		{"unclosed block", "if (" + cond + "'x') { " + set, "", "ParseException"},
		{"empty block", "if (" + cond + "'x') { }", "", "ParseException"},
		{"other operator", "if ([string](Get-CsSite -Identity 'Site1').XmppFederationRoute -ne 'x') { " + set + " }", "", "ParseException"},
		{"no cast", "if ((Get-CsSite -Identity 'Site1').XmppFederationRoute -eq 'x') { " + set + " }", "", "ParseException"},
		{"variable operand", "if (" + cond + "$x) { " + set + " }", "", "ParseException"},
		{"double-quoted operand", "if (" + cond + `"x") { ` + set + " }", "", "ParseException"},
		{"else is outside the subset", "if (" + cond + "'x') { " + set + " } else { " + set + " }", "", "ParseException"},
		{"stray brace", "Get-CsSite -Identity 'Site1' }", "", "ParseException"},
		{"checked inside the block", "if (" + cond + "'x') { Set-CsSite -Identity Site1 }", "", "ParseException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := readerDeployment(t, nil)
			got, er := run(t, d, imp, tt.script)
			if tt.wantErr != "" {
				if er == nil || er.FullyQualifiedErrorId != tt.wantErr {
					t.Fatalf("got %s %+v, want error %s", got, er, tt.wantErr)
				}
				return
			}
			if er != nil || got != tt.want {
				t.Fatalf("got %s %+v\nwant %s", got, er, tt.want)
			}
		})
	}
}
