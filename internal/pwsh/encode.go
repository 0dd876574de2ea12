package pwsh

import (
	"encoding/base64"
	"unicode/utf16"
)

// MaxCommandLine is the longest command line cmd.exe accepts, in characters.
const MaxCommandLine = 8191

// PersistentCommandLine starts a PowerShell host that reads one script per
// stdin line (wire.md §1).
const PersistentCommandLine = "powershell.exe -NoProfile -NonInteractive -Command -"

const encodedPrefix = "powershell.exe -NoProfile -NonInteractive -EncodedCommand "

// Encode returns the -EncodedCommand form of script: standard base64 of its
// UTF-16LE code units. Invalid UTF-8 in script becomes U+FFFD.
func Encode(script string) string {
	units := utf16.Encode([]rune(script))
	b := make([]byte, 2*len(units))
	for i, u := range units {
		b[2*i] = byte(u)
		b[2*i+1] = byte(u >> 8)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// EncodedCommandLine returns
// "powershell.exe -NoProfile -NonInteractive -EncodedCommand <Encode(script)>",
// or a *TooLongError (matching ErrTooLong) when that line would exceed
// MaxCommandLine characters.
func EncodedCommandLine(script string) (string, error) {
	n := len(encodedPrefix) + base64.StdEncoding.EncodedLen(2*len(utf16.Encode([]rune(script))))
	if n > MaxCommandLine {
		return "", &TooLongError{Length: n, Limit: MaxCommandLine}
	}
	return encodedPrefix + Encode(script), nil
}
