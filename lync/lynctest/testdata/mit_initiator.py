"""A WinRM client's Kerberos message encryption on MIT krb5's GSS-API
(Debian python3-gssapi), as pywinrm does it (gss_wrap_iov with HEADER, DATA
and PADDING buffers; gss_unwrap of header + data), for the lynctest tests:
it checks the double's acceptor with MIT's own code.

Reads one JSON object from stdin: {"addr": "127.0.0.1:port", "spnego":
bool, "mutual": bool, "scheme": "Negotiate" or "Kerberos", "steps":
[{"body": "...", "tamper": "..."}]}. Logs in with an empty POST
("Authorization: <scheme> <token>"; under Kerberos the messages use the
protocol application/HTTP-Kerberos-session-encrypted), completes the
context with the AP-REP of the 200 answer, then posts every step's body
sealed on the same connection, tampered as asked, and prints one JSON list:
per step the HTTP status, the answer's Content-Type and, for a sealed
answer, the message MIT unwrapped and the length of its header.
"""
import base64
import http.client
import json
import struct
import sys

import gssapi
import gssapi.raw as gr

BOUNDARY = b"--Encrypted Boundary"
SPNEGO_PROTO = "application/HTTP-SPNEGO-session-encrypted"
KRB_PROTO = "application/HTTP-Kerberos-session-encrypted"


def frame(proto, hdr, enc, n):
    return (BOUNDARY + b"\r\n\tContent-Type: " + proto.encode() + b"\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length="
            + str(n).encode() + b"\r\n" + BOUNDARY + b"\r\n\tContent-Type: application/octet-stream\r\n"
            + struct.pack("<I", len(hdr)) + hdr + enc + BOUNDARY + b"--\r\n")


def split(body):
    parts = body.split(BOUNDARY + b"\r\n")
    n = int(parts[1].split(b"Length=")[1].strip())
    p = parts[2][len(b"\tContent-Type: application/octet-stream\r\n"):]
    p = p[: -len(BOUNDARY + b"--\r\n")]
    hl = struct.unpack("<I", p[:4])[0]
    return p[4 : 4 + hl], p[4 + hl :], n


cfg = json.load(sys.stdin)
flags = gssapi.RequirementFlag.replay_detection | gssapi.RequirementFlag.out_of_sequence_detection | \
    gssapi.RequirementFlag.confidentiality | gssapi.RequirementFlag.integrity
if cfg.get("mutual", True):
    flags |= gssapi.RequirementFlag.mutual_authentication
mech = gssapi.OID.from_int_seq("1.3.6.1.5.5.2") if cfg.get("spnego") else gssapi.MechType.kerberos
name = gssapi.Name("HTTP/fe01.contoso.com@CONTOSO.COM", gssapi.NameType.kerberos_principal)
ctx = gssapi.SecurityContext(name=name, usage="initiate", flags=flags, mech=mech)
conn = http.client.HTTPConnection(cfg["addr"], timeout=20)
scheme = cfg.get("scheme") or "Negotiate"
own_proto, other_proto = (KRB_PROTO, SPNEGO_PROTO) if scheme == "Kerberos" else (SPNEGO_PROTO, KRB_PROTO)
conn.request("POST", "/wsman", b"", {"Authorization": scheme + " " + base64.b64encode(ctx.step()).decode(),
                                     "Content-Type": "application/soap+xml;charset=UTF-8"})
r = conn.getresponse()
r.read()
if r.status != 200:
    print(json.dumps({"login": r.status}))
    sys.exit(0)
www = r.getheader("WWW-Authenticate")
if www:
    ctx.step(base64.b64decode(www.split(" ", 1)[1]))
if not ctx.complete:
    print(json.dumps({"login": "incomplete"}))
    sys.exit(0)
out = []
last_req, last_ans = None, None
for st in cfg["steps"]:
    msg, tamper = st["body"].encode(), st.get("tamper", "")
    proto = other_proto if tamper == "protocol" else own_proto
    ctype = 'multipart/encrypted;protocol="%s";boundary="Encrypted Boundary"' % proto
    if tamper == "clear":
        body, ctype = msg, "application/soap+xml;charset=UTF-8"
    elif tamper == "replay":
        body = last_req
    elif tamper in ("reflect", "reflect-unflagged"):
        hdr, enc, n = split(last_ans)
        hdr = bytearray(hdr)
        if tamper == "reflect-unflagged":
            hdr[2] &= 0xFE
        body = frame(proto, bytes(hdr), enc, n)
    elif tamper == "unsealed":  # integrity only: a Wrap token without the Sealed flag
        tok = gr.wrap(ctx, msg, False).message
        body = frame(proto, tok[: len(tok) - len(msg)], tok[len(tok) - len(msg) :], len(msg))
    else:
        iov = gr.IOV(gr.IOVBufferType.header, msg, gr.IOVBufferType.padding, std_layout=False)
        gr.wrap_iov(ctx, iov, confidential=True)
        hdr, enc = bytearray(iov[0].value), bytearray(iov[1].value + (iov[2].value or b""))
        if tamper == "header":  # a bit of SND_SEQ, which only the encrypted header copy protects
            hdr[15] ^= 1
        if tamper == "body":
            enc[len(enc) // 2] ^= 0x10
        body = frame(proto, bytes(hdr), bytes(enc), len(msg))
    last_req = body
    conn.request("POST", "/wsman", body, {"Content-Type": ctype})
    r = conn.getresponse()
    data = r.read()
    res = {"status": r.status, "ctype": r.getheader("Content-Type") or ""}
    if "multipart/encrypted" in res["ctype"]:
        last_ans = data
        hdr, enc, n = split(data)
        try:
            m = gr.unwrap(ctx, hdr + enc)
            res["body"] = m.message.decode()
            res["encrypted"] = m.encrypted
            res["hl"] = len(hdr)
        except Exception as e:
            res["unwrap_error"] = str(e)
    out.append(res)
    if r.getheader("Connection", "").lower() == "close":
        break
print(json.dumps(out))
