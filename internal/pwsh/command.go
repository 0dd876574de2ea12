package pwsh

import (
	"strings"
)

// Command builds one command of the subset of wire.md §4: a cmdlet with
// parameters, optionally piped to Select-Object and wrapped in a member
// expression. The builder methods return the Command for chaining; the first
// problem is kept and returned by Script. Parameters must come before Select,
// and Select before Members. A Command is not safe for concurrent use.
type Command struct {
	name    string
	params  []string // rendered " -Name value" pieces
	seen    map[string]bool
	sel     []string // rendered Select-Object items; nil when no Select
	members []string
	err     *BuildError
}

// Cast is the cast of a calculated property in Select.
type Cast int

// The casts of wire.md §4.
const (
	CastNone    Cast = iota // no cast
	CastString              // [string]
	CastStrings             // [string[]]
	CastInt                 // [int]
	CastBool                // [bool]
)

var castText = [...]string{CastNone: "", CastString: "[string]", CastStrings: "[string[]]", CastInt: "[int]", CastBool: "[bool]"}

// Property is one item of Select. With CastNone and From empty or equal to
// Name it is written as the bare name; otherwise as the calculated property
// @{ Name = '<Name>'; Expression = { <cast>$_.<From> } }.
type Property struct {
	Name string // output property name: ASCII letters and digits, starting with a letter
	From string // source property; empty means Name
	Cast Cast
}

// NewCommand starts a command for the cmdlet name, which must have the form
// Verb-Noun of ASCII letters and digits.
func NewCommand(name string) *Command {
	c := &Command{name: name, seen: map[string]bool{}}
	verb, noun, ok := strings.Cut(name, "-")
	if !ok || !isName(verb) || !isName(noun) {
		c.fail("", "cmdlet name is not Verb-Noun of ASCII letters and digits", nil)
	}
	return c
}

// isName reports whether s is an ASCII letter followed by ASCII letters and digits.
func isName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func (c *Command) fail(field, reason string, err error) {
	if c.err == nil {
		c.err = &BuildError{Command: c.name, Field: field, Reason: reason, Err: err}
	}
}

// param appends " -<name><sep><value>" after checking the name and the order.
func (c *Command) param(name, sep, value string) *Command {
	switch key := strings.ToLower(name); {
	case !isName(name):
		c.fail(name, "parameter name is not ASCII letters and digits", nil)
	case c.sel != nil || c.members != nil:
		c.fail(name, "parameter after Select or Members", nil)
	case c.seen[key]:
		c.fail(name, "duplicate parameter", nil) // PowerShell names are case-insensitive
	default:
		c.seen[key] = true
		c.params = append(c.params, " -"+name+sep+value)
	}
	return c
}

func (c *Command) checkValue(param, value string) bool {
	if Valid(value) != nil {
		c.fail(param, "value is not valid UTF-8", ErrInvalidString)
		return false
	}
	return true
}

// String adds "-Param '<value>'". A value that is not valid UTF-8 is refused.
func (c *Command) String(param, value string) *Command {
	if !c.checkValue(param, value) {
		return c
	}
	return c.param(param, " ", Quote(value))
}

// Strings adds "-Param @('<v1>', '<v2>')", "-Param @()" for no values.
func (c *Command) Strings(param string, values ...string) *Command {
	for _, v := range values {
		if !c.checkValue(param, v) {
			return c
		}
	}
	return c.param(param, " ", Array(values...))
}

// Int adds "-Param <v>".
func (c *Command) Int(param string, v int64) *Command { return c.param(param, " ", Int(v)) }

// Bool adds "-Param $true" or "-Param $false", for parameters of type bool.
func (c *Command) Bool(param string, v bool) *Command { return c.param(param, " ", Bool(v)) }

// SwitchValue adds "-Param:$true" or "-Param:$false", the explicit value of a
// switch parameter (e.g. -Confirm:$false).
func (c *Command) SwitchValue(param string, v bool) *Command { return c.param(param, ":", Bool(v)) }

// Switch adds "-Param".
func (c *Command) Switch(param string) *Command { return c.param(param, "", "") }

// Null adds "-Param $null".
func (c *Command) Null(param string) *Command { return c.param(param, " ", Null) }

// Select pipes the command to "Select-Object -Property <items>". It may be
// called once, with at least one property, before Members.
func (c *Command) Select(props ...Property) *Command {
	switch {
	case c.sel != nil || c.members != nil:
		c.fail("Select-Object", "Select after Select or Members", nil)
		return c
	case len(props) == 0:
		c.fail("Select-Object", "no properties", nil)
		return c
	}
	items := make([]string, 0, len(props))
	names := map[string]bool{}
	for _, p := range props {
		from := p.From
		if from == "" {
			from = p.Name
		}
		switch {
		case !isName(p.Name):
			c.fail(p.Name, "property name is not ASCII letters and digits", nil)
		case !isName(from):
			c.fail(p.From, "source property name is not ASCII letters and digits", nil)
		case p.Cast < CastNone || int(p.Cast) >= len(castText):
			c.fail(p.Name, "unknown cast", nil)
		case names[strings.ToLower(p.Name)]:
			c.fail(p.Name, "duplicate property", nil)
		case p.Cast == CastNone && from == p.Name:
			items = append(items, p.Name)
		default:
			items = append(items, "@{ Name = "+Quote(p.Name)+"; Expression = { "+castText[p.Cast]+"$_."+from+" } }")
		}
		names[strings.ToLower(p.Name)] = true
	}
	if c.err == nil {
		c.sel = items
	}
	return c
}

// Members wraps the pipeline in a member expression, "(<pipeline>).A.B".
// Further calls append more names.
func (c *Command) Members(names ...string) *Command {
	if len(names) == 0 {
		c.fail("", "Members without names", nil)
	}
	for _, n := range names {
		if !isName(n) {
			c.fail(n, "member name is not ASCII letters and digits", nil)
			return c
		}
	}
	c.members = append(c.members, names...)
	return c
}

// Script returns the command as PowerShell text, or the first problem any
// builder call met as a *BuildError (matching ErrBuild).
func (c *Command) Script() (string, error) {
	if c.err != nil {
		return "", c.err
	}
	var b strings.Builder
	if c.members != nil {
		b.WriteString("(")
	}
	b.WriteString(c.name)
	for _, p := range c.params {
		b.WriteString(p)
	}
	if c.sel != nil {
		b.WriteString(" | Select-Object -Property ")
		b.WriteString(strings.Join(c.sel, ", "))
	}
	if c.members != nil {
		b.WriteString(")")
		for _, m := range c.members {
			b.WriteString("." + m)
		}
	}
	return b.String(), nil
}
