package pwsh_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

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

func ExampleFrameLine() {
	// Production code draws the marker with pwsh.NewMarker(rand.Reader).
	m, _ := pwsh.NewMarker(strings.NewReader("0123456789abcdef"))
	marker := m.Next()
	line := pwsh.FrameLine(marker, "Get-Date")
	fmt.Println(marker)
	fmt.Println(strings.Contains(line, "'"+marker+"'"), strings.Contains(line, "'R2V0LURhdGU='"))

	// What a host prints after running the line (and some noise).
	stdout := "WARNING: noise\r\n" + marker + ":ok:" + base64.StdEncoding.EncodeToString([]byte(`["2026-11-25"]`)) + "\r\n"
	res, err := pwsh.ParseFrame([]byte(stdout), marker)
	fmt.Println(string(res.Output), res.Err, err)

	stdout = marker + ":err:" + base64.StdEncoding.EncodeToString([]byte(
		`{"Type":"System.Management.Automation.CommandNotFoundException","Message":"...","FullyQualifiedErrorId":"CommandNotFoundException","Category":"ObjectNotFound","Cmdlet":""}`)) + "\r\n"
	res, err = pwsh.ParseFrame([]byte(stdout), marker)
	fmt.Println(res.Err.FullyQualifiedErrorId, res.Err.Category, err)

	_, err = pwsh.ParseFrame([]byte("nothing\r\n"), marker)
	fmt.Println(errors.Is(err, pwsh.ErrNoFrame))
	// Output:
	// EF30313233343536373839616263646566-1
	// true true
	// ["2026-11-25"] <nil> <nil>
	// CommandNotFoundException ObjectNotFound <nil>
	// true
}

func ExampleFrameReader() {
	const marker = "EF0123456789abcdef0123456789abcdef-7"
	r := pwsh.NewFrameReader(marker)
	// Output arrives in chunks cut anywhere.
	for _, chunk := range []string{"banner\r", "\nEF0123456789abcdef0123456789abcdef-7:o", "k:W10=\r", "\n"} {
		if _, err := r.Write([]byte(chunk)); err != nil {
			fmt.Println(err)
			return
		}
	}
	res, ok := r.Result()
	fmt.Println(ok, string(res.Output), r.Noise())
	// Output:
	// true [] banner
}

func ExampleDecodeCLIXML() {
	stderr := "#< CLIXML\r\n" +
		`<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">` +
		`<S S="Error">Get-CsSite : Cannot find site _x0027_Site2_x0027__x000D__x000A_</S>` +
		`<S S="Error">    + CategoryInfo : ObjectNotFound_x000D__x000A_</S></Objs>`
	text, err := pwsh.DecodeCLIXML([]byte(stderr))
	fmt.Printf("%q %v\n", text, err)
	// Output:
	// "Get-CsSite : Cannot find site 'Site2'\r\n    + CategoryInfo : ObjectNotFound" <nil>
}
