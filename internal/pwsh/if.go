package pwsh

import "strings"

// IfEqual returns the one conditional of wire.md §4,
//
//	if ([string]<cond> -eq '<value>') { <body>; ... }
//
// which runs body only when the value of cond, a member expression (see
// Members), cast to [string], equals value as PowerShell's -eq compares
// strings: ignoring case. A compare-and-set sends its check and its change
// in one script this way.
func IfEqual(cond *Command, value string, body ...string) (string, error) {
	left, err := cond.Script()
	switch {
	case err != nil:
		return "", err
	case cond.members == nil:
		return "", &BuildError{Command: cond.name, Reason: "an if condition needs a member expression"}
	case len(body) == 0:
		return "", &BuildError{Command: cond.name, Reason: "an if statement needs a body"}
	case Valid(value) != nil:
		return "", &BuildError{Command: cond.name, Field: "-eq", Reason: "value is not valid UTF-8", Err: ErrInvalidString}
	}
	var b strings.Builder
	b.WriteString("if ([string]")
	b.WriteString(left)
	b.WriteString(" -eq ")
	b.WriteString(Quote(value))
	b.WriteString(") { ")
	b.WriteString(Join(body...))
	b.WriteString(" }")
	return b.String(), nil
}
