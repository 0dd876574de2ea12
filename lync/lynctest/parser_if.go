package lynctest

import "strings"

// ifStmt is the one conditional of the subset (docs/wire.md §4):
//
//	if ([string](<pipeline>).<Member> -eq '<literal>') { <statements> }
//
// the check of a compare-and-set, run on the host in the same script as the
// change it guards.
type ifStmt struct {
	left  *statement // the member expression; its value is cast to [string]
	right string
	body  *script
}

// ifStatement reads an if statement; the "if" keyword is the next token.
func (p *parser) ifStatement() (*statement, error) {
	kw := p.next()
	if _, err := p.expect(tLParen, "'(' after 'if' in if statement"); err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tLBracket {
		return nil, p.fail(t, "Only [string](<pipeline>).<Property> -eq '<literal>' is supported as an if condition.")
	}
	ty, err := p.expect(tWord, "type name")
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(ty.text, "string") {
		return nil, p.fail(ty, "Only the cast [string] is supported in an if condition.")
	}
	if _, err := p.expect(tRBracket, "']'"); err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tLParen || t.space {
		return nil, p.fail(t, "Only [string](<pipeline>).<Property> -eq '<literal>' is supported as an if condition.")
	}
	left, err := p.statement()
	if err != nil {
		return nil, err
	}
	op := p.next()
	if op.kind != tParam || op.colon || !strings.EqualFold(op.text, "eq") {
		return nil, p.fail(op, "Only the -eq operator is supported in an if condition.")
	}
	right, err := p.expect(tString, "value expression following the '-eq' operator")
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen, "closing ')' after expression in 'if' statement"); err != nil {
		return nil, err
	}
	body, err := p.braced("statement block after if ( condition )")
	if err != nil {
		return nil, err
	}
	if len(body.stmts) == 0 {
		return nil, p.fail(kw, "An empty if block is outside the supported subset.")
	}
	return &statement{cond: &ifStmt{left: left, right: right.text, body: body}}, nil
}

// braced reads the statement block of a loop or an if, "{ <statements> }",
// after any newlines (what names the block in the message when '{' is
// missing).
func (p *parser) braced(what string) (*script, error) {
	for p.peek().kind == tNewline {
		p.next()
	}
	if _, err := p.expect(tLBrace, what); err != nil {
		return nil, err
	}
	body, err := p.block(tRBrace)
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRBrace, "closing '}' in statement block or type definition"); err != nil {
		return nil, err
	}
	return body, nil
}

// isIf reports an "if" keyword (PowerShell keywords ignore case).
func isIf(t token) bool { return t.kind == tWord && strings.EqualFold(t.text, "if") }

// ifStatement runs st: the body when [string] of the condition's value equals
// the literal as -eq compares strings (case-insensitively); nothing otherwise.
func (rc *runCtx) ifStatement(st *ifStmt) ([]any, *ErrorRecord) {
	vals, er := rc.statement(st.left)
	if er != nil {
		return nil, er
	}
	var v any
	switch len(vals) {
	case 0:
	case 1:
		v = vals[0]
	default:
		v = vals
	}
	if !strings.EqualFold(toString(v), st.right) {
		return nil, nil
	}
	return rc.statements(st.body)
}
