package dnstest

import (
	"errors"
	"time"

	"github.com/miekg/dns"
)

// tsigReserve is room kept for the TSIG record when a signed UDP answer is
// truncated.
const tsigReserve = 128

// maxUDPSize is the largest UDP answer sent, whatever the client offers
// (BIND's default max-udp-size and edns-udp-size).
const maxUDPSize = 1232

// serveDNS handles one message: faults first, then TSIG, then the opcode.
func (s *Server) serveDNS(w dns.ResponseWriter, r *dns.Msg) {
	if !s.begin() {
		return
	}
	defer s.inflight.Done()

	e := Entry{Time: time.Now(), Net: w.LocalAddr().Network(), From: w.RemoteAddr().String(), Opcode: r.Opcode, Rcode: -1}
	if len(r.Question) > 0 {
		e.Name, e.Type = r.Question[0].Name, r.Question[0].Qtype
	}
	if t := r.IsTsig(); t != nil {
		e.Key = dns.CanonicalName(t.Hdr.Name)
	}
	if r.Response {
		s.record(e)
		return // never answer an answer
	}

	resp := new(dns.Msg)
	resp.SetReply(r)
	resp.RecursionAvailable = false

	if f := s.takeFault(e.Net, r); f != FaultNone {
		e.Fault = f
		switch f {
		case FaultDrop:
			s.record(e)
			return
		case FaultRefused:
			resp.Rcode = dns.RcodeRefused
		case FaultServFail:
			resp.Rcode = dns.RcodeServerFailure
		case FaultTruncate:
			resp.Truncated = true
			e.Truncated = true
		case FaultBadSig:
			s.writeTSIGError(w, &e, resp, r, dns.RcodeBadSig)
			return
		}
		e.Rcode = resp.Rcode
		s.record(e) // before the answer leaves: a client that got it finds it logged
		_ = w.WriteMsg(resp)
		return
	}

	var key *Key
	if t := r.IsTsig(); t != nil {
		k, ok := s.keys[dns.CanonicalName(t.Hdr.Name)]
		switch err := w.TsigStatus(); {
		case !ok || dns.CanonicalName(k.Algorithm) != dns.CanonicalName(t.Algorithm):
			s.writeTSIGError(w, &e, resp, r, dns.RcodeBadKey)
			return
		case errors.Is(err, dns.ErrTime):
			s.writeTSIGError(w, &e, resp, r, dns.RcodeBadTime)
			return
		case err != nil:
			s.writeTSIGError(w, &e, resp, r, dns.RcodeBadSig)
			return
		}
		key = &k
	}

	switch r.Opcode {
	case dns.OpcodeQuery:
		s.query(r, resp, e.Net, key != nil)
	case dns.OpcodeUpdate:
		resp.Rcode = s.update(r, key)
	default:
		resp.Rcode = dns.RcodeNotImplemented
	}
	if r.Opcode == dns.OpcodeQuery && e.Type == dns.TypeAXFR && resp.Rcode == dns.RcodeSuccess {
		e.Rcode = resp.Rcode
		s.record(e)
		writeTransfer(w, r, resp.Answer, key)
		return
	}
	opt := r.IsEdns0()
	if opt != nil {
		resp.SetEdns0(maxUDPSize, false)
	}
	if e.Net == "udp" {
		truncate(resp, opt, key != nil)
	}
	e.Rcode, e.Truncated = resp.Rcode, resp.Truncated
	if key != nil {
		resp.SetTsig(key.Name, key.Algorithm, 300, time.Now().Unix())
	}
	s.record(e)
	_ = w.WriteMsg(resp)
}

// writeTSIGError answers NOTAUTH with an unsigned TSIG record carrying the
// TSIG error (BADSIG, BADKEY, BADTIME), as RFC 8945 §5.3 and BIND do.
func (s *Server) writeTSIGError(w dns.ResponseWriter, e *Entry, resp, r *dns.Msg, tsigErr int) {
	resp.Rcode = dns.RcodeNotAuth
	e.Rcode = resp.Rcode
	s.record(*e)
	resp.Answer, resp.Ns, resp.Extra = nil, nil, nil
	if t := r.IsTsig(); t != nil {
		resp.Extra = []dns.RR{&dns.TSIG{
			Hdr:       dns.RR_Header{Name: t.Hdr.Name, Rrtype: dns.TypeTSIG, Class: dns.ClassANY},
			Algorithm: t.Algorithm, TimeSigned: t.TimeSigned, Fudge: t.Fudge,
			OrigId: r.Id, Error: uint16(tsigErr),
		}}
	}
	if b, err := resp.Pack(); err == nil {
		_, _ = w.Write(b) // Write, not WriteMsg: the answer must stay unsigned
	}
}

// transferChunk is how many records one AXFR message carries.
const transferChunk = 100

// writeTransfer sends a zone transfer as a sequence of messages, each signed
// with TSIG chained to the previous one (RFC 8945 §5.3.1) when key is set.
func writeTransfer(w dns.ResponseWriter, r *dns.Msg, rrs []dns.RR, key *Key) {
	for i := 0; i < len(rrs); i += transferChunk {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		m.Answer = rrs[i:min(i+transferChunk, len(rrs))]
		if key != nil {
			m.SetTsig(key.Name, key.Algorithm, 300, time.Now().Unix())
		}
		if err := w.WriteMsg(m); err != nil {
			return
		}
		w.TsigTimersOnly(true)
	}
}

// truncate fits a UDP answer into the client's buffer as BIND does: without
// EDNS as many records as fit in 512 octets, with EDNS (capped at 1232) an
// empty answer; both with TC set.
func truncate(resp *dns.Msg, opt *dns.OPT, signed bool) {
	size := dns.MinMsgSize
	if opt != nil {
		size = min(max(int(opt.UDPSize()), dns.MinMsgSize), maxUDPSize)
	}
	if signed {
		size -= tsigReserve
	}
	resp.Compress = true
	if resp.Len() <= size {
		return
	}
	if opt == nil {
		resp.Truncate(size)
		resp.Compress = true
		return
	}
	resp.Truncated = true
	resp.Answer, resp.Ns = nil, nil
	resp.Extra = []dns.RR{resp.IsEdns0()}
}
