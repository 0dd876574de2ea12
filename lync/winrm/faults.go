package winrm

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// WSManFault is a SOAP fault or another non-200, non-401 answer of the
// WS-Management service (REFERENCE.md §2). For an HTTP answer without a SOAP
// fault body only StatusCode is set.
type WSManFault struct {
	StatusCode     int    // HTTP status of the answer
	Action         string // WS-Man action of the request, e.g. "Receive"
	Code           string // SOAP Code value, e.g. "s:Receiver"
	Subcode        string // SOAP Subcode value, e.g. "w:TimedOut"
	Reason         string // SOAP Reason text, trimmed
	WSManFaultCode string // Code attribute of the WSManFault detail, e.g. "2150858793"
}

// Error implements error.
func (f *WSManFault) Error() string {
	if f.Code == "" && f.Subcode == "" {
		return fmt.Sprintf("WS-Management %s: HTTP %d", f.Action, f.StatusCode)
	}
	return fmt.Sprintf("WS-Management %s: HTTP %d fault %s/%s (%s): %s",
		f.Action, f.StatusCode, f.Code, f.Subcode, f.WSManFaultCode, f.Reason)
}

// TimedOut reports whether the fault is the w:TimedOut answer a Receive
// long poll gets when no output came within the OperationTimeout.
func (f *WSManFault) TimedOut() bool {
	_, local, _ := strings.Cut(f.Subcode, ":")
	if local == "" {
		local = f.Subcode
	}
	return local == "TimedOut"
}

const nsAddressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing"

type soapFaultEnvelope struct {
	XMLName xml.Name `xml:"http://www.w3.org/2003/05/soap-envelope Envelope"`
	Body    struct {
		Fault *struct {
			Code struct {
				Value   string `xml:"http://www.w3.org/2003/05/soap-envelope Value"`
				Subcode struct {
					Value string `xml:"http://www.w3.org/2003/05/soap-envelope Value"`
				} `xml:"http://www.w3.org/2003/05/soap-envelope Subcode"`
			} `xml:"http://www.w3.org/2003/05/soap-envelope Code"`
			Reason struct {
				Text []string `xml:"http://www.w3.org/2003/05/soap-envelope Text"`
			} `xml:"http://www.w3.org/2003/05/soap-envelope Reason"`
			Detail struct {
				WSManFault struct {
					Code string `xml:"Code,attr"`
				} `xml:"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault WSManFault"`
			} `xml:"http://www.w3.org/2003/05/soap-envelope Detail"`
		} `xml:"http://www.w3.org/2003/05/soap-envelope Fault"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
}

var errNoFault = errors.New("no SOAP fault in body")

// parseFault reads a SOAP 1.2 fault from body. It returns errNoFault (or an
// XML error) when body holds no fault.
func parseFault(body []byte) (*WSManFault, error) {
	var env soapFaultEnvelope
	if err := xml.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	f := env.Body.Fault
	if f == nil {
		return nil, errNoFault
	}
	return &WSManFault{
		Code:           strings.TrimSpace(f.Code.Value),
		Subcode:        strings.TrimSpace(f.Code.Subcode.Value),
		Reason:         strings.TrimSpace(strings.Join(f.Reason.Text, " ")),
		WSManFaultCode: strings.TrimSpace(f.Detail.WSManFault.Code),
	}, nil
}

// wsmanAction returns the last path segment of the WS-Addressing Action
// of a request body ("Create", "Command", "Send", "Receive", "Signal",
// "Delete"), or "" when there is none.
func wsmanAction(body string) string {
	d := xml.NewDecoder(strings.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Action" || se.Name.Space != nsAddressing {
			continue
		}
		var uri string
		if d.DecodeElement(&uri, &se) != nil {
			return ""
		}
		uri = strings.TrimSpace(uri)
		return uri[strings.LastIndexByte(uri, '/')+1:]
	}
}
