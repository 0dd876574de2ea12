package lynctest

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// reply is a WS-Man answer: status and envelope.
type reply struct {
	status int
	body   []byte
}

func okReply(action, relatesTo, body string) reply {
	return reply{http.StatusOK, envelope(action, relatesTo, body)}
}

func (h *Host) fault(f soapFault, relatesTo string) reply {
	status := http.StatusInternalServerError
	if f.code == "s:Sender" && f.subcode == "w:SchemaValidationError" {
		status = http.StatusBadRequest
	}
	return reply{status, f.envelope(relatesTo, h.fqdn)}
}

// serveAction dispatches an authenticated, parsed request.
func (h *Host) serveAction(ctx context.Context, action string, r *request) reply {
	d, rel := h.d, r.Header.MessageID
	if action == ActionCreate {
		sh, quota := h.createShell(r.user)
		if sh == nil {
			return h.fault(faultQuota.with(strconv.Itoa(quota)), rel)
		}
		body := `<x:ResourceCreated><a:Address>` + esc(strings.TrimSpace(r.Header.ResourceURI)) + `</a:Address>` +
			`<a:ReferenceParameters><w:ResourceURI>` + uriShellCmd + `</w:ResourceURI><w:SelectorSet>` +
			`<w:Selector Name="ShellId">` + sh.id + `</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>` +
			`<rsp:Shell><rsp:ShellId>` + sh.id + `</rsp:ShellId><rsp:ResourceUri>` + uriShellCmd + `</rsp:ResourceUri>` +
			`<rsp:Owner>` + esc(sh.owner) + `</rsp:Owner><rsp:ClientIP>127.0.0.1</rsp:ClientIP>` +
			`<rsp:IdleTimeOut>` + xsDuration(d.idleTimeout) + `</rsp:IdleTimeOut><rsp:InputStreams>stdin</rsp:InputStreams>` +
			`<rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`
		return okReply(uriTransfer+"CreateResponse", rel, body)
	}
	sid := r.shellID()
	sh, other := h.useShell(sid, r.user)
	if other {
		return h.fault(faultOtherUser, rel)
	}
	if sh == nil {
		return h.fault(faultNoShell.with(sid), rel)
	}
	defer h.doneWithShell(sh)
	switch action {
	case ActionDelete:
		h.deleteShell(sh)
		return okReply(uriTransfer+"DeleteResponse", rel, "")
	case ActionCommand:
		if r.Body.CommandLine == nil {
			return h.fault(faultBadRequest, rel)
		}
		command, args := r.Body.CommandLine.Command, r.Body.CommandLine.Arguments
		viaCmd := !strings.EqualFold(r.option("WINRS_SKIP_CMD_SHELL"), "TRUE")
		if !viaCmd && commandLineLength(command, args) > maxCreateProcess {
			return h.fault(faultTooLong, rel) // CreateProcess refuses it
		}
		p := newProcess(d.base)
		d.mu.Lock()
		sh.procs[p.id] = p
		d.mu.Unlock()
		if viaCmd && commandLineLength(command, args) > maxCmdLine {
			d.startCmdError(p, "The command line is too long.\r\n")
		} else {
			d.startProcess(h, p, command, args)
		}
		return okReply(uriShell+"CommandResponse", rel, `<rsp:CommandResponse><rsp:CommandId>`+p.id+`</rsp:CommandId></rsp:CommandResponse>`)
	case ActionSend:
		if r.Body.Send == nil {
			return h.fault(faultBadRequest, rel)
		}
		for _, st := range r.Body.Send.Streams {
			p := h.proc(sh, st.CommandID)
			if p == nil {
				return h.fault(faultBadCommand.with(st.CommandID), rel)
			}
			data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(st.Data))
			if err != nil {
				return h.fault(faultBadRequest, rel)
			}
			p.write(data, st.End == "true" || st.End == "1")
		}
		return okReply(uriShell+"SendResponse", rel, `<rsp:SendResponse/>`)
	case ActionSignal:
		if r.Body.Signal == nil {
			return h.fault(faultBadRequest, rel)
		}
		p := h.proc(sh, r.Body.Signal.CommandID)
		if p == nil {
			return h.fault(faultBadCommand.with(r.Body.Signal.CommandID), rel)
		}
		if c := strings.TrimSpace(r.Body.Signal.Code); c == signalTerm || c == signalCtrlC {
			p.cancel()
		}
		return okReply(uriShell+"SignalResponse", rel, `<rsp:SignalResponse/>`)
	case ActionReceive:
		if r.Body.Receive == nil {
			return h.fault(faultBadRequest, rel)
		}
		return h.receive(ctx, sh, r)
	}
	return h.fault(faultBadAction.with(r.Header.Action), rel)
}

