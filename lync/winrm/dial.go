package winrm

import "github.com/xmppfed/edgefailover/lync"

// Dial returns a lync.Client for the host of ep over WinRM (NewWinRM with opts).
// Nothing is sent until the first call or Prepare; Close releases the session.
func Dial(ep Endpoint, opts Options) (*lync.Client, error) {
	w, err := NewWinRM(ep, opts)
	if err != nil {
		return nil, err
	}
	return lync.NewClient(w, lync.ClientOptions{Logger: opts.Logger}), nil
}
