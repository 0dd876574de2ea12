package lync

import (
	"context"
	"encoding/json"
	"time"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// ReplicationService reads Central Management Store replication status
// (Get-CsManagementStoreReplicationStatus). Edge servers get configuration,
// such as a new XMPP route, only through it.
type ReplicationService service

// ReplicationStatus is the CMS replication state of one replica.
type ReplicationStatus struct {
	ReplicaFQDN string
	UpToDate    bool
	// LastStatusReport is the host's text of the time of the replica's last
	// report ([string] of a DateTime, host culture); LastStatusReportTime is
	// that text parsed, or the zero time when no known layout matched.
	LastStatusReport     string
	LastStatusReportTime time.Time
}

type replicationJSON struct {
	ReplicaFqdn      string
	UpToDate         bool
	LastStatusReport string
}

// Status returns the replication status of replica (an FQDN); a replica the
// host does not know matches ErrNotFound.
//
// Runs: Get-CsManagementStoreReplicationStatus -ReplicaFqdn <fqdn> | Select-Object -Property ReplicaFqdn, UpToDate, LastStatusReport
func (s *ReplicationService) Status(ctx context.Context, replica string) (*ReplicationStatus, error) {
	fqdn, script, err := statusScript(replica)
	if err != nil {
		return nil, err
	}
	var out []replicationJSON
	if err := s.client.run(ctx, "Get-CsManagementStoreReplicationStatus", script, &out); err != nil {
		return nil, err
	}
	return replicationStatus(fqdn, out)
}

// statusScript checks replica and returns its FQDN and Status's script.
func statusScript(replica string) (string, string, error) {
	fqdn, err := parseFQDN("replica", replica)
	if err != nil {
		return "", "", err
	}
	script, err := pwsh.NewCommand("Get-CsManagementStoreReplicationStatus").String("ReplicaFqdn", fqdn).Select(
		pwsh.Property{Name: "ReplicaFqdn", Cast: pwsh.CastString},
		pwsh.Property{Name: "UpToDate", Cast: pwsh.CastBool},
		pwsh.Property{Name: "LastStatusReport", Cast: pwsh.CastString},
	).Script()
	return fqdn, script, err
}

// replicationStatus is the status of fqdn in a script's output.
func replicationStatus(fqdn string, out []replicationJSON) (*ReplicationStatus, error) {
	if len(out) == 0 {
		return nil, &notFoundError{Kind: "replica", Name: fqdn}
	}
	r := out[0]
	return &ReplicationStatus{ReplicaFQDN: r.ReplicaFqdn, UpToDate: r.UpToDate,
		LastStatusReport: r.LastStatusReport, LastStatusReportTime: parseHostTime(r.LastStatusReport)}, nil
}

// WaitUpToDate waits until the replica is up to date and returns that
// status. When ctx ends first (or a read fails) it returns the last status
// read and a *WaitError wrapping the cause. Over *WinRM the wait runs on the
// host as ServicesService.WaitState's does; otherwise it polls every poll
// (default 5s).
//
// Runs: $until = [DateTime]::UtcNow.AddMilliseconds(<ms>); while ([DateTime]::UtcNow -lt $until -and
// @(Get-CsManagementStoreReplicationStatus -ReplicaFqdn <fqdn> | Where-Object -Property UpToDate -EQ -Value $false).Count -gt 0)
// { Start-Sleep -Milliseconds <tick> }; Get-CsManagementStoreReplicationStatus -ReplicaFqdn <fqdn> | Select-Object ...
func (s *ReplicationService) WaitUpToDate(ctx context.Context, replica string, poll time.Duration) (*ReplicationStatus, error) {
	fqdn, script, err := statusScript(replica)
	if err != nil {
		return nil, err
	}
	read, err := pwsh.NewCommand("Get-CsManagementStoreReplicationStatus").String("ReplicaFqdn", fqdn).Script()
	if err != nil {
		return nil, err
	}
	var last *ReplicationStatus
	err = s.client.wait(ctx, hostWait{
		cmdlet:  "Get-CsManagementStoreReplicationStatus",
		read:    read,
		pending: "Where-Object -Property UpToDate -EQ -Value $false",
		poll:    script,
		check: func(raw json.RawMessage) (bool, error) {
			var out []replicationJSON
			if err := decode("Get-CsManagementStoreReplicationStatus", raw, &out); err != nil {
				return false, err
			}
			st, err := replicationStatus(fqdn, out)
			if err != nil {
				return false, err
			}
			last = st
			return st.UpToDate, nil
		},
	}, poll)
	if err != nil {
		return last, waitError("replica "+fqdn, "up to date", err)
	}
	return last, nil
}

// hostTimeLayouts are the DateTime texts a host may write: en-US (the
// default culture of a Lync server), invariant and ISO forms.
var hostTimeLayouts = []string{
	"1/2/2006 3:04:05 PM",
	"01/02/2006 15:04:05",
	"1/2/2006 15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	time.RFC3339Nano,
	"02/01/2006 15:04:05",
}

// parseHostTime parses what it can; the text is kept by the caller.
func parseHostTime(s string) time.Time {
	for _, layout := range hostTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
