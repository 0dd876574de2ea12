package lynctest

import (
	"context"
	"testing"
	"time"
)

func readerDeployment(t testing.TB, mutate func(*Config)) *Deployment {
	t.Helper()
	cfg := Config{
		Sites: []Site{{Name: "Site1", XmppRoute: "EdgeServer:edgepool1.contoso.com"}, {Name: "Site2"}, {Name: "Site3", Branch: true}},
		Pools: []Pool{
			{FQDN: "fepool1.contoso.com", Site: "Site1", Role: FrontEnd, Servers: []Server{{FQDN: "fe01.contoso.com"}}},
			{FQDN: "edgepool1.contoso.com", Site: "Site1", Role: Edge, Servers: []Server{{FQDN: "edge01.contoso.com"}}},
			{FQDN: "edgepool2.contoso.com", Site: "Site2", Role: Edge, Servers: []Server{{FQDN: "edge03.contoso.com"}}},
		},
	}
	if mutate != nil {
		mutate(&cfg)
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// run runs scripts in one session of host fe01 and returns the JSON of the
// last one, or its error id.
func run(t testing.TB, d *Deployment, scripts ...string) (string, *ErrorRecord) {
	t.Helper()
	s := &session{d: d, h: d.Host("fe01.contoso.com"), modules: map[string]bool{}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []any
	var er *ErrorRecord
	for _, sc := range scripts {
		out, er = s.runScript(ctx, sc)
	}
	if er != nil {
		return "", er
	}
	return convertToJSON(out, 4), nil
}

const imp = "Import-Module -Name 'SkypeForBusiness' -Global"

func TestReaderScripts(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	tests := []struct {
		name, script string
		want         string // JSON, or "" when wantErr is set
		wantErr      string // FullyQualifiedErrorId
	}{
		{"module list", "Get-Module -ListAvailable -Name @('SkypeForBusiness', 'Lync') | Select-Object -Property Name", `[{"Name":"SkypeForBusiness"}]`, ""},
		{"site casts", "Get-CsSite -Identity 'Site1' | Select-Object -Property @{ Name = 'Identity'; Expression = { [string]$_.Identity } }, SiteId, @{ Name = 'Pools'; Expression = { [string[]]$_.Pools } }, @{ Name = 'N'; Expression = { [int]$_.SiteId } }",
			`[{"Identity":"Site:Site1","SiteId":1,"Pools":["fepool1.contoso.com","edgepool1.contoso.com"],"N":1}]`, ""},
		{"missing property is null", "Get-CsSite -Identity 'Site2' | Select-Object -Property Nope, @{ Name = 'R'; Expression = { [string]$_.XmppFederationRoute } }", `[{"Nope":null,"R":""}]`, ""},
		{"parameter keys", "(Get-Command -Name 'Set-CsSite').Parameters.Keys", `["Identity","Description","DisplayName","FederationRoute","Force","DefaultPersistentChatPool","XmppFederationRoute","Verbose","Debug","ErrorAction","WarningAction","InformationAction","ErrorVariable","WarningVariable","InformationVariable","OutVariable","OutBuffer","PipelineVariable","WhatIf","Confirm"]`, ""},
		{"unknown cmdlet", "Get-CsNothing", "", "CommandNotFoundException"},
		{"unknown parameter", "Get-CsSite -Nope 'x'", "", "NamedParameterNotFound,Microsoft.Rtc.Management.Xds.GetSiteCmdlet"},
		{"missing argument", "Get-CsSite -Identity", "", "MissingArgument,Microsoft.Rtc.Management.Xds.GetSiteCmdlet"},
		{"site not found", "Get-CsSite -Identity 'Nope'", "", "IdentityNotFound,Microsoft.Rtc.Management.Xds.GetSiteCmdlet"},
		{"double quotes", `Get-CsSite -Identity "Site1"`, "", "ParseException"},
		{"subexpression", `Get-CsSite -Identity $(1)`, "", "ParseException"},
		{"variable", `Get-CsSite -Identity $x`, "", "ParseException"},
		{"unterminated", `Get-CsSite -Identity 'Site1`, "", "ParseException"},
		{"backtick", "Get-CsSite -Identity `'x", "", "ParseException"},
		{"bare word value", "Get-CsSite -Identity Site1", "", "ParseException"},
		{"en dash parameter", "Get-CsSite \u2013Identity 'Site1' | Select-Object -Property SiteId", `[{"SiteId":1}]`, ""},
		{"curly quotes", "Get-CsSite -Identity \u2018Site1\u2019 | Select-Object -Property SiteId", `[{"SiteId":1}]`, ""},
		{"doubled curly quote is literal", "Get-CsSite -Identity 'Site1\u2019''", "", "IdentityNotFound,Microsoft.Rtc.Management.Xds.GetSiteCmdlet"},
		{"bad route", "Set-CsSite -Identity 'Site2' -XmppFederationRoute 'edgepool2.contoso.com'", "", "InvalidServiceIdentity,Microsoft.Rtc.Management.Xds.SetSiteCmdlet"},
		{"wrong route parameter", "Set-CsSite -Identity 'Site2' -XmppExternalFederationRoute 'EdgeServer:edgepool2.contoso.com'", "", "NamedParameterNotFound,Microsoft.Rtc.Management.Xds.SetSiteCmdlet"},
		{"service status", "Get-CsWindowsService -ComputerName 'edge03.contoso.com' -Name 'REPLICA' | Select-Object -Property Name, Status, @{ Name = 'S'; Expression = { [string]$_.Status } }", `[{"Name":"REPLICA","Status":4,"S":"Running"}]`, ""},
		{"pool", "Get-CsPool -Identity 'edgepool2.contoso.com' | Select-Object -Property @{ Name = 'Site'; Expression = { [string]$_.Site } }, @{ Name = 'Computers'; Expression = { [string[]]$_.Computers } }", `[{"Site":"Site:Site2","Computers":["edge03.contoso.com"]}]`, ""},
		{"edge service", "Get-CsService -EdgeServer -PoolFqdn 'edgepool2.contoso.com' | Select-Object -Property @{ Name = 'Identity'; Expression = { [string]$_.Identity } }, XmppListeningPort, @{ Name = 'P'; Expression = { [int]$_.XmppInternalPort } }", `[{"Identity":"EdgeServer:edgepool2.contoso.com","XmppListeningPort":5269,"P":23456}]`, ""},
		{"replication", "Get-CsManagementStoreReplicationStatus -ReplicaFqdn 'edge03.contoso.com' | Select-Object -Property ReplicaFqdn, UpToDate", `[{"ReplicaFqdn":"edge03.contoso.com","UpToDate":true}]`, ""},
		{"switch with colon", "Get-CsWindowsService -ComputerName 'edge03.contoso.com' -Name 'RTCSRV' -ExcludeActivityLevel:$true | Select-Object -Property ActivityLevel", `[{"ActivityLevel":null}]`, ""},
		{"two statements", "Get-CsSite -Identity 'Site1' | Select-Object -Property SiteId; Get-CsSite -Identity 'Site2' | Select-Object -Property SiteId", `[{"SiteId":1},{"SiteId":2}]`, ""},
		{"empty script", "", `[]`, ""},
		{"site without pools", "Get-CsSite -Identity 'Site3' | Select-Object -Property Pools, @{ Name = 'P'; Expression = { [string[]]$_.Pools } }", `[{"Pools":[],"P":[]}]`, ""},
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

func TestModuleImportScope(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, func(c *Config) { c.Product = Lync2013 })
	if _, er := run(t, d, "Import-Module -Name 'SkypeForBusiness' -Global"); er == nil ||
		er.FullyQualifiedErrorId != "Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand" {
		t.Fatalf("wrong module: %+v", er)
	}
	if _, er := run(t, d, "Import-Module -Name 'Lync'", "Get-CsSite"); er == nil || er.FullyQualifiedErrorId != "CommandNotFoundException" {
		t.Fatalf("import without -Global must not outlive the script: %+v", er)
	}
	if _, er := run(t, d, "Import-Module -Name 'Lync'; Get-CsSite"); er != nil {
		t.Fatalf("import without -Global works within the script: %+v", er)
	}
	if got := d.Counters().ModuleImports; got != 2 {
		t.Fatalf("imports = %d", got)
	}
}

// quote is PowerShell single-quote escaping as documented (docs/wire.md §4):
// every quote character doubled, the whole in ASCII quotes.
func quote(s string) string {
	var b []rune
	for _, r := range s {
		if r == '\'' || r == '\u2018' || r == '\u2019' || r == '\u201A' || r == '\u201B' {
			b = append(b, r)
		}
		b = append(b, r)
	}
	return "'" + string(b) + "'"
}

func TestLiteralsArriveExactly(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	corpus := []string{"Site9", "it's", "\u2018x\u2019", "a\u201Ab\u201Bc", "''", "'", "$(Get-Date)", "`n`$x",
		"a; Remove-Item C:\\", "line1\nline2\r\n", "nul\x00byte", "\u2013Force", "@(1)", "Ω😀", " lead and trail "}
	h := d.Host("fe01.contoso.com")
	for _, v := range corpus {
		_, er := run(t, d, imp, "Get-CsSite -Identity "+quote(v))
		if er == nil || er.FullyQualifiedErrorId != "IdentityNotFound,"+classGetSite {
			t.Errorf("%q: %+v", v, er)
			continue
		}
		inv := h.Invocations()
		if got := inv[len(inv)-1]; got.Cmdlet != "Get-CsSite" || got.Params["Identity"] != v {
			t.Errorf("%q arrived as %q", v, got.Params["Identity"])
		}
	}
	// A quote character left undoubled ends the literal early: the rest does
	// not parse, nothing runs.
	for _, q := range []string{"'", "\u2018", "\u2019", "\u201A", "\u201B"} {
		if _, er := run(t, d, imp, "Get-CsSite -Identity 'a"+q+"b'"); er == nil || er.FullyQualifiedErrorId != "ParseException" {
			t.Errorf("undoubled %U: %+v", []rune(q)[0], er)
		}
	}
}
