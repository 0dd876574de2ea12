package pwsh

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestEncode(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"Get-Date", "RwBlAHQALQBEAGEAdABlAA=="},
		{"é", "6QA="},
		{"😀", "PdgA3g=="}, // surrogate pair D83D DE00, little-endian
	}
	for _, tt := range tests {
		if got := Encode(tt.in); got != tt.want {
			t.Errorf("Encode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Decoding gives the script back.
	s := "& { 'a\u2019b' }\r\n😀"
	raw, err := base64.StdEncoding.DecodeString(Encode(s))
	if err != nil {
		t.Fatal(err)
	}
	units := make([]uint16, len(raw)/2)
	for i := range units {
		units[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
	}
	if got := string(utf16.Decode(units)); got != s {
		t.Errorf("round trip = %q, want %q", got, s)
	}
}

func TestEncodedCommandLine(t *testing.T) {
	t.Parallel()
	got, err := EncodedCommandLine("Get-Date")
	if err != nil {
		t.Fatal(err)
	}
	if want := "powershell.exe -NoProfile -NonInteractive -EncodedCommand RwBlAHQALQBEAGEAdABlAA=="; got != want {
		t.Errorf("EncodedCommandLine = %q, want %q", got, want)
	}

	// The prefix is 58 characters and base64 comes in fours, so the longest
	// line is 8190: 3049 ASCII characters are 6098 bytes of UTF-16, 8132
	// base64 characters. One more character gives 8194, over 8191.
	const fits = 3049
	line, err := EncodedCommandLine(strings.Repeat("a", fits))
	if err != nil {
		t.Fatalf("%d characters: %v", fits, err)
	}
	if len(line) != MaxCommandLine-1 {
		t.Errorf("line of %d characters is %d long, want exactly %d", fits, len(line), MaxCommandLine-1)
	}
	_, err = EncodedCommandLine(strings.Repeat("a", fits+1))
	var tl *TooLongError
	if !errors.As(err, &tl) || !errors.Is(err, ErrTooLong) {
		t.Fatalf("%d characters: err = %v, want *TooLongError", fits+1, err)
	}
	if *tl != (TooLongError{Length: 8194, Limit: 8191}) {
		t.Errorf("TooLongError = %+v, want Length 8194, Limit 8191", tl)
	}
	if want := "pwsh: command line of 8194 characters exceeds the limit of 8191"; tl.Error() != want {
		t.Errorf("Error() = %q, want %q", tl.Error(), want)
	}
	// A non-BMP character takes two UTF-16 units, and counts as such.
	_, err = EncodedCommandLine(strings.Repeat("😀", fits/2+1))
	if !errors.Is(err, ErrTooLong) {
		t.Errorf("%d emoji: err = %v, want ErrTooLong", fits/2+1, err)
	}
}
