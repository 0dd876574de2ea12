package pwsh

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestCommandScript(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cmd  *Command
		want string
	}{
		{"bare", NewCommand("Get-CsSite"), "Get-CsSite"},
		{"module list", NewCommand("Get-Module").Switch("ListAvailable").Strings("Name", "SkypeForBusiness", "Lync").
			Select(Property{Name: "Name"}),
			"Get-Module -ListAvailable -Name @('SkypeForBusiness', 'Lync') | Select-Object -Property Name"},
		{"import", NewCommand("Import-Module").String("Name", "SkypeForBusiness").Switch("Global"),
			"Import-Module -Name 'SkypeForBusiness' -Global"},
		{"members", NewCommand("Get-Command").String("Name", "Set-CsSite").Members("Parameters", "Keys"),
			"(Get-Command -Name 'Set-CsSite').Parameters.Keys"},
		{"members twice", NewCommand("Get-Command").Members("Parameters").Members("Keys"),
			"(Get-Command).Parameters.Keys"},
		{"select casts", NewCommand("Get-CsSite").String("Identity", "Site2").Select(
			Property{Name: "Identity", Cast: CastString}, Property{Name: "SiteId"},
			Property{Name: "XmppFederationRoute", Cast: CastString}),
			"Get-CsSite -Identity 'Site2' | Select-Object -Property @{ Name = 'Identity'; Expression = { [string]$_.Identity } }, SiteId, @{ Name = 'XmppFederationRoute'; Expression = { [string]$_.XmppFederationRoute } }"},
		{"select from", NewCommand("Get-Thing").Select(Property{Name: "A", From: "B"}, Property{Name: "C", From: "C"},
			Property{Name: "D", Cast: CastStrings}, Property{Name: "E", Cast: CastInt}, Property{Name: "F", From: "G", Cast: CastBool}),
			"Get-Thing | Select-Object -Property @{ Name = 'A'; Expression = { $_.B } }, C, @{ Name = 'D'; Expression = { [string[]]$_.D } }, @{ Name = 'E'; Expression = { [int]$_.E } }, @{ Name = 'F'; Expression = { [bool]$_.G } }"},
		{"null", NewCommand("Set-CsSite").String("Identity", "Site2").Null("XmppFederationRoute"),
			"Set-CsSite -Identity 'Site2' -XmppFederationRoute $null"},
		{"switches", NewCommand("Stop-CsWindowsService").String("ComputerName", "edge01.contoso.com").Switch("Graceful").Switch("NoWait"),
			"Stop-CsWindowsService -ComputerName 'edge01.contoso.com' -Graceful -NoWait"},
		{"bool int switch value", NewCommand("Set-Thing").Bool("Enabled", false).Int("Port", 5269).Int("Delta", -1).SwitchValue("Confirm", false),
			"Set-Thing -Enabled $false -Port 5269 -Delta -1 -Confirm:$false"},
		{"empty strings", NewCommand("Set-Thing").Strings("Names"), "Set-Thing -Names @()"},
		{"quoted value", NewCommand("Set-Thing").String("Name", "a'b\u2019; x"), "Set-Thing -Name 'a''b\u2019\u2019; x'"},
		{"members of select", NewCommand("Get-Thing").Select(Property{Name: "A"}).Members("A"),
			"(Get-Thing | Select-Object -Property A).A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.cmd.Script()
			if err != nil {
				t.Fatalf("Script: %v", err)
			}
			if got != tt.want {
				t.Errorf("Script =\n%s\nwant\n%s", got, tt.want)
			}
			if _, err := tokenize(got); err != nil {
				t.Errorf("independent reader refuses %q: %v", got, err)
			}
		})
	}
}

func TestCommandRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cmd       *Command
		field     string
		isInvalid bool
	}{
		{"no dash", NewCommand("GetCsSite"), "", false},
		{"empty", NewCommand(""), "", false},
		{"two dashes", NewCommand("Get-Cs-Site"), "", false},
		{"space", NewCommand("Get-CsSite; Stop-Computer"), "", false},
		{"en dash", NewCommand("Get\u2013CsSite"), "", false},
		{"digit first", NewCommand("1Get-Site"), "", false},
		{"bad param", NewCommand("Get-CsSite").String("Iden tity", "x"), "Iden tity", false},
		{"param with dash", NewCommand("Get-CsSite").Switch("-Force"), "-Force", false},
		{"empty param", NewCommand("Get-CsSite").Switch(""), "", false},
		{"non-ASCII param", NewCommand("Get-CsSite").Switch("Forcé"), "Forcé", false},
		{"duplicate", NewCommand("Get-CsSite").String("Identity", "a").String("identity", "b"), "identity", false},
		{"invalid UTF-8", NewCommand("Get-CsSite").String("Identity", "a\xff"), "Identity", true},
		{"invalid UTF-8 in array", NewCommand("Get-CsSite").Strings("Names", "ok", "\xc3"), "Names", true},
		{"param after select", NewCommand("Get-CsSite").Select(Property{Name: "A"}).Switch("Force"), "Force", false},
		{"param after members", NewCommand("Get-CsSite").Members("A").Switch("Force"), "Force", false},
		{"select twice", NewCommand("Get-CsSite").Select(Property{Name: "A"}).Select(Property{Name: "B"}), "Select-Object", false},
		{"select after members", NewCommand("Get-CsSite").Members("A").Select(Property{Name: "B"}), "Select-Object", false},
		{"select none", NewCommand("Get-CsSite").Select(), "Select-Object", false},
		{"bad property", NewCommand("Get-CsSite").Select(Property{Name: "A'"}), "A'", false},
		{"bad source", NewCommand("Get-CsSite").Select(Property{Name: "A", From: "B.C"}), "B.C", false},
		{"bad cast", NewCommand("Get-CsSite").Select(Property{Name: "A", Cast: Cast(9)}), "A", false},
		{"negative cast", NewCommand("Get-CsSite").Select(Property{Name: "A", Cast: Cast(-1)}), "A", false},
		{"duplicate property", NewCommand("Get-CsSite").Select(Property{Name: "A"}, Property{Name: "a", From: "B"}), "a", false},
		{"members none", NewCommand("Get-CsSite").Members(), "", false},
		{"bad member", NewCommand("Get-CsSite").Members("Keys()"), "Keys()", false},
		{"first error wins", NewCommand("Get-CsSite").Switch("A B").Switch("C D"), "A B", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := tt.cmd.Script()
			if err == nil {
				t.Fatalf("Script = %q, want an error", s)
			}
			if !errors.Is(err, ErrBuild) {
				t.Errorf("errors.Is(%v, ErrBuild) = false", err)
			}
			if got := errors.Is(err, ErrInvalidString); got != tt.isInvalid {
				t.Errorf("errors.Is(%v, ErrInvalidString) = %v, want %v", err, got, tt.isInvalid)
			}
			var be *BuildError
			if !errors.As(err, &be) {
				t.Fatalf("error %T is not a *BuildError", err)
			}
			if be.Field != tt.field || be.Reason == "" {
				t.Errorf("BuildError = %+v, want Field %q and a reason", be, tt.field)
			}
		})
	}
}

// FuzzCommand builds a command from arbitrary values and reads it back with
// the independent reader: every value comes back whole, in its place.
func FuzzCommand(f *testing.F) {
	for _, s := range quoteSeeds {
		f.Add(s, "'", int64(-1))
	}
	f.Fuzz(func(t *testing.T, a, b string, n int64) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			_, err := NewCommand("Set-Thing").String("Name", a).Strings("Names", b).Script()
			if !errors.Is(err, ErrInvalidString) {
				t.Fatalf("invalid UTF-8 built without ErrInvalidString: %v", err)
			}
			return
		}
		src, err := NewCommand("Set-Thing").String("Name", a).Strings("Names", b, a).Int("N", n).
			Select(Property{Name: "X", Cast: CastString}).Script()
		if err != nil {
			t.Fatal(err)
		}
		got, err := tokenize(src)
		if err != nil {
			t.Fatalf("%q does not tokenize: %v", src, err)
		}
		want := []token{{tWord, "Set-Thing"}, {tParam, "-Name"}, {tString, a}, {tParam, "-Names"}, {tPunct, "@("},
			{tString, b}, {tPunct, ","}, {tString, a}, {tPunct, ")"}, {tParam, "-N"}, {tInt, Int(n)},
			{tPunct, "|"}, {tWord, "Select-Object"}, {tParam, "-Property"}, {tPunct, "@{"}, {tWord, "Name"},
			{tPunct, "="}, {tString, "X"}, {tPunct, ";"}, {tWord, "Expression"}, {tPunct, "="}, {tPunct, "{"},
			{tPunct, "[string]"}, {tVar, "$_"}, {tPunct, "."}, {tWord, "X"}, {tPunct, "}"}, {tPunct, "}"}}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(token{})); diff != "" {
			t.Fatalf("%q (-want +got):\n%s", src, diff)
		}
	})
}

func TestIfEqual(t *testing.T) {
	cond := func() *Command {
		return NewCommand("Get-CsSite").String("Identity", "Site2").Members("XmppFederationRoute")
	}
	got, err := IfEqual(cond(), "EdgeServer:it's", "Set-CsSite -Identity 'Site2'")
	want := "if ([string](Get-CsSite -Identity 'Site2').XmppFederationRoute -eq 'EdgeServer:it''s') { Set-CsSite -Identity 'Site2' }"
	if err != nil || got != want {
		t.Fatalf("IfEqual = %q, %v\nwant %q", got, err, want)
	}
	for name, f := range map[string]func() (string, error){
		"no members": func() (string, error) { return IfEqual(NewCommand("Get-CsSite"), "", "x") },
		"no body":    func() (string, error) { return IfEqual(cond(), "") },
		"bad value":  func() (string, error) { return IfEqual(cond(), "\xff", "x") },
		"bad cond":   func() (string, error) { return IfEqual(NewCommand("bad"), "", "x") },
	} {
		if _, err := f(); !errors.Is(err, ErrBuild) {
			t.Errorf("%s: err = %v, want ErrBuild", name, err)
		}
	}
}
