package lynctest

import "strings"

// The wait constructs of docs/wire.md §4: a deadline in a variable and a
// while loop whose body sleeps, so that one script blocks on the host until a
// state is reached or the deadline passes.
//
//	$until = [DateTime]::UtcNow.AddMilliseconds(25000)
//	while ([DateTime]::UtcNow -lt $until -and @(<pipeline>).Count -gt 0) { Start-Sleep -Milliseconds 250 }
type (
	// assignment is $name = <operand>.
	assignment struct {
		name string
		val  operand
	}
	// whileLoop is while (<cond>) { <body> }.
	whileLoop struct {
		cond []comparison // joined by -and
		body *script
	}
	// comparison is <left> -op <right>.
	comparison struct {
		left, right operand
		op          string // lower case: lt, le, gt, ge, eq, ne
	}
	// operand is one side of a comparison or an assigned value.
	operand struct {
		kind  operandKind
		name  string    // oVar
		num   int64     // oInt; oNow: milliseconds added
		count *pipeline // oCount: @(<pipeline>).Count
	}
	operandKind int
)

const (
	oNow   operandKind = iota + 1 // [DateTime]::UtcNow[.AddMilliseconds(n)]
	oVar                          // $name
	oInt                          // integer literal
	oCount                        // @(<pipeline>).Count
)

var comparisonOps = map[string]bool{"lt": true, "le": true, "gt": true, "ge": true, "eq": true, "ne": true}

// assignment reads $name = [DateTime]::UtcNow[.AddMilliseconds(n)].
func (p *parser) assignment() (*statement, error) {
	v := p.next()
	switch strings.ToLower(v.text) {
	case "true", "false", "null", "_", "input", "args", "this":
		return nil, p.fail(v, "Cannot overwrite variable "+v.text+" because it is read-only or constant.")
	}
	if _, err := p.expect(tEquals, "'=' after the variable (a variable alone is outside the supported subset)"); err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tEOF || t.kind == tSemi || t.kind == tNewline {
		return nil, p.fail(t, "You must provide a value expression following the '=' operator.")
	}
	val, err := p.operand()
	if err != nil {
		return nil, err
	}
	if val.kind != oNow {
		return nil, p.fail(t, "Only [DateTime]::UtcNow may be assigned in the supported subset.")
	}
	return &statement{assign: &assignment{name: strings.ToLower(v.text), val: val}}, nil
}

// whileLoop reads while (<cond>) { <statements> }.
func (p *parser) whileLoop() (*statement, error) {
	p.next()
	if _, err := p.expect(tLParen, "opening '(' after keyword 'while'"); err != nil {
		return nil, err
	}
	if p.peek().kind == tRParen {
		return nil, p.fail(p.peek(), "Missing expression after 'while ('.")
	}
	var loop whileLoop
	for {
		c, err := p.comparison()
		if err != nil {
			return nil, err
		}
		loop.cond = append(loop.cond, c)
		t := p.peek()
		if t.kind == tParam && strings.EqualFold(t.text, "and") && !t.colon {
			p.next()
			continue
		}
		if t.kind != tRParen {
			return nil, p.fail(t, "Missing closing ')' after expression in 'while' statement.")
		}
		p.next()
		break
	}
	body, err := p.braced("statement block after 'while ( condition )'")
	if err != nil {
		return nil, err
	}
	loop.body = body
	return &statement{loop: &loop}, nil
}

// comparison reads <operand> -op <operand>; both sides must be dates or both
// numbers (PowerShell would convert between them; the client never asks it to).
func (p *parser) comparison() (comparison, error) {
	start := p.peek()
	left, err := p.operand()
	if err != nil {
		return comparison{}, err
	}
	op := p.next()
	if op.kind != tParam || op.colon {
		return comparison{}, p.fail(op, "Unexpected token in expression or statement.")
	}
	name := strings.ToLower(op.text)
	if !comparisonOps[name] {
		return comparison{}, p.fail(op, "Unexpected token '-"+op.text+"' in expression or statement.")
	}
	if !op.space || !p.peek().space {
		return comparison{}, p.fail(op, "Operators without surrounding spaces are outside the supported subset.")
	}
	right, err := p.operand()
	if err != nil {
		return comparison{}, err
	}
	if left.isDate() != right.isDate() {
		return comparison{}, p.fail(start, "A comparison of a date with a number is outside the supported subset.")
	}
	return comparison{left: left, right: right, op: name}, nil
}

