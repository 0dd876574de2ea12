package pwsh_test

import (
	"fmt"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

func ExampleQuote() {
	fmt.Println(pwsh.Quote("Site2"))
	fmt.Println(pwsh.Quote("it's"))
	fmt.Println(pwsh.Quote("it\u2019s")) // typographic quotes are doubled too
	// Output:
	// 'Site2'
	// 'it''s'
	// 'it’’s'
}

func ExampleArray() {
	fmt.Println(pwsh.Array("SkypeForBusiness", "Lync"))
	fmt.Println(pwsh.Array())
	// Output:
	// @('SkypeForBusiness', 'Lync')
	// @()
}

func ExampleNewCommand() {
	script, err := pwsh.NewCommand("Get-CsSite").
		String("Identity", "Site2").
		Select(pwsh.Property{Name: "Identity", Cast: pwsh.CastString}, pwsh.Property{Name: "SiteId"}).
		Script()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(script)

	set, _ := pwsh.NewCommand("Set-CsSite").String("Identity", "Site2").Null("XmppFederationRoute").Script()
	keys, _ := pwsh.NewCommand("Get-Command").String("Name", "Set-CsSite").Members("Parameters", "Keys").Script()
	fmt.Println(pwsh.Join(set, keys))

	_, err = pwsh.NewCommand("Get-CsSite; Stop-Computer").Script()
	fmt.Println(err)
	// Output:
	// Get-CsSite -Identity 'Site2' | Select-Object -Property @{ Name = 'Identity'; Expression = { [string]$_.Identity } }, SiteId
	// Set-CsSite -Identity 'Site2' -XmppFederationRoute $null; (Get-Command -Name 'Set-CsSite').Parameters.Keys
	// pwsh: build "Get-CsSite; Stop-Computer": cmdlet name is not Verb-Noun of ASCII letters and digits
}

func ExampleEncodedCommandLine() {
	line, err := pwsh.EncodedCommandLine("Get-Date")
	fmt.Println(line, err)
	// Output:
	// powershell.exe -NoProfile -NonInteractive -EncodedCommand RwBlAHQALQBEAGEAdABlAA== <nil>
}
