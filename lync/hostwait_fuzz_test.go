package lync

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fuzzWaitRunner is a host that holds wait scripts (it has an
// OperationTimeout) and answers the first script with raw; the next one
// finds the caller gone: it cancels the wait's context and fails with its
// error, so a wait that does not end on raw ends there.
type fuzzWaitRunner struct {
	raw     []byte
	cancel  context.CancelFunc
	scripts int
}

func (r *fuzzWaitRunner) Run(ctx context.Context, script string) (json.RawMessage, error) {
	r.scripts++
	if r.scripts > 1 {
		r.cancel()
		return nil, ctx.Err()
	}
	if !strings.Contains(script, "Start-Sleep") {
		return nil, errors.New("the first script is no wait script")
	}
	return r.raw, nil
}

func (r *fuzzWaitRunner) OperationTimeout() time.Duration { return time.Minute }

// FuzzHostWaitResult feeds the JSON a wait script returns from the host
// (the last read of Get-CsWindowsService or of
// Get-CsManagementStoreReplicationStatus) to WaitState and WaitUpToDate.
// Output that does not decode is a *WaitError matching ErrProtocol; a name
// the services lack is ErrNotFound; otherwise the wait is over exactly when
// every service the names name (by the case-insensitive match that finds
// them) has the state, or the replica listed first is up to date, and the
// wait returns what the host sent in either case.
func FuzzHostWaitResult(f *testing.F) {
	services := `[{"Name":"RTCSRV","Status":"Stopped","DisplayName":"Skype for Business Server Front-End","ActivityLevel":"Active sessions: 0"},` +
		`{"Name":"RTCMRAUTH","Status":"Running","DisplayName":"Skype for Business Server Media Relay Authentication","ActivityLevel":""}]`
	replica := `[{"ReplicaFqdn":"edge01.contoso.com","UpToDate":true,"LastStatusReport":"11/25/2026 9:58:01 PM"}]`
	for _, s := range []struct {
		raw, names string
		state      byte
	}{
		{services, "", 0}, {services, "RTCSRV", 1}, {services, "rtcsrv,RTCMRAUTH", 0}, {services, "REPLICA", 1},
		{`[{"Name":"rtcsrv","Status":"Running"}]`, "RTCSRV", 0},
		{`[]`, "", 1}, {`null`, "RTCSRV", 0}, {`{}`, "", 0}, {`[{"Status":7}]`, "", 0}, {``, "", 0},
		{replica, "", 0}, {`[{"ReplicaFqdn":"edge01.contoso.com","UpToDate":false,"LastStatusReport":"2026-11-25T21:58:01Z"}]`, "", 0},
		{`[{"UpToDate":"True"}]`, "", 0},
	} {
		f.Add([]byte(s.raw), s.names, s.state)
	}
	const computer = "edge01.contoso.com"
	f.Fuzz(func(t *testing.T, raw []byte, nameList string, stateSel byte) {
		state := ServiceStopped
		if stateSel&1 == 1 {
			state = ServiceRunning
		}
		var names []string
		for _, n := range strings.Split(nameList, ",") {
			if c, err := ParseServiceName(n); err == nil {
				names = append(names, c)
			}
		}

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		r := &fuzzWaitRunner{raw: raw, cancel: cancel}
		got, err := NewClient(r, ClientOptions{}).Services.WaitState(ctx, computer, state, time.Second, names...)
		var we *WaitError
		if err != nil && !errors.As(err, &we) {
			t.Fatalf("WaitState: %v is no *WaitError", err)
		}
		var want []Service
		if jerr := json.Unmarshal(raw, &want); jerr != nil {
			var pe *ProtocolError
			if !errors.As(err, &pe) || !errors.Is(err, ErrProtocol) || pe.Op != "Get-CsWindowsService" || got != nil {
				t.Fatalf("WaitState on %q: %v (%v), want a ProtocolError", raw, got, err)
			}
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("WaitState on %q returned %+v, not what the host sent", raw, got)
		}
		lacking := ""
		done := true
		for _, n := range names {
			found := false
			for _, s := range want {
				if strings.EqualFold(s.Name, n) {
					found = true
					done = done && s.Status == state
				}
			}
			if !found && lacking == "" {
				lacking = n
			}
		}
		if len(names) == 0 {
			for _, s := range want {
				done = done && s.Status == state
			}
		}
		switch {
		case lacking != "":
			if !errors.Is(err, ErrNotFound) || r.scripts != 1 || !strings.Contains(err.Error(), lacking) {
				t.Fatalf("WaitState(%q) on %q: %v after %d scripts, want ErrNotFound for %s", names, raw, err, r.scripts, lacking)
			}
		case done:
			if err != nil || r.scripts != 1 {
				t.Fatalf("WaitState(%s, %q) on %q: %v after %d scripts, want done", state, names, raw, err, r.scripts)
			}
		default:
			if !errors.Is(err, context.Canceled) || r.scripts != 2 {
				t.Fatalf("WaitState(%s, %q) on %q: %v after %d scripts, want still waiting", state, names, raw, err, r.scripts)
			}
		}

		ctx, cancel = context.WithCancel(context.Background())
		defer cancel()
		r = &fuzzWaitRunner{raw: raw, cancel: cancel}
		st, err := NewClient(r, ClientOptions{}).Replication.WaitUpToDate(ctx, computer, time.Second)
		if err != nil && !errors.As(err, &we) {
			t.Fatalf("WaitUpToDate: %v is no *WaitError", err)
		}
		var reps []replicationJSON
		switch jerr := json.Unmarshal(raw, &reps); {
		case jerr != nil:
			if !errors.Is(err, ErrProtocol) || st != nil {
				t.Fatalf("WaitUpToDate on %q: %+v, %v, want ErrProtocol", raw, st, err)
			}
		case len(reps) == 0:
			if !errors.Is(err, ErrNotFound) || st != nil || !strings.Contains(err.Error(), computer) {
				t.Fatalf("WaitUpToDate on %q: %+v, %v, want ErrNotFound", raw, st, err)
			}
		default:
			w := reps[0]
			if st == nil || st.ReplicaFQDN != w.ReplicaFqdn || st.UpToDate != w.UpToDate || st.LastStatusReport != w.LastStatusReport ||
				!st.LastStatusReportTime.Equal(parseHostTime(w.LastStatusReport)) {
				t.Fatalf("WaitUpToDate on %q returned %+v, not the first replica listed", raw, st)
			}
			if w.UpToDate != (err == nil) || !w.UpToDate && (!errors.Is(err, context.Canceled) || r.scripts != 2) {
				t.Fatalf("WaitUpToDate on %q: %v after %d scripts (up to date %v)", raw, err, r.scripts, w.UpToDate)
			}
		}
	})
}
