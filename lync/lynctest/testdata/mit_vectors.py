"""Writes Kerberos Wrap token vectors made by MIT krb5's GSS-API (Debian
python3-gssapi) to stdout as JSON, for the known-answer tests of the
double's acceptor and the client (TestWriteMITVectors regenerates them).

Initiator (ccache in KRB5CCNAME) and acceptor (keytab in KRB5_KTNAME) run
in this one process: mutual authentication, so MIT's acceptor sends a
subkey in its AP-REP. MIT exports that key (GSS_C_INQ_SSPI_SESSION_KEY:
the key bytes, then the OID 1.2.840.113554.1.2.2.4.<enctype>), and both
sides wrap messages with gss_wrap_iov(HEADER, DATA, PADDING), as pywinrm
does.
"""
import json
import sys

import gssapi
import gssapi.raw as gr

INQ_SSPI_SESSION_KEY = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2.5.5")
flags = (gssapi.RequirementFlag.mutual_authentication | gssapi.RequirementFlag.replay_detection
         | gssapi.RequirementFlag.out_of_sequence_detection | gssapi.RequirementFlag.confidentiality
         | gssapi.RequirementFlag.integrity)
name = gssapi.Name("HTTP/fe01.contoso.com@CONTOSO.COM", gssapi.NameType.kerberos_principal)
ini = gssapi.SecurityContext(name=name, usage="initiate", flags=flags, mech=gssapi.MechType.kerberos)
acc = gssapi.SecurityContext(usage="accept")
rep = acc.step(ini.step())
ini.step(rep)
assert ini.complete and acc.complete
bufs = gr.inquire_sec_context_by_oid(ini, INQ_SSPI_SESSION_KEY)
key, oid = bufs[0], bufs[1]
# the enctype OID's last arc (DER: 2a 86 48 86 f7 12 01 02 02 04 <etype>)
etype = oid[-1]


def wrap(ctx, msg):
    iov = gr.IOV(gr.IOVBufferType.header, msg, gr.IOVBufferType.padding, std_layout=False)
    gr.wrap_iov(ctx, iov, confidential=True)
    return iov[0].value, iov[1].value + (iov[2].value or b"")


out = {"etype": etype, "key": key.hex(), "tokens": []}
for i, (side, ctx) in enumerate([("initiator", ini), ("acceptor", acc), ("initiator", ini), ("acceptor", acc)]):
    msg = ("<s:Envelope>message %d from the %s</s:Envelope>" % (i + 1, side)).encode()
    hdr, data = wrap(ctx, msg)
    peer = acc if side == "initiator" else ini
    assert gr.unwrap(peer, hdr + data).message == msg
    out["tokens"].append({"from": side, "message": msg.decode(), "header": hdr.hex(), "data": data.hex()})
json.dump(out, sys.stdout, indent=1)
print()
