package lynctest

import (
	"strings"
	"unicode/utf16"
)

// procMode is what a command line starts.
type procMode int

const (
	modeNotFound   procMode = iota // not powershell: cmd.exe "is not recognized"
	modePersistent                 // powershell.exe -Command - : one frame line per stdin line
	modeEncoded                    // powershell.exe -EncodedCommand <base64 UTF-16LE>
	modeText                       // powershell.exe -Command <text>
)

// Command line limits: cmd.exe (WinRS runs commands through it unless
// WINRS_SKIP_CMD_SHELL is TRUE) and CreateProcess, in UTF-16 code units.
const (
	maxCmdLine       = 8191
	maxCreateProcess = 32767
)

func commandLineLength(command string, args []string) int {
	n := len(utf16.Encode([]rune(command)))
	for _, a := range args {
		n += 1 + len(utf16.Encode([]rune(a)))
	}
	return n
}

// parseCommandLine reads the rsp:Command text (and arguments) of a
// shell/Command request as cmd.exe and powershell.exe would.
func parseCommandLine(command string, args []string) (mode procMode, arg string) {
	line := command
	if len(args) > 0 {
		line += " " + strings.Join(args, " ")
	}
	fields := fieldsWithRest(line)
	if len(fields) == 0 {
		return modeNotFound, ""
	}
	prog := strings.ToLower(fields[0].text)
	if i := strings.LastIndexAny(prog, `\/`); i >= 0 {
		prog = prog[i+1:]
	}
	if prog != "powershell" && prog != "powershell.exe" {
		return modeNotFound, fields[0].text
	}
	for i := 1; i < len(fields); i++ {
		switch strings.ToLower(fields[i].text) {
		case "-noprofile", "-noninteractive", "-nologo":
		case "-inputformat", "-outputformat", "-executionpolicy", "-windowstyle":
			i++
		case "-command", "-c":
			if i+1 >= len(fields) || fields[i+1].rest == "-" {
				return modePersistent, ""
			}
			return modeText, fields[i+1].rest
		case "-encodedcommand", "-enc", "-e", "-ec":
			if i+1 >= len(fields) {
				return modeEncoded, ""
			}
			return modeEncoded, fields[i+1].text
		default:
			return modeText, fields[i].rest
		}
	}
	return modePersistent, ""
}

type field struct{ text, rest string }

// fieldsWithRest splits s at spaces and tabs, keeping for each field the
// rest of the line from its start.
func fieldsWithRest(s string) []field {
	var out []field
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		out = append(out, field{text: s[i:j], rest: strings.TrimRight(s[i:], " \t")})
		i = j
	}
	return out
}

// decodeUTF16LE decodes the bytes of -EncodedCommand.
func decodeUTF16LE(b []byte) (string, bool) {
	if len(b)%2 != 0 {
		return "", false
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(u)), true
}
