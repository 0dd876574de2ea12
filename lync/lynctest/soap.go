package lynctest

import (
	"bytes"
	"crypto/rand"
	"encoding/xml"
	"fmt"
	"strings"
)

// XML namespaces of WS-Management and the Windows shell.
const (
	nsSOAP     = "http://www.w3.org/2003/05/soap-envelope"
	nsAddr     = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
	nsTransfer = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
	nsWSMan    = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
	nsMSWSMan  = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
	nsShell    = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
	nsFault    = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"

	uriTransfer   = "http://schemas.xmlsoap.org/ws/2004/09/transfer/"
	uriShell      = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"
	uriShellCmd   = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
	uriAnonymous  = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
	uriFault      = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"
	stateDone     = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"
	stateRunning  = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"
	signalTerm    = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate"
	signalCtrlC   = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/ctrl_c"
	maxBodyOctets = 1 << 20
)

// request is the part of a WS-Man request the fake host reads, and the
// user who sent it.
type request struct {
	user   string
	Header struct {
		Action           string `xml:"http://schemas.xmlsoap.org/ws/2004/08/addressing Action"`
		MessageID        string `xml:"http://schemas.xmlsoap.org/ws/2004/08/addressing MessageID"`
		OperationTimeout string `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd OperationTimeout"`
		ResourceURI      string `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd ResourceURI"`
		OptionSet        struct {
			Options []struct {
				Name  string `xml:"Name,attr"`
				Value string `xml:",chardata"`
			} `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd Option"`
		} `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd OptionSet"`
		SelectorSet struct {
			Selectors []struct {
				Name  string `xml:"Name,attr"`
				Value string `xml:",chardata"`
			} `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd Selector"`
		} `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd SelectorSet"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Header"`
	Body struct {
		CommandLine *struct {
			Command   string   `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Command"`
			Arguments []string `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Arguments"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell CommandLine"`
		Send *struct {
			Streams []struct {
				Name      string `xml:"Name,attr"`
				CommandID string `xml:"CommandId,attr"`
				End       string `xml:"End,attr"`
				Data      string `xml:",chardata"`
			} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Stream"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Send"`
		Receive *struct {
			DesiredStream struct {
				CommandID string `xml:"CommandId,attr"`
				Streams   string `xml:",chardata"`
			} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell DesiredStream"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Receive"`
		Signal *struct {
			CommandID string `xml:"CommandId,attr"`
			Code      string `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Code"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Signal"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
}

// action returns the short action name ("Create", ...) or "" for an Action
// URI this host does not serve.
func (r *request) action() string {
	a := strings.TrimSpace(r.Header.Action)
	switch {
	case a == uriTransfer+"Create":
		return ActionCreate
	case a == uriTransfer+"Delete":
		return ActionDelete
	case a == uriShell+"Command", a == uriShell+"Send", a == uriShell+"Receive", a == uriShell+"Signal":
		return strings.TrimPrefix(a, uriShell)
	}
	return ""
}

func (r *request) option(name string) string {
	for _, o := range r.Header.OptionSet.Options {
		if strings.EqualFold(o.Name, name) {
			return strings.TrimSpace(o.Value)
		}
	}
	return ""
}

func (r *request) shellID() string {
	for _, s := range r.Header.SelectorSet.Selectors {
		if s.Name == "ShellId" {
			return strings.TrimSpace(s.Value)
		}
	}
	return ""
}

func parseRequest(body []byte) (*request, error) {
	var r request
	dec := xml.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}

// newUUID returns a random upper-case UUID as Windows prints them.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

const envelopeOpen = `<s:Envelope xml:lang="en-US" xmlns:s="` + nsSOAP + `" xmlns:a="` + nsAddr +
	`" xmlns:x="` + nsTransfer + `" xmlns:w="` + nsWSMan + `" xmlns:rsp="` + nsShell + `" xmlns:p="` + nsMSWSMan + `">`

// envelope builds a response envelope with the given Action URI and body XML.
func envelope(action, relatesTo, body string) []byte {
	var b strings.Builder
	b.WriteString(envelopeOpen)
	b.WriteString("<s:Header><a:Action>" + esc(action) + "</a:Action>")
	b.WriteString("<a:MessageID>uuid:" + newUUID() + "</a:MessageID>")
	b.WriteString("<a:To>" + uriAnonymous + "</a:To>")
	if relatesTo != "" {
		b.WriteString("<a:RelatesTo>" + esc(relatesTo) + "</a:RelatesTo>")
	}
	b.WriteString("</s:Header><s:Body>" + body + "</s:Body></s:Envelope>")
	return []byte(b.String())
}

// soapFault describes a WS-Man fault answer.
type soapFault struct {
	code, subcode, reason string
	wsmanCode             uint32
}

var (
	faultTimedOut = soapFault{"s:Receiver", "w:TimedOut",
		"The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ", 2150858793}
	faultInjected = soapFault{"s:Receiver", "w:InternalError", "Injected fault (lynctest). ", 2147500037}
	faultNoShell  = soapFault{"s:Sender", "w:InvalidSelectors",
		"The request for the Windows Remote Shell with ShellId %s failed because the shell was not found on the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. Provide the correct ShellId or create a new shell and retry the operation. ", 2150858843}
	faultBadCommand = soapFault{"s:Sender", "w:InvalidParameter",
		"The WinRS client cannot process the request because the command ID %s is not valid. ", 2150858886}
	faultQuota = soapFault{"s:Receiver", "w:QuotaLimit",
		"The WS-Management service cannot process the request. This user is allowed a maximum number of %s concurrent shells, which has been exceeded. Close existing shells or raise the quota for this user. ", 2150859174}
	// faultOtherUser is Windows' "Access is denied." (E_ACCESSDENIED,
	// 0x80070005) in the shape a real host sends it (HTTP 500, s:Receiver,
	// w:InternalError; seen in wazuh/wazuh-ansible#581).
	faultOtherUser = soapFault{"s:Receiver", "w:InternalError", "Access is denied. ", 2147942405}
	faultTooLong   = soapFault{"s:Receiver", "w:InternalError", "The filename or extension is too long. ", 2147942606}
	faultBadAction = soapFault{"s:Sender", "a:ActionNotSupported",
		"The WS-Management service does not support the specified action %s. ", 2150858759}
	faultBadRequest = soapFault{"s:Sender", "w:SchemaValidationError",
		"The SOAP XML in the message does not match the corresponding XML schema definition. ", 2150858817}
)

func (f soapFault) with(arg string) soapFault {
	f.reason = fmt.Sprintf(f.reason, arg)
	return f
}

func (f soapFault) envelope(relatesTo, machine string) []byte {
	body := `<s:Fault><s:Code><s:Value>` + f.code + `</s:Value><s:Subcode><s:Value>` + f.subcode +
		`</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">` + esc(f.reason) +
		`</s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f="` + nsFault + `" Code="` + fmt.Sprint(f.wsmanCode) +
		`" Machine="` + esc(machine) + `"><f:Message>` + esc(f.reason) + `</f:Message></f:WSManFault></s:Detail></s:Fault>`
	return envelope(uriFault, relatesTo, body)
}
