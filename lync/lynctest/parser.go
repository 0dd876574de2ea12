package lynctest

import "strings"

// The syntax tree of an inner script (docs/wire.md §4).
type (
	script    struct{ stmts []*statement }
	statement struct {
		pipe    *pipeline
		members []string // non-empty for "(pipeline).A.B"
	}
	pipeline struct{ cmds []*command }
	command  struct {
		name  string
		pos   int
		elems []element
	}
	// element is a parameter name or a value, in source order; the binder
	// pairs them because only it knows which parameters are switches.
	element struct {
		param    string // "" for a value
		colon    bool   // -Name:$true
		value    any    // nil, string, bool, int64, []any, or list (Select-Object)
		hasValue bool
		text     string // source text of the element, for messages
		pos      int
	}
	// list is a comma-separated value: only Select-Object -Property takes one.
	list []any
	// word is a bare word value: only a Select-Object property name.
	word string
	// calcProp is @{ Name = '<n>'; Expression = { <cast>$_.<Prop> } }.
	calcProp struct{ name, prop, cast string }
)

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) fail(t token, msg string) error { return &parseError{t.pos, msg} }

func (p *parser) expect(k tokKind, what string) (token, error) {
	t := p.next()
	if t.kind != k {
		return t, p.fail(t, "Missing "+what+".")
	}
	return t, nil
}

// parseScript parses and checks an inner script.
func parseScript(src string) (*script, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	sc := &script{}
	for {
		for k := p.peek().kind; k == tSemi || k == tNewline; k = p.peek().kind {
			p.next()
		}
		if p.peek().kind == tEOF {
			break
		}
		st, err := p.statement()
		if err != nil {
			return nil, err
		}
		sc.stmts = append(sc.stmts, st)
		switch t := p.peek(); t.kind {
		case tSemi, tNewline, tEOF:
		default:
			return nil, p.fail(t, "Unexpected token in expression or statement.")
		}
	}
	if err := checkScript(sc); err != nil {
		return nil, err
	}
	return sc, nil
}

func (p *parser) statement() (*statement, error) {
	t := p.peek()
	if t.kind == tWord {
		pl, err := p.pipeline()
		return &statement{pipe: pl}, err
	}
	if t.kind != tLParen {
		return nil, p.fail(t, "Unexpected token in expression or statement.")
	}
	p.next()
	pl, err := p.pipeline()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen, "closing ')' in expression"); err != nil {
		return nil, err
	}
	st := &statement{pipe: pl}
	for p.peek().kind == tDot && !p.peek().space {
		p.next()
		n := p.next()
		if n.kind != tWord || n.space || strings.ContainsAny(n.text, "-\u2013\u2014\u2015") {
			return nil, p.fail(n, "Missing property name after reference operator.")
		}
		st.members = append(st.members, n.text)
	}
	if len(st.members) == 0 {
		return nil, p.fail(p.peek(), "A parenthesized pipeline without member access is outside the supported subset.")
	}
	return st, nil
}

func (p *parser) pipeline() (*pipeline, error) {
	pl := &pipeline{}
	for {
		c, err := p.command()
		if err != nil {
			return nil, err
		}
		pl.cmds = append(pl.cmds, c)
		if p.peek().kind != tPipe {
			return pl, nil
		}
		p.next()
		for p.peek().kind == tNewline {
			p.next()
		}
	}
}

func (p *parser) command() (*command, error) {
	t := p.next()
	if t.kind != tWord {
		return nil, p.fail(t, "An empty pipe element is not allowed.")
	}
	c := &command{name: t.text, pos: t.pos}
	for {
		t := p.peek()
		switch t.kind {
		case tSemi, tNewline, tPipe, tRParen, tEOF:
			return c, nil
		case tParam:
			p.next()
			e := element{param: t.text, colon: t.colon, pos: t.pos, text: "-" + t.text}
			if t.colon {
				v := p.next()
				if v.kind != tVariable || v.space || (!strings.EqualFold(v.text, "true") && !strings.EqualFold(v.text, "false")) {
					return nil, p.fail(v, "Only $true or $false may follow a parameter name and a colon in the supported subset.")
				}
				e.value, e.hasValue = strings.EqualFold(v.text, "true"), true
			}
			c.elems = append(c.elems, e)
		default:
			if !t.space {
				return nil, p.fail(t, "Unexpected token in expression or statement.")
			}
			v, err := p.listValue()
			if err != nil {
				return nil, err
			}
			c.elems = append(c.elems, element{value: v, hasValue: true, pos: t.pos, text: valueText(v)})
		}
	}
}

// listValue reads one value, or a comma-separated list of values.
func (p *parser) listValue() (any, error) {
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tComma {
		return v, nil
	}
	l := list{v}
	for p.peek().kind == tComma {
		p.next()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		l = append(l, v)
	}
	return l, nil
}

