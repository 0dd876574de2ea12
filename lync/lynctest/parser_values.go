package lynctest

import "strings"

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
