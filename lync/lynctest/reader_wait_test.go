package lynctest

import (
	"context"
	"strings"
	"testing"
	"time"
)

// waitScript is the shape of a server-side wait the client sends: a deadline,
// a loop that sleeps while a filtered read is not empty, and a final read.
func waitScript(deadlineMS int, read, filter string) string {
	return "$until = [DateTime]::UtcNow.AddMilliseconds(" + itoa(deadlineMS) + "); " +
		"while ([DateTime]::UtcNow -lt $until -and @(" + read + " | " + filter + ").Count -gt 0) { Start-Sleep -Milliseconds 2 }; " +
		read + " | Select-Object -Property Name, @{ Name = 'Status'; Expression = { [string]$_.Status } }"
}

const edge01Services = "Get-CsWindowsService -ComputerName 'edge01.contoso.com'"

func TestReaderWaitScripts(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	tests := []struct {
		name, script string
		want         string // a substring of the JSON, or "" when wantErr is set
		wantErr      string
	}{
		{"reached at once", waitScript(5000, edge01Services, "Where-Object -Property Status -NE -Value 'Running'"), `"Status":"Running"`, ""},
		{"named services", waitScript(5000, edge01Services+" | Where-Object -Property Name -In -Value @('rtcsrv', 'REPLICA')",
			"Where-Object -Property Status -EQ -Value 'Stopped'"), `[{"Name":"REPLICA","Status":"Running"},{"Name":"RTCSRV","Status":"Running"}]`, ""},
		{"deadline passes", waitScript(30, edge01Services, "Where-Object -Property Status -NE -Value 'Stopped'"), `"Status":"Running"`, ""},
		{"replication", "$u = [DateTime]::UtcNow.AddMilliseconds(5000); while (@(Get-CsManagementStoreReplicationStatus -ReplicaFqdn 'edge03.contoso.com' | Where-Object -Property UpToDate -EQ -Value $false).Count -gt 0 -and [DateTime]::UtcNow -lt $u) { Start-Sleep -Milliseconds 1 }; Get-CsManagementStoreReplicationStatus -ReplicaFqdn 'edge03.contoso.com' | Select-Object -Property UpToDate",
			`[{"UpToDate":true}]`, ""},
		{"unset variable is null", "while ([DateTime]::UtcNow -lt $never) { Start-Sleep -Seconds 1 }; Get-CsSite -Identity 'Site1' | Select-Object -Property SiteId", `[{"SiteId":1}]`, ""},
		{"where without pipe", "Where-Object -Property Status -EQ -Value 'Running'", "", "ParseException"},
		{"where script block", edge01Services + " | Where-Object { $_.Status -eq 'Running' }", "", "ParseException"},
		{"where positional", edge01Services + " | Where-Object Status -EQ 'Running'", "", "ParseException"},
		{"loop without block", "while (1 -gt 0) Start-Sleep -Milliseconds 1", "", "ParseException"},
		{"loop without condition", "while () { Start-Sleep -Milliseconds 1 }", "", "ParseException"},
		{"loop unclosed", "while (1 -gt 0) { Start-Sleep -Milliseconds 1", "", "ParseException"},
		{"date against number", "while ([DateTime]::UtcNow -lt 5) { Start-Sleep -Milliseconds 1 }", "", "ParseException"},
		{"other clock", "$u = [DateTime]::Now", "", "ParseException"},
		{"other method", "$u = [DateTime]::UtcNow.AddSeconds(5)", "", "ParseException"},
		{"method without argument", "$u = [DateTime]::UtcNow.AddMilliseconds()", "", "ParseException"},
		{"assign constant", "$true = [DateTime]::UtcNow", "", "ParseException"},
		{"assign number", "$u = 5", "", "ParseException"},
		{"variable alone", "$u", "", "ParseException"},
		{"lone colon", "$u = [DateTime]:UtcNow", "", "ParseException"},
		{"unknown operator", "while (1 -foo 0) { Start-Sleep -Milliseconds 1 }", "", "ParseException"},
		{"or", "while (1 -gt 0 -or 1 -gt 0) { Start-Sleep -Milliseconds 1 }", "", "ParseException"},
		{"negative sleep", "Start-Sleep -Milliseconds -1", "", "ParameterArgumentValidationError,Microsoft.PowerShell.Commands.StartSleepCommand"},
		{"sleep both", "Start-Sleep -Seconds 1 -Milliseconds 1", "", "AmbiguousParameterSet,Microsoft.PowerShell.Commands.StartSleepCommand"},
		{"sleep neither", "Start-Sleep", "", "MissingMandatoryParameter,Microsoft.PowerShell.Commands.StartSleepCommand"},
		{"sleep string", "Start-Sleep -Milliseconds 'x'", "", "CannotConvertArgumentNoMessage,Microsoft.PowerShell.Commands.StartSleepCommand"},
		{"stray brace", "Get-CsSite -Identity 'Site1' }", "", "ParseException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, er := run(t, d, imp, tt.script)
			if tt.wantErr != "" {
				if er == nil || er.FullyQualifiedErrorId != tt.wantErr {
					t.Fatalf("got %s %+v, want error %s", got, er, tt.wantErr)
				}
				return
			}
			if er != nil || !strings.Contains(got, tt.want) {
				t.Fatalf("got %s %+v\nwant it to contain %s", got, er, tt.want)
			}
		})
	}
}