func (p *parser) value() (any, error) {
	t := p.next()
	switch t.kind {
	case tString, tNumber, tVariable:
		return literal(p, t)
	case tWord:
		return word(t.text), nil
	case tAtParen:
		arr := []any{}
		if p.peek().kind == tRParen {
			p.next()
			return arr, nil
		}
		for {
			v, err := literal(p, p.next())
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
			n := p.next()
			if n.kind == tRParen {
				return arr, nil
			}
			if n.kind != tComma {
				return nil, p.fail(n, "Missing closing ')' in subexpression.")
			}
		}
	case tAtBrace:
		return p.calcProp(t)
	}
	return nil, p.fail(t, "Unexpected token in expression or statement.")
}

func literal(p *parser, t token) (any, error) {
	switch t.kind {
	case tString:
		return t.text, nil
	case tNumber:
		return t.num, nil
	case tVariable:
		switch strings.ToLower(t.text) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		return nil, p.fail(t, "Variables other than $true, $false and $null are outside the supported subset.")
	}
	return nil, p.fail(t, "Unexpected token in expression or statement.")
}

// calcProp reads the rest of @{ Name = '<n>'; Expression = { <cast>$_.<Prop> } }.
func (p *parser) calcProp(open token) (any, error) {
	var cp calcProp
	seen := map[string]bool{}
	for {
		k := p.next()
		key := strings.ToLower(k.text)
		if k.kind != tWord || (key != "name" && key != "expression") || seen[key] {
			return nil, p.fail(k, "Only a Name and an Expression key are supported in a calculated property.")
		}
		seen[key] = true
		if _, err := p.expect(tEquals, "'=' operator after key in hash literal"); err != nil {
			return nil, err
		}
		if key == "name" {
			v, err := p.expect(tString, "statement after '=' in hash literal")
			if err != nil {
				return nil, err
			}
			cp.name = v.text
		} else if err := p.expression(&cp); err != nil {
			return nil, err
		}
		sep := p.next()
		if sep.kind == tRBrace {
			break
		}
		if sep.kind != tSemi {
			return nil, p.fail(sep, "The hash literal was incomplete.")
		}
	}
	if !seen["name"] || !seen["expression"] {
		return nil, p.fail(open, "A calculated property needs Name and Expression.")
	}
	return cp, nil
}

// expression reads { [cast]$_.Prop }.
func (p *parser) expression(cp *calcProp) error {
	if _, err := p.expect(tLBrace, "'{' of the script block"); err != nil {
		return err
	}
	t := p.next()
	if t.kind == tLBracket {
		ty, err := p.expect(tWord, "type name")
		if err != nil {
			return err
		}
		cp.cast = strings.ToLower(ty.text)
		if p.peek().kind == tLBracket {
			p.next()
			if _, err := p.expect(tRBracket, "']'"); err != nil {
				return err
			}
			cp.cast += "[]"
		}
		if _, err := p.expect(tRBracket, "']'"); err != nil {
			return err
		}
		switch cp.cast {
		case "string", "string[]", "int", "bool":
		default:
			return p.fail(ty, "Only the casts [string], [string[]], [int] and [bool] are supported.")
		}
		t = p.next()
	}
	if t.kind != tVariable || t.text != "_" {
		return p.fail(t, "Only $_.<Property> is supported in a calculated property.")
	}
	if d := p.next(); d.kind != tDot || d.space {
		return p.fail(d, "Only $_.<Property> is supported in a calculated property.")
	}
	n := p.next()
	if n.kind != tWord || n.space {
		return p.fail(n, "Missing property name after reference operator.")
	}
	cp.prop = n.text
	_, err := p.expect(tRBrace, "closing '}' in statement block")
	return err
}

// checkScript refuses shapes the subset does not have: Select-Object only
// after a pipe and only as -Property <items>; bare words, lists and hash
// literals only there.
func checkScript(sc *script) error {
	for _, st := range sc.stmts {
		for i, c := range st.pipe.cmds {
			isSelect := strings.EqualFold(c.name, "Select-Object")
			if i > 0 && !isSelect {
				return &parseError{c.pos, "Only Select-Object may follow a pipe in the supported subset."}
			}
			if isSelect {
				if i == 0 || len(c.elems) != 2 || !strings.EqualFold(c.elems[0].param, "Property") ||
					c.elems[0].colon || c.elems[1].param != "" || !selectItems(c.elems[1].value) {
					return &parseError{c.pos, "Select-Object is supported only as: Select-Object -Property <items>."}
				}
				continue
			}
			for _, e := range c.elems {
				switch e.value.(type) {
				case list, word, calcProp:
					return &parseError{e.pos, "Only literals and @(...) arrays are supported as parameter values."}
				}
			}
		}
	}
	return nil
}

func selectItems(v any) bool {
	items, ok := v.(list)
	if !ok {
		items = list{v}
	}
	for _, it := range items {
		switch it.(type) {
		case word, string, calcProp:
		default:
			return false
		}
	}
	return true
}

// valueText renders a value the way PowerShell names an argument in messages.
func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case word:
		return string(x)
	case []any, list:
		return "System.Object[]"
	case calcProp:
		return "System.Collections.Hashtable"
	}
	return toString(v)
}
