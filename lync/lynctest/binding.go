package lynctest

import (
	"fmt"
	"sort"
	"strings"
)

type paramKind int

const (
	pString     paramKind = iota // string; $null and '' refused
	pStringNull                  // string or $null (AllowNull, AllowEmptyString)
	pSwitch                      // SwitchParameter
	pStrings                     // string[]
	pInt                         // int
	pAny                         // object (accepted, unused)
)

var kindType = map[paramKind]string{pString: "System.String", pStringNull: "System.String",
	pSwitch: "System.Management.Automation.SwitchParameter", pStrings: "System.String[]",
	pInt: "System.Int32", pAny: "System.Object"}

type paramDef struct {
	name      string
	kind      paramKind
	position  int // 1-based position for positional binding; 0 = named only
	mandatory bool
}

// cmdletDef is one cmdlet the reader knows.
type cmdletDef struct {
	name, class   string
	lync          bool // defined by the Lync module: needs Import-Module first
	shouldProcess bool // has -WhatIf and -Confirm
	params        []paramDef
	run           func(rc *runCtx, b bound) ([]any, *ErrorRecord)
}

// bound holds the bound parameters by canonical name.
type bound map[string]any

func (b bound) has(name string) bool { _, ok := b[name]; return ok }

func (b bound) str(name string) string { s, _ := b[name].(string); return s }

func (b bound) sw(name string) bool { v, _ := b[name].(bool); return v }

func (b bound) strs(name string) []string { s, _ := b[name].([]string); return s }

var commonParams = []paramDef{
	{name: "Verbose", kind: pSwitch}, {name: "Debug", kind: pSwitch},
	{name: "ErrorAction", kind: pString}, {name: "WarningAction", kind: pString},
	{name: "InformationAction", kind: pString}, {name: "ErrorVariable", kind: pString},
	{name: "WarningVariable", kind: pString}, {name: "InformationVariable", kind: pString},
	{name: "OutVariable", kind: pString}, {name: "OutBuffer", kind: pInt},
	{name: "PipelineVariable", kind: pString},
}

var shouldProcessParams = []paramDef{{name: "WhatIf", kind: pSwitch}, {name: "Confirm", kind: pSwitch}}

// allParams returns the cmdlet's parameters followed by the common ones, in
// the order (Get-Command X).Parameters.Keys lists them.
func (c *cmdletDef) allParams() []paramDef {
	out := append(append([]paramDef(nil), c.params...), commonParams...)
	if c.shouldProcess {
		out = append(out, shouldProcessParams...)
	}
	return out
}

