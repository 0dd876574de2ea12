package lynctest

import "fmt"

// ErrorRecord is the error record of docs/wire.md §3: what a framed script's
// catch block reports. Fault.Record takes one.
type ErrorRecord struct {
	Type                  string // exception type, e.g. "System.InvalidOperationException"
	Message               string
	FullyQualifiedErrorId string
	Category              string // ErrorCategory name, e.g. "ObjectNotFound"
	Cmdlet                string // InvocationInfo.MyCommand.Name; may be empty
}

func (e *ErrorRecord) json() string {
	o := newObject("System.Collections.Hashtable",
		"Type", e.Type, "Message", e.Message, "FullyQualifiedErrorId", e.FullyQualifiedErrorId,
		"Category", e.Category, "Cmdlet", e.Cmdlet)
	return convertToJSON(o, 2)
}

const (
	typeCommandNotFound = "System.Management.Automation.CommandNotFoundException"
	typeParamBinding    = "System.Management.Automation.ParameterBindingException"
	typeParamValidation = "System.Management.Automation.ParameterBindingValidationException"
	typeParse           = "System.Management.Automation.ParseException"
	typeLyncNotFound    = "Microsoft.Rtc.Management.ManagementException"
)

func commandNotFound(name, fqidSuffix string) *ErrorRecord {
	fqid := "CommandNotFoundException"
	if fqidSuffix != "" {
		fqid += "," + fqidSuffix
	}
	return &ErrorRecord{
		Type: typeCommandNotFound,
		Message: fmt.Sprintf("The term '%s' is not recognized as the name of a cmdlet, function, script file, "+
			"or operable program. Check the spelling of the name, or if a path was included, verify that the path "+
			"is correct and try again.", name),
		FullyQualifiedErrorId: fqid,
		Category:              "ObjectNotFound",
	}
}

// bindingError is a ParameterBindingException of cmdlet c.
func bindingError(c *cmdletDef, id, category, msg string) *ErrorRecord {
	t := typeParamBinding
	if category == "InvalidData" {
		t = typeParamValidation
	}
	return &ErrorRecord{Type: t, Message: msg, FullyQualifiedErrorId: id + "," + c.class,
		Category: category, Cmdlet: c.name}
}

// notFound is the error of a Lync cmdlet for a missing site, pool, computer
// or replica. The exact type and id of real servers are unconfirmed
// (docs/wire.md §5): the id contains "NotFound" and the category is
// ObjectNotFound.
func notFound(c *cmdletDef, what, identity string) *ErrorRecord {
	return &ErrorRecord{
		Type:                  typeLyncNotFound,
		Message:               fmt.Sprintf("Cannot find %s %q because it does not exist.", what, identity),
		FullyQualifiedErrorId: "IdentityNotFound," + c.class,
		Category:              "ObjectNotFound",
		Cmdlet:                c.name,
	}
}

func parseErrorRecord(src string, pe *parseError) *ErrorRecord {
	return &ErrorRecord{Type: typeParse, Message: parseMessage(src, pe),
		FullyQualifiedErrorId: "ParseException", Category: "ParserError"}
}

// parseMessage renders a parse error as PowerShell does: position, the
// line, a caret and the message.
func parseMessage(src string, pe *parseError) string {
	rs := []rune(src)
	line, col, start := 1, 1, 0
	for i := 0; i < pe.pos && i < len(rs); i++ {
		if rs[i] == '\n' {
			line, col, start = line+1, 1, i+1
		} else {
			col++
		}
	}
	end := start
	for end < len(rs) && rs[end] != '\n' && rs[end] != '\r' {
		end++
	}
	text := string(rs[start:end])
	if len([]rune(text)) > 120 {
		text = string([]rune(text)[:120]) + " ..."
	}
	caret := ""
	for i := 1; i < col && i < 120; i++ {
		caret += " "
	}
	return fmt.Sprintf("At line:%d char:%d\r\n+ %s\r\n+ %s~\r\n%s", line, col, text, caret, pe.msg)
}
