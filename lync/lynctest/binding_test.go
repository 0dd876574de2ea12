package lynctest

import "testing"

func TestBinding(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	const site = "Microsoft.Rtc.Management.Xds.GetSiteCmdlet"
	tests := []struct {
		name, script string
		want         string // JSON, or "" when wantErr is set
		wantErr      string // FullyQualifiedErrorId
	}{
		{"positional identity", "Get-CsSite 'Site2' | Select-Object -Property SiteId", `[{"SiteId":2}]`, ""},
		{"prefix of a parameter", "Get-CsSite -Ident 'Site2' | Select-Object -Property SiteId", `[{"SiteId":2}]`, ""},
		{"case-insensitive names", "get-cssite -IDENTITY 'site2' | select-object -property siteid", `[{"SiteId":2}]`, ""},
		{"ambiguous prefix", "Get-CsWindowsService -E", "", "AmbiguousParameter,Microsoft.Rtc.Management.Deployment.Core.GetCsWindowsServiceCmdlet"},
		{"bound twice", "Get-CsSite -Identity 'Site1' -Identity 'Site2'", "", "ParameterAlreadyBound," + site},
		{"extra positional", "Get-CsSite 'Site1' 'Site2'", "", "PositionalParameterNotFound," + site},
		{"switch does not take a value", "Stop-CsWindowsService -Graceful $true -ComputerName 'edge01.contoso.com'", "", "ServiceNotFound,Microsoft.Rtc.Management.Deployment.Core.StopCsWindowsServiceCmdlet"},
		{"null to a string", "Get-CsSite -Identity $null", "", "ParameterArgumentValidationErrorNullNotAllowed," + site},
		{"empty string", "Get-CsSite -Identity ''", "", "ParameterArgumentValidationErrorEmptyStringNotAllowed," + site},
		{"array to a string", "Get-CsSite -Identity @('a', 'b')", "", "CannotConvertArgument," + site},
		{"one-element array to a string", "Get-CsSite -Identity @('Site2') | Select-Object -Property SiteId", "", "CannotConvertArgument," + site},
		{"integer to a string", "Get-CsSite -Identity 2", "", "IdentityNotFound," + site},
		{"string to a switch", "Get-CsSite -LocalStore:$true -Identity 'Site1' | Select-Object -Property SiteId", `[{"SiteId":1}]`, ""},
		{"common parameter", "Get-CsSite -Identity 'Site1' -ErrorAction 'Stop' -Verbose | Select-Object -Property SiteId", `[{"SiteId":1}]`, ""},
		{"int parameter", "Get-CsSite -OutBuffer 'x'", "", "CannotConvertArgumentNoMessage," + site},
		{"mandatory", "Import-Module -Global", "", "MissingMandatoryParameter,Microsoft.PowerShell.Commands.ImportModuleCommand"},
		{"WhatIf changes nothing", "Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:edgepool2.contoso.com' -WhatIf; Get-CsSite -Identity 'Site2' | Select-Object -Property @{ Name = 'R'; Expression = { [string]$_.XmppFederationRoute } }", `[{"R":""}]`, ""},
		{"Select-Object twice the same name", "Get-CsSite -Identity 'Site1' | Select-Object -Property SiteId, siteid", "", "AlreadyExistingUserSpecifiedPropertyNoExpand,Microsoft.PowerShell.Commands.SelectObjectCommand"},
		{"bad [int] cast", "Get-CsSite -Identity 'Site1' | Select-Object -Property @{ Name = 'N'; Expression = { [int]$_.Identity } }", "", "InvalidCastFromStringToInteger"},
		{"[bool] cast", "Get-CsSite -Identity 'Site2' | Select-Object -Property @{ Name = 'B'; Expression = { [bool]$_.XmppFederationRoute } }, @{ Name = 'C'; Expression = { [bool]$_.Pools } }", `[{"B":false,"C":true}]`, ""},
		{"pools of a site", "Get-CsPool -Site 'Site:Site2' | Select-Object -Property Identity", `[{"Identity":"edgepool2.contoso.com"}]`, ""},
		{"pool of another site", "Get-CsPool -Identity 'edgepool2.contoso.com' -Site 'Site1'", `[]`, ""},
		{"pool in unknown site", "Get-CsPool -Site 'Nope'", "", "IdentityNotFound,Microsoft.Rtc.Management.Xds.GetPoolCmdlet"},
		{"unknown pool", "Get-CsPool -Identity 'nope.contoso.com'", "", "IdentityNotFound,Microsoft.Rtc.Management.Xds.GetPoolCmdlet"},
		{"registrars", "Get-CsService -Registrar | Select-Object -Property PoolFqdn", `[{"PoolFqdn":"fepool1.contoso.com"}]`, ""},
		{"unknown computer", "Get-CsWindowsService -ComputerName 'nope.contoso.com'", "", "IdentityNotFound,Microsoft.Rtc.Management.Deployment.Core.GetCsWindowsServiceCmdlet"},
		{"unknown replica", "Get-CsManagementStoreReplicationStatus -ReplicaFqdn 'nope.contoso.com'", "", "IdentityNotFound,Microsoft.Rtc.Management.Xds.GetReplicationStatusCmdlet"},
		{"member Count", "(Get-CsSite).Count", `[3]`, ""},
		{"member of a member", "(Get-CsPool -Identity 'edgepool1.contoso.com').Computers", `["edge01.contoso.com"]`, ""},
		{"Get-Command of a missing cmdlet", "Get-Command -Name 'Get-Nothing'", "", "CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand"},
		{"loaded modules", "Get-Module | Select-Object -Property Name", `[{"Name":"SkypeForBusiness"}]`, ""},
		{"other module name", "Get-Module -ListAvailable -Name 'ActiveDirectory'", `[]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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
