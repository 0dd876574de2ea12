package lynctest

import "strings"

// The syntax tree of an inner script (docs/wire.md §4).
type (
	script    struct{ stmts []*statement }
	statement struct {
		pipe    *pipeline
		members []string // non-empty for "(pipeline).A.B"
		assign  *assignment
		loop    *whileLoop
		cond    *ifStmt // set (and pipe nil) for an if statement
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
	sc, err := p.block(tEOF)
	if err != nil {
		return nil, err
	}
	if err := checkScript(sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// block parses statements up to the token end (tEOF, or the tRBrace of a
// loop body, which it leaves unread).
func (p *parser) block(end tokKind) (*script, error) {
	sc := &script{}
	for {
		for k := p.peek().kind; k == tSemi || k == tNewline; k = p.peek().kind {
			p.next()
		}
		if k := p.peek().kind; k == end || k == tEOF {
			return sc, nil
		}
		st, err := p.statement()
		if err != nil {
			return nil, err
		}
		sc.stmts = append(sc.stmts, st)
		switch t := p.peek(); t.kind {
		case tSemi, tNewline, tEOF:
		case end:
		default:
			return nil, p.fail(t, "Unexpected token in expression or statement.")
		}
	}
}

func (p *parser) statement() (*statement, error) {
	t := p.peek()
	if t.kind == tVariable {
		return p.assignment()
	}
	if t.kind == tWord && strings.EqualFold(t.text, "while") {
		return p.whileLoop()
	}
	if isIf(t) {
		return p.ifStatement()
	}
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
		case tSemi, tNewline, tPipe, tRParen, tRBrace, tEOF:
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
