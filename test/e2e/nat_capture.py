#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""What the captures of test/e2e/nat_calls.sh show, checked.

usage: nat_capture.py MODE BACKEND_PCAP HOME_PCAP [key=value...]
  MODE nat   the edge rewrote: every REGISTER reaching a registrar has the
             NAT's public address:port in its Contact (se-alias keeps the
             phone's 192.168.x address) and our Path; all REGISTERs of one
             address of record reach one registrar, and both registrars are
             used; the registrar's INVITE to the edge has that Contact as
             Request-URI; the phone receives the INVITE, ACK and BYE with its
             own URI back (the edge restored it) through the pinhole, and its
             own Contact in the registrar's 200s
  MODE none  --nat-detect none: the registrars store the private Contact, and
             the registrar's INVITE is addressed to the private address;
             nothing reaches the phone
keys: edge=INT-ADDR nat=NAT-PUBLIC-ADDR home=PHONE-ADDR:PORT user=CALLED-USER
Prints the SIP messages it looked at (the evidence), then "ok" or FAIL lines.
"""

import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden"))
from pcaplib import read_pcap  # noqa: E402

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def sip_messages(path):
    """(src, sport, dst, dport, start line, {header: [values]}) of each UDP SIP datagram."""
    out = []
    for f in read_pcap(path):
        if len(f) < 14 + 20 + 8 or f[12:14] != b"\x08\x00":
            continue
        ip = f[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 17 or (int.from_bytes(ip[6:8], "big") & 0x3fff) != 0:
            continue
        u = ip[ihl:]
        payload = u[8:int.from_bytes(u[4:6], "big")]
        head = payload.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        lines = head.split("\r\n")
        if not lines or "SIP/2.0" not in lines[0]:
            continue
        hdrs = {}
        for line in lines[1:]:
            n, _, v = line.partition(":")
            hdrs.setdefault(n.strip().lower(), []).append(v.strip())
        out.append((".".join(map(str, ip[12:16])), int.from_bytes(u[0:2], "big"),
                    ".".join(map(str, ip[16:20])), int.from_bytes(u[2:4], "big"), lines[0], hdrs))
    return out


def show(title, msgs):
    print(f"--- {title}")
    for src, sport, dst, dport, start, h in msgs:
        extra = "".join(f" | {n.title()}: {', '.join(h[n])}" for n in ("contact", "path", "route")
                        if n in h)
        print(f"{src}:{sport} > {dst}:{dport} | {start}{extra}")


def aor(h):
    m = re.search(r"sip:([^@>;]+)@", h.get("to", [""])[0])
    return m.group(1) if m else ""


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("nat", "none"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, be_pcap, home_pcap = sys.argv[1:4]
    kv = dict(a.split("=", 1) for a in sys.argv[4:])
    edge, nat, home, user = kv["edge"], kv["nat"], kv["home"], kv["user"]
    home_ip, home_port = home.split(":")
    be = sip_messages(be_pcap)
    ph = sip_messages(home_pcap)
    regs = [m for m in be if m[4].startswith("REGISTER ") and m[0] == edge]
    invites = [m for m in be if m[4].startswith("INVITE ") and m[2] == edge]
    show("REGISTERs the edge sent to the registrars", regs)
    show("INVITEs the registrars sent back to the edge", invites)
    show("what reached the phone behind the NAT", ph)

    check(len(regs) > 0, "no REGISTER reached a registrar")
    for src, sport, dst, dport, start, h in regs:
        c = h.get("contact", [""])[0]
        if mode == "nat":
            want = (rf"^<sip:{re.escape(aor(h))}@{re.escape(nat)}:(\d+);se-alias="
                    rf"{re.escape(home_ip)}~{home_port}>;expires=600$")
            m = re.match(want, c)
            check(m is not None, f"REGISTER of {aor(h)} to {dst}: Contact {c}, want the pinhole")
        else:
            check(c == f"<sip:{aor(h)}@{home}>;expires=600",
                  f"REGISTER to {dst}: Contact {c}, want the private one")
        check(h.get("path") == [f"<sip:{edge}:5060;lr>"], f"REGISTER to {dst}: Path {h.get('path')}")
    where = {}
    for _, _, dst, _, _, h in regs:
        where.setdefault(aor(h), set()).add(dst)
    for a, d in where.items():
        check(len(d) == 1, f"REGISTERs of {a} reached {sorted(d)}: not pinned to one registrar")
    registrars = set().union(*where.values()) if where else set()
    check(len(registrars) == 2, f"registrars used: {sorted(registrars)}, want both")

    to_user = [m for m in invites if f"sip:{user}@" in m[4]]
    check(len(to_user) > 0, f"no INVITE for {user} came back from a registrar")
    if to_user:
        src = to_user[0][0]
        check(src in where.get(user, set()), f"the INVITE came from {src}, {user} registered at "
              f"{sorted(where.get(user, set()))}")
        ruri = to_user[0][4].split(" ")[1]
        if mode == "nat":
            check(re.match(rf"^sip:{user}@{re.escape(nat)}:\d+;se-alias={re.escape(home_ip)}"
                           rf"~{home_port}$", ruri) is not None, f"registrar's Request-URI {ruri}")
        else:
            check(ruri == f"sip:{user}@{home}", f"registrar's Request-URI {ruri}")
        check(to_user[0][5].get("route", [""])[0].startswith(f"<sip:{edge}:5060;lr"),
              f"the registrar did not route through our Path: {to_user[0][5].get('route')}")

    at_phone = [m for m in ph if m[3] == int(home_port) and m[2] == home_ip]
    reg_ok = [m for m in at_phone if m[4].startswith("SIP/2.0 200") and
              m[5].get("cseq", [""])[0].endswith("REGISTER")]
    check(len(reg_ok) > 0, "no 200 to a REGISTER reached the phone")
    for m in reg_ok:
        c = m[5].get("contact", [""])[0]
        # the edge gives the phone its own Contact back in the registrar's list
        check(re.match(rf"^<sip:{re.escape(aor(m[5]))}@{re.escape(home)}>;expires=\d+$", c)
              is not None, f"REGISTER 200 at the phone lists {c}, not the phone's own Contact")
    methods = [m[4].split(" ")[0] for m in at_phone if not m[4].startswith("SIP/2.0")]
    if mode == "nat":
        for want in ("INVITE", "ACK", "BYE"):
            check(want in methods, f"no {want} reached the phone (got {methods})")
        for m in at_phone:
            if not m[4].startswith("SIP/2.0") and m[4].split(" ")[0] in ("INVITE", "ACK", "BYE"):
                check(m[4].split(" ")[1] == f"sip:{user}@{home}",
                      f"{m[4]}: the phone did not get its own URI back")
    else:
        check("INVITE" not in methods, "an INVITE reached the phone without the rewrite")
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print(f"capture {mode}: ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