// TestWaitScriptBlocksUntilStopped: the loop sleeps on the host while the
// services stop and ends at the first pass that finds them Stopped; the
// counters show one script and the server-side reads and sleeps.
func TestWaitScriptBlocksUntilStopped(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	if err := d.SetLatency(Latency{ServiceStop: 40 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if _, er := run(t, d, imp, "Stop-CsWindowsService -ComputerName 'edge01.contoso.com' -NoWait"); er != nil {
		t.Fatal(er)
	}
	d.ResetCounters()
	got, er := run(t, d, imp, waitScript(5000, edge01Services, "Where-Object -Property Status -NE -Value 'Stopped'"))
	if er != nil || strings.Contains(got, "Running") || strings.Contains(got, "Pending") {
		t.Fatalf("got %s %+v, want every service Stopped", got, er)
	}
	c := d.Host("fe01.contoso.com").Counters()
	if c.Cmdlets["Start-Sleep"] == 0 || c.Cmdlets["Get-CsWindowsService"] != c.Cmdlets["Start-Sleep"]+2 {
		t.Errorf("cmdlets %v: want sleeps, and one read per pass plus the last pass and the final read", c.Cmdlets)
	}
}

// TestWaitScriptEndsWithTheProcess: a process terminated mid-wait (a shell
// deleted, the client gone) ends the loop at once, without a result.
func TestWaitScriptEndsWithTheProcess(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	s := &session{d: d, h: d.Host("fe01.contoso.com"), modules: map[string]bool{}}
	ctx, cancel := context.WithCancel(context.Background())
	if _, er := s.runScript(ctx, imp); er != nil {
		t.Fatal(er)
	}
	time.AfterFunc(20*time.Millisecond, cancel)
	// The deadline is an hour: only the terminated process ends the loop.
	_, er := s.runScript(ctx, waitScript(3600000, edge01Services, "Where-Object -Property Status -NE -Value 'Stopped'"))
	if er != errAborted {
		t.Fatalf("got %+v, want the pipeline stopped", er)
	}
}

// TestSleepGranularity: Start-Sleep lasts a multiple of the profile's timer
// resolution.
func TestSleepGranularity(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	if err := d.SetLatency(Latency{SleepGranularity: 30 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, er := run(t, d, "Start-Sleep -Milliseconds 1"); er != nil {
		t.Fatal(er)
	}
	if took := time.Since(start); took < 30*time.Millisecond {
		t.Fatalf("Start-Sleep -Milliseconds 1 took %v, want at least the 30ms granularity", took)
	}
	if err := d.SetLatency(Latency{SleepGranularity: -1}); err == nil {
		t.Fatal("negative granularity accepted")
	}
}