// isDate reports whether the operand is a DateTime: [DateTime]::UtcNow, or a
// variable (only dates may be assigned).
func (o operand) isDate() bool { return o.kind == oNow || o.kind == oVar }

func (p *parser) operand() (operand, error) {
	t := p.next()
	switch t.kind {
	case tNumber:
		return operand{kind: oInt, num: t.num}, nil
	case tVariable:
		switch strings.ToLower(t.text) {
		case "true", "false", "null", "_":
			return operand{}, p.fail(t, "Only variables assigned by the script are supported in a condition.")
		}
		return operand{kind: oVar, name: strings.ToLower(t.text)}, nil
	case tLBracket:
		return p.utcNow(t)
	case tAtParen:
		pl, err := p.pipeline()
		if err != nil {
			return operand{}, err
		}
		if _, err := p.expect(tRParen, "closing ')' in subexpression"); err != nil {
			return operand{}, err
		}
		d := p.next()
		n := p.next()
		if d.kind != tDot || d.space || n.kind != tWord || n.space || !strings.EqualFold(n.text, "Count") {
			return operand{}, p.fail(d, "Only @(<pipeline>).Count is supported in a condition.")
		}
		return operand{kind: oCount, count: pl}, nil
	}
	return operand{}, p.fail(t, "Unexpected token in expression or statement.")
}

// utcNow reads the rest of [DateTime]::UtcNow[.AddMilliseconds(<integer>)].
func (p *parser) utcNow(open token) (operand, error) {
	ty := p.next()
	if ty.kind != tWord {
		return operand{}, p.fail(ty, "Missing type name after '['.")
	}
	if !strings.EqualFold(ty.text, "DateTime") {
		return operand{}, p.fail(ty, "Only the type [DateTime] is supported in an expression.")
	}
	if _, err := p.expect(tRBracket, "']' at end of type name"); err != nil {
		return operand{}, err
	}
	if t := p.next(); t.kind != tColonColon || t.space {
		return operand{}, p.fail(t, "Only [DateTime]::UtcNow is supported in an expression.")
	}
	m := p.next()
	if m.kind != tWord || m.space || !strings.EqualFold(m.text, "UtcNow") {
		return operand{}, p.fail(m, "Only [DateTime]::UtcNow is supported in an expression.")
	}
	o := operand{kind: oNow}
	if d := p.peek(); d.kind != tDot || d.space {
		return o, nil
	}
	p.next()
	m = p.next()
	if m.kind != tWord || m.space || !strings.EqualFold(m.text, "AddMilliseconds") {
		return operand{}, p.fail(m, "Only the method AddMilliseconds is supported on [DateTime]::UtcNow.")
	}
	if t := p.next(); t.kind != tLParen || t.space {
		return operand{}, p.fail(t, "Missing '(' after the method name (a method without a call is outside the supported subset).")
	}
	n := p.next()
	if n.kind == tRParen {
		return operand{}, p.fail(n, `Cannot find an overload for "AddMilliseconds" and the argument count: "0".`)
	}
	if n.kind != tNumber {
		return operand{}, p.fail(n, "Only an integer argument is supported for AddMilliseconds.")
	}
	if _, err := p.expect(tRParen, "closing ')' in method call"); err != nil {
		return operand{}, err
	}
	o.num = n.num
	return o, nil
}

// walk calls f on every pipeline of the script, loop conditions and bodies
// included.
func (sc *script) walk(f func(*pipeline) error) error {
	for _, st := range sc.stmts {
		switch {
		case st.pipe != nil:
			if err := f(st.pipe); err != nil {
				return err
			}
		case st.loop != nil:
			for _, c := range st.loop.cond {
				for _, o := range []operand{c.left, c.right} {
					if o.count != nil {
						if err := f(o.count); err != nil {
							return err
						}
					}
				}
			}
			if err := st.loop.body.walk(f); err != nil {
				return err
			}
		case st.cond != nil:
			if err := f(st.cond.left.pipe); err != nil {
				return err
			}
			if err := st.cond.body.walk(f); err != nil {
				return err
			}
		}
	}
	return nil
}
