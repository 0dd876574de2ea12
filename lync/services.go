package lync

import (
	"context"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// ServicesService controls the Lync Windows services of a computer
// (Get-, Start-, Stop-CsWindowsService with -ComputerName).
type ServicesService service

// ServiceStatus is the state of a Windows service
// (System.ServiceProcess.ServiceControllerStatus).
type ServiceStatus string

// Service states.
const (
	ServiceRunning         ServiceStatus = "Running"
	ServiceStopped         ServiceStatus = "Stopped"
	ServiceStartPending    ServiceStatus = "StartPending"
	ServiceStopPending     ServiceStatus = "StopPending"
	ServicePaused          ServiceStatus = "Paused"
	ServicePausePending    ServiceStatus = "PausePending"
	ServiceContinuePending ServiceStatus = "ContinuePending"
)

// Service is a Lync Windows service as Get-CsWindowsService shows it.
type Service struct {
	Name          string // short name, e.g. "RTCSRV"
	Status        ServiceStatus
	DisplayName   string
	ActivityLevel string // e.g. "Active sessions: 3"; may be empty
}

// List returns the Lync services of computer (an FQDN).
//
// Runs: Get-CsWindowsService -ComputerName <computer> | Select-Object -Property Name, Status, DisplayName, ActivityLevel
func (s *ServicesService) List(ctx context.Context, computer string) ([]Service, error) {
	computer, err := parseFQDN("computer", computer)
	if err != nil {
		return nil, err
	}
	script, err := listScript(computer)
	if err != nil {
		return nil, err
	}
	var out []Service
	if err := s.client.run(ctx, "Get-CsWindowsService", script, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// listScript is List's script for a checked FQDN.
func listScript(computer string) (string, error) {
	return pwsh.NewCommand("Get-CsWindowsService").String("ComputerName", computer).Select(
		pwsh.Property{Name: "Name", Cast: pwsh.CastString},
		pwsh.Property{Name: "Status", Cast: pwsh.CastString},
		pwsh.Property{Name: "DisplayName", Cast: pwsh.CastString},
		pwsh.Property{Name: "ActivityLevel", Cast: pwsh.CastString},
	).Script()
}

// StopOptions selects what Stop does. The zero value stops every Lync
// service at once and waits for the cmdlet.
type StopOptions struct {
	Names    []string // short service names; none: all Lync services
	Graceful bool     // -Graceful: refuse new sessions, let existing ones end (can take long)
	NoWait   bool     // -NoWait: return at once; follow with WaitState
}

// Stop stops Lync services on computer. A service that will not stop gives
// an error matching ErrServiceOperation.
//
// Runs: Stop-CsWindowsService -ComputerName <computer> [-Name <name>] [-Graceful] [-NoWait]
// (one statement per name).
func (s *ServicesService) Stop(ctx context.Context, computer string, opts StopOptions) error {
	script, err := Scripts{}.Stop(computer, opts)
	if err != nil {
		return err
	}
	return s.client.run(ctx, "Stop-CsWindowsService", script, nil)
}

// Start starts the named Lync services on computer, or all of them when no
// name is given; a running service is left alone. A service that will not
// start gives an error matching ErrServiceOperation.
//
// Runs: Start-CsWindowsService -ComputerName <computer> [-Name <name>] (one statement per name).
func (s *ServicesService) Start(ctx context.Context, computer string, names ...string) error {
	script, err := Scripts{}.Start(computer, names...)
	if err != nil {
		return err
	}
	return s.client.run(ctx, "Start-CsWindowsService", script, nil)
}