func (h *Host) proc(sh *shell, id string) *process {
	h.d.mu.Lock()
	defer h.d.mu.Unlock()
	return sh.procs[strings.TrimSpace(id)]
}

func (h *Host) receive(ctx context.Context, sh *shell, r *request) reply {
	d, rel := h.d, r.Header.MessageID
	cid := strings.TrimSpace(r.Body.Receive.DesiredStream.CommandID)
	p := h.proc(sh, cid)
	if p == nil {
		return h.fault(faultBadCommand.with(cid), rel)
	}
	if d.fire(h.fqdn, ActionReceive, "", "", FaultTimedOut) != nil {
		return h.fault(faultTimedOut, rel)
	}
	wait := d.maxOpTimeout
	if t, ok := parseDuration(r.Header.OperationTimeout); ok && t < wait {
		wait = t
	}
	out, errOut, done, exit, got := p.receive(ctx, wait, d.closing)
	if !got {
		return h.fault(faultTimedOut, rel)
	}
	var b strings.Builder
	b.WriteString(`<rsp:ReceiveResponse>`)
	stream := func(name string, data []byte) {
		if len(data) > 0 {
			fmt.Fprintf(&b, `<rsp:Stream Name="%s" CommandId="%s">%s</rsp:Stream>`, name, p.id, base64.StdEncoding.EncodeToString(data))
		}
		if done {
			fmt.Fprintf(&b, `<rsp:Stream Name="%s" CommandId="%s" End="true"></rsp:Stream>`, name, p.id)
		}
	}
	stream("stdout", out)
	stream("stderr", errOut)
	if done {
		fmt.Fprintf(&b, `<rsp:CommandState CommandId="%s" State="%s"><rsp:ExitCode>%d</rsp:ExitCode></rsp:CommandState>`, p.id, stateDone, exit)
	} else {
		fmt.Fprintf(&b, `<rsp:CommandState CommandId="%s" State="%s"></rsp:CommandState>`, p.id, stateRunning)
	}
	b.WriteString(`</rsp:ReceiveResponse>`)
	return okReply(uriShell+"ReceiveResponse", rel, b.String())
}

// parseDuration reads the xs:duration forms WS-Man clients send
// ("PT60S", "PT60.000S", "PT1M30S", "P0DT0H1M0S").
func parseDuration(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	i := strings.IndexByte(s, 'T')
	if !strings.HasPrefix(s, "P") || i < 0 {
		return 0, false
	}
	var total time.Duration
	if days := strings.TrimSuffix(s[1:i], "D"); days != "" {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, false
		}
		total += time.Duration(n) * 24 * time.Hour
	}
	num := ""
	for _, c := range s[i+1:] {
		unit := map[rune]time.Duration{'H': time.Hour, 'M': time.Minute, 'S': time.Second}[c]
		if unit == 0 {
			num += string(c)
			continue
		}
		f, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return 0, false
		}
		total += time.Duration(f * float64(unit))
		num = ""
	}
	return total, num == "" && total >= 0
}
