"""A WinRM-like HTTP acceptor on MIT krb5's GSS-API (Debian python3-gssapi),
for TestKerberosSealAgainstMIT: it checks the client's tokens with MIT's own
code, not with anything of this module.

POST with "Authorization: Negotiate <token>" and an empty body: MIT accepts
the AP-REQ (keytab in KRB5_KTNAME) and answers 200 with its AP-REP in
WWW-Authenticate. A multipart/encrypted POST on that connection: MIT unwraps
header + data (gss_unwrap, which undoes the RRC rotation) and answers
<mit n="N">message</mit> wrapped with gss_wrap_iov(HEADER, DATA, PADDING),
as pywinrm/pyspnego's wrap_winrm does. Anything that fails answers 400 with
the reason in X-MIT-Error. Prints its port on the first line of stdout.
"""
import base64
import http.server
import struct
import sys

import gssapi
import gssapi.raw as gr

BOUNDARY = b"--Encrypted Boundary"
PROTO = b"application/HTTP-SPNEGO-session-encrypted"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    ctx = None
    n = 0

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    last = b""

    def ctype(self):
        return [("Content-Type", 'multipart/encrypted;protocol="' + PROTO.decode() + '";boundary="Encrypted Boundary"')]

    def frame(self, hdr, enc, n):
        return (BOUNDARY + b"\r\n\tContent-Type: " + PROTO + b"\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length="
                + str(n).encode() + b"\r\n" + BOUNDARY + b"\r\n\tContent-Type: application/octet-stream\r\n"
                + struct.pack("<I", len(hdr)) + hdr + enc + BOUNDARY + b"--\r\n")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            auth = self.headers.get("Authorization")
            if auth:
                scheme, tok = auth.split(" ", 1)
                self.ctx = gssapi.SecurityContext(usage="accept")
                out = self.ctx.step(base64.b64decode(tok))
                if not self.ctx.complete:
                    raise Exception("context not complete")
                flags = int(self.ctx.actual_flags)
                self.answer(200, headers=[("WWW-Authenticate", "Negotiate " + base64.b64encode(out or b"").decode()),
                                          ("X-MIT-Flags", str(flags)), ("X-MIT-Initiator", str(self.ctx.initiator_name))])
                return
            if self.ctx is None:
                raise Exception("no context")
            parts = body.split(BOUNDARY + b"\r\n")
            length = int(parts[1].split(b"Length=")[1].strip())
            payload = parts[2]
            payload = payload[len(b"\tContent-Type: application/octet-stream\r\n"):]
            if not payload.endswith(BOUNDARY + b"--\r\n"):
                raise Exception("no closing boundary")
            payload = payload[: -len(BOUNDARY + b"--\r\n")]
            hl = struct.unpack("<I", payload[:4])[0]
            header, data = payload[4 : 4 + hl], payload[4 + hl :]
            res = gr.unwrap(self.ctx, header + data)
            if not res.encrypted or len(res.message) != length:
                raise Exception("not encrypted or wrong length")
            self.n += 1
            if b"TAMPER:reflect" in res.message:  # the client's own token, SentByAcceptor set: sealed with usage 24, not 22
                tok = bytearray(header)
                tok[2] |= 1
                self.answer(200, self.frame(bytes(tok), data, length), self.ctype())
                return
            reply = b'<mit n="%d" hl="%d">' % (self.n, hl) + res.message + b"</mit>"
            iov = gr.IOV(gr.IOVBufferType.header, reply, gr.IOVBufferType.padding, std_layout=False)
            gr.wrap_iov(self.ctx, iov, confidential=True)
            hdr, enc = bytearray(iov[0].value), bytearray(iov[1].value + (iov[2].value or b""))
            if b"TAMPER:header" in res.message:  # a bit of SND_SEQ, which only the encrypted copy protects
                hdr[15] ^= 1
            if b"TAMPER:body" in res.message:
                enc[len(enc) // 2] ^= 0x10
            out = self.frame(bytes(hdr), bytes(enc), len(reply))
            if b"TAMPER:replay" in res.message:  # the previous answer again
                out = self.last
            self.last = out
            self.answer(200, out, self.ctype())
        except Exception as e:  # the reason goes to the test
            msg = str(e).replace("\r", " ").replace("\n", " ")[:300]
            self.answer(400, headers=[("X-MIT-Error", msg), ("Connection", "close")])
            self.close_connection = True


srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
sys.stdout.close()
srv.serve_forever()