func (c *cmdletDef) lookup(name string) (*paramDef, *ErrorRecord) {
	all := c.allParams()
	var matches []*paramDef
	for i := range all {
		if strings.EqualFold(all[i].name, name) {
			return &all[i], nil
		}
		if len(name) > 0 && strings.HasPrefix(strings.ToLower(all[i].name), strings.ToLower(name)) {
			matches = append(matches, &all[i])
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return nil, bindingError(c, "NamedParameterNotFound", "InvalidArgument",
			fmt.Sprintf("A parameter cannot be found that matches parameter name '%s'.", name))
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = "-" + m.name
	}
	sort.Strings(names)
	return nil, bindingError(c, "AmbiguousParameter", "InvalidArgument",
		fmt.Sprintf("Parameter cannot be processed because the parameter name '%s' is ambiguous. Possible matches include: %s.",
			name, strings.Join(names, " ")))
}

// bind pairs the elements of a command with the cmdlet's parameters as the
// PowerShell parameter binder does, and converts the values.
func (c *cmdletDef) bind(elems []element) (bound, *ErrorRecord) {
	b := bound{}
	var positional []element
	for i := 0; i < len(elems); i++ {
		e := elems[i]
		if e.param == "" {
			positional = append(positional, e)
			continue
		}
		p, er := c.lookup(e.param)
		if er != nil {
			return nil, er
		}
		if b.has(p.name) {
			return nil, bindingError(c, "ParameterAlreadyBound", "InvalidArgument", fmt.Sprintf(
				"Cannot bind parameter because parameter '%s' is specified more than once. To provide multiple values "+
					"to parameters that can accept multiple values, use the array syntax. For example, "+
					"\"-parameter value1,value2,value3\".", p.name))
		}
		val, has := e.value, e.hasValue
		if p.kind == pSwitch && !has {
			val, has = true, true
		}
		if !has {
			if i+1 >= len(elems) || elems[i+1].param != "" {
				return nil, bindingError(c, "MissingArgument", "InvalidArgument", fmt.Sprintf(
					"Missing an argument for parameter '%s'. Specify a parameter of type '%s' and try again.",
					p.name, kindType[p.kind]))
			}
			i++
			val = elems[i].value
		}
		v, er := c.convert(p, val)
		if er != nil {
			return nil, er
		}
		b[p.name] = v
	}
	for _, e := range positional {
		p := c.nextPositional(b)
		if p == nil {
			return nil, bindingError(c, "PositionalParameterNotFound", "InvalidArgument",
				fmt.Sprintf("A positional parameter cannot be found that accepts argument '%s'.", e.text))
		}
		v, er := c.convert(p, e.value)
		if er != nil {
			return nil, er
		}
		b[p.name] = v
	}
	var missing []string
	for _, p := range c.params {
		if p.mandatory && !b.has(p.name) {
			missing = append(missing, p.name)
		}
	}
	if len(missing) > 0 {
		return nil, bindingError(c, "MissingMandatoryParameter", "InvalidArgument", fmt.Sprintf(
			"Cannot process command because of one or more missing mandatory parameters: %s.", strings.Join(missing, " ")))
	}
	return b, nil
}

func (c *cmdletDef) nextPositional(b bound) *paramDef {
	var best *paramDef
	for i := range c.params {
		p := &c.params[i]
		if p.position > 0 && !b.has(p.name) && (best == nil || p.position < best.position) {
			best = p
		}
	}
	return best
}

// convert coerces an argument to the parameter's type as PowerShell's
// binder does (ParameterBinderBase.CoerceTypeAsNeeded): a collection of any
// length bound to a scalar [string] or [int] parameter is refused
// (NotSupportedException: CannotConvertArgument 'System.Object[]'), never
// unwrapped nor joined with $OFS as a [string] cast would; a failed scalar
// conversion is a PSInvalidCastException (CannotConvertArgumentNoMessage).
func (c *cmdletDef) convert(p *paramDef, v any) (any, *ErrorRecord) {
	cannot := func() *ErrorRecord {
		return bindingError(c, "CannotConvertArgument", "InvalidArgument", fmt.Sprintf(
			"Cannot convert '%s' to the type '%s' required by parameter '%s'. Specified method is not supported.",
			valueText(v), kindType[p.kind], p.name))
	}
	switch p.kind {
	case pSwitch:
		if bv, ok := v.(bool); ok {
			return bv, nil
		}
		return nil, cannot()
	case pAny:
		return v, nil
	case pInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case string:
			n, er := toInt(x)
			if er != nil {
				return nil, bindingError(c, "CannotConvertArgumentNoMessage", "InvalidArgument", fmt.Sprintf(
					"Cannot bind parameter '%s'. %s", p.name, er.Message))
			}
			return n, nil
		}
		return nil, cannot()
	case pStrings:
		if v == nil {
			return nil, bindingError(c, "ParameterArgumentValidationErrorNullNotAllowed", "InvalidData",
				fmt.Sprintf("Cannot validate argument on parameter '%s'. The argument is null or empty.", p.name))
		}
		var out []string
		for _, e := range enumerate(v) {
			if _, isArr := e.([]any); isArr {
				return nil, cannot()
			}
			out = append(out, toString(e))
		}
		return out, nil
	}
	// pString, pStringNull
	switch x := v.(type) {
	case nil:
		if p.kind == pStringNull {
			return nil, nil
		}
		return nil, bindingError(c, "ParameterArgumentValidationErrorNullNotAllowed", "InvalidData",
			fmt.Sprintf("Cannot bind argument to parameter '%s' because it is null.", p.name))
	case []any:
		return nil, cannot()
	case string:
		if x == "" && p.kind == pString {
			return nil, bindingError(c, "ParameterArgumentValidationErrorEmptyStringNotAllowed", "InvalidData",
				fmt.Sprintf("Cannot bind argument to parameter '%s' because it is an empty string.", p.name))
		}
		return x, nil
	}
	return toString(v), nil
}
