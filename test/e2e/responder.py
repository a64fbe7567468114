#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A backend that answers the edge's health probes as told (control-plane e2e test).

usage: responder.py IP PORT MODEFILE LOG

Binds a UDP socket on IP:PORT and reads MODEFILE before each probe:
  200, 503 ...  answer every OPTIONS with that status;
  silent        read and ignore it (the probe times out);
  close         close the socket and exit: the kernel answers ICMP port unreachable.
Every OPTIONS received is checked as RFC 3261 wants a probe (Via with branch and
rport, Max-Forwards, From tag, To, Call-ID, CSeq OPTIONS, Content-Length 0);
LOG gets one line per probe: "ok MODE" or "bad WHY". Runs until closed or 300 s.
"""

import re
import socket
import sys
import time

ip, port, modefile, logfile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind((ip, port))
sock.settimeout(0.1)
log = open(logfile, "a", buffering=1)
end = time.time() + 300


def mode():
    try:
        with open(modefile) as f:
            return f.read().strip() or "200"
    except OSError:
        return "200"


def check(msg):
    head = msg.split(b"\r\n\r\n", 1)[0].decode(errors="replace")
    lines = head.split("\r\n")
    hdrs = {}
    for line in lines[1:]:
        n, _, v = line.partition(":")
        hdrs.setdefault(n.strip().lower(), []).append(v.strip())
    if not re.fullmatch(rf"OPTIONS sip:{re.escape(ip)}:{port} SIP/2\.0", lines[0]):
        return f"request line {lines[0]!r}"
    via = hdrs.get("via", [""])
    if len(via) != 1 or not re.fullmatch(r"SIP/2\.0/UDP [0-9.]+:\d+;branch=z9hG4bKsP[0-9a-f]{24};"
                                         r"rport", via[0]):
        return f"Via {via}"
    for name, pat in (("max-forwards", r"70"), ("from", r"<sip:sipedge@[0-9.:]+>;tag=\w+"),
                      ("to", rf"<sip:{re.escape(ip)}:{port}>"), ("call-id", r"\S+@[0-9.]+"),
                      ("cseq", r"\d+ OPTIONS"), ("content-length", r"0")):
        v = hdrs.get(name, [])
        if len(v) != 1 or not re.fullmatch(pat, v[0]):
            return f"{name}: {v}"
    return None


def answer(msg, code):
    head = msg.split(b"\r\n\r\n", 1)[0].decode()
    keep = [ln for ln in head.split("\r\n")[1:]
            if ln.split(":", 1)[0].strip().lower() in ("via", "from", "to", "call-id", "cseq")]
    keep = [ln + ";tag=resp1" if ln.lower().startswith("to:") else ln for ln in keep]
    reason = {200: "OK", 503: "Service Unavailable"}.get(code, "Whatever")
    return (f"SIP/2.0 {code} {reason}\r\n" + "\r\n".join(keep) +
            "\r\nContent-Length: 0\r\n\r\n").encode()


while time.time() < end:
    m = mode()
    if m == "close":
        sock.close()
        log.write("closed\n")
        sys.exit(0)
    try:
        msg, peer = sock.recvfrom(65535)
    except socket.timeout:
        continue
    why = check(msg)
    log.write(f"bad {why}\n" if why else f"ok {m}\n")
    if m != "silent" and m.isdigit():
        sock.sendto(answer(msg, int(m)), peer)
