package pwsh

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

const objsOpen = `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">`

// realCLIXML is stderr of a failed -EncodedCommand run, shaped as a real host
// writes it: a progress record, then the error wrapped over several S elements,
// then a second block.
const realCLIXML = "#< CLIXML\r\n" + objsOpen +
	`<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>` +
	`<S S="Error">Get-CsSite : Cannot find site_x000D__x000A_</S>` +
	`<S S="Error">    + CategoryInfo          : ObjectNotFound: (:) [], _x0027_Site2_x0027__x000D__x000A_</S></Objs>` +
	objsOpen + `<S S="verbose">not an error_x000D__x000A_</S><S S="Error">    + FullyQualifiedErrorId : Identity not found.,Microsoft.Rtc.Management.Xds.GetSiteCmdlet_x000D__x000A_</S><S S="Error"> _x000D__x000A_</S></Objs>`

const realText = "Get-CsSite : Cannot find site\r\n" +
	"    + CategoryInfo          : ObjectNotFound: (:) [], 'Site2'\r\n" +
	"    + FullyQualifiedErrorId : Identity not found.,Microsoft.Rtc.Management.Xds.GetSiteCmdlet\r\n "

func TestDecodeCLIXML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"real", realCLIXML, realText},
		{"plain text", "At line:1 char:1\r\n+ & { oops\r\n", "At line:1 char:1\r\n+ & { oops\r\n"},
		{"empty", "", ""},
		{"header only", "#< CLIXML\r\n", ""},
		{"no errors", "#< CLIXML\r\n" + objsOpen + `<S S="warning">w</S></Objs>`, ""},
		{"surrogate pair", "#< CLIXML\r\n" + objsOpen + `<S S="Error">smile _xD83D__xDE00_!</S></Objs>`, "smile 😀!"},
		{"lone high surrogate", "#< CLIXML\r\n" + objsOpen + `<S S="Error">a_xD83D_b</S></Objs>`, "a\uFFFDb"},
		{"lone low surrogate", "#< CLIXML\r\n" + objsOpen + `<S S="Error">_xDE00__x0041_</S></Objs>`, "\uFFFDA"},
		{"escaped underscore", "#< CLIXML\r\n" + objsOpen + `<S S="Error">_x005F_x0041_</S></Objs>`, "_x0041_"},
		{"not escapes", "#< CLIXML\r\n" + objsOpen + `<S S="Error">_x12_ _xZZZZ_ _X0041_ x_</S></Objs>`, "_x12_ _xZZZZ_ _X0041_ x_"},
		{"lower-case hex", "#< CLIXML\r\n" + objsOpen + `<S S="Error">_x00e9_</S></Objs>`, "é"},
		{"XML entities", "#< CLIXML\r\n" + objsOpen + `<S S="Error">a &lt;b&gt; &amp; &quot;c&quot;</S></Objs>`, `a <b> & "c"`},
		{"nested S is not an error line", "#< CLIXML\r\n" + objsOpen + `<Obj><S S="Error">deep</S></Obj></Objs>`, ""},
		{"two headers", "#< CLIXML\r\n" + objsOpen + `<S S="Error">one_x000D__x000A_</S></Objs>` + "\r\n#< CLIXML\r\n" + objsOpen + `<S S="Error">two</S></Objs>`, "one\r\ntwo"},
		{"LF header", "#< CLIXML\n" + objsOpen + `<S S="Error">x</S></Objs>` + "\n", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := DecodeCLIXML([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("DecodeCLIXML =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestDecodeCLIXMLChunks splits the stderr anywhere before concatenating it,
// as the WinRM receive loop delivers it.
func TestDecodeCLIXMLChunks(t *testing.T) {
	t.Parallel()
	in := []byte(realCLIXML)
	for i := 0; i <= len(in); i++ {
		var all []byte
		for _, chunk := range [][]byte{in[:i], in[i:]} {
			all = append(all, chunk...)
		}
		got, err := DecodeCLIXML(all)
		if err != nil || got != realText {
			t.Fatalf("split at %d: %q, %v", i, got, err)
		}
	}
}

func TestDecodeCLIXMLMalformed(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"truncated":       realCLIXML[:len(realCLIXML)/2],
		"not XML":         "#< CLIXML\r\nplain text after the header",
		"other top":       "#< CLIXML\r\n<Obj></Obj>",
		"text outside":    "#< CLIXML\r\n" + objsOpen + "</Objs>trailing",
		"element in S":    "#< CLIXML\r\n" + objsOpen + `<S S="Error">a<B/>b</S></Objs>`,
		"bad entity":      "#< CLIXML\r\n" + objsOpen + `<S S="Error">&bogus;</S></Objs>`,
		"invalid UTF-8":   "#< CLIXML\r\n" + objsOpen + "<S S=\"Error\">\xff</S></Objs>",
		"too deep":        "#< CLIXML\r\n" + objsOpen + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</Objs>",
		"directive":       "#< CLIXML\r\n<!DOCTYPE x>" + objsOpen + "</Objs>",
		"mismatched tags": "#< CLIXML\r\n" + objsOpen + "<S></T></Objs>",
	} {
		got, err := DecodeCLIXML([]byte(in))
		var fe *FrameError
		if !errors.As(err, &fe) || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: DecodeCLIXML = %q, %v; want a *FrameError", name, got, err)
			continue
		}
		if len(fe.Excerpt) > MaxExcerpt || !utf8.ValidString(fe.Excerpt) || !strings.HasPrefix(fe.Reason, "clixml: ") {
			t.Errorf("%s: FrameError = %+v", name, fe)
		}
	}
}

// FuzzDecodeCLIXML: no panic; text or a bounded typed error; plain text is
// returned unchanged.
func FuzzDecodeCLIXML(f *testing.F) {
	f.Add([]byte(realCLIXML))
	f.Add([]byte("#< CLIXML\r\n" + objsOpen + `<S S="Error">_xD83D__xDE00__x005F_x0041_</S></Objs>`))
	f.Add([]byte("#< CLIXML\r\n" + objsOpen + `<S S="Error">_xD83D_</S></Objs>#< CLIXML`))
	f.Add([]byte("plain"))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := DecodeCLIXML(in)
		if err != nil {
			var fe *FrameError
			if got != "" || !errors.As(err, &fe) || !errors.Is(err, ErrMalformed) || len(fe.Excerpt) > MaxExcerpt || !utf8.ValidString(fe.Excerpt) {
				t.Fatalf("DecodeCLIXML = %q, %#v", got, err)
			}
			return
		}
		if !strings.HasPrefix(string(in), clixmlHeader) {
			if got != string(in) {
				t.Fatalf("plain text changed: %q -> %q", in, got)
			}
			return
		}
		if !utf8.ValidString(got) || len(got) > len(in) {
			t.Fatalf("decoded %q from %d bytes", got, len(in))
		}
	})
}
