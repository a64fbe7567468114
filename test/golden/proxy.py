#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Golden pcap tests of the SIP proxy path: client and backend pcaps in, sipedge, pcaps out.

usage: proxy.py SIPEDGE CASE      (CASE: one of the functions named case_*)

A call is played in steps, each one sipedge run: the messages of a step are
built from what sipedge sent in the step before (a backend answers the INVITE
it received, with the Via and Record-Route it got), as real peers would. Every
frame that leaves is decoded and every header checked: the ones the edge
rewrites against the rules of RFC 3261 16.11 / RFC 3581, all others byte for
byte against the input. IP and UDP checksums are verified too.
"""

import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402
from golden import CLI, CLI_MAC, EXT, INT, MAC0, MAC1, Run, check, failures  # noqa: E402
from pcaplib import ETH_P_IP, cksum, ether, ip4, udp_datagram  # noqa: E402

BACKENDS = {"198.51.100.11": "02:00:00:00:00:11", "198.51.100.12": "02:00:00:00:00:12",
            "198.51.100.13": "02:00:00:00:00:13"}
CPORT = 40000          # the client's source port: NAT changed it from its Via's 5062
ARGS = [a for ip, m in BACKENDS.items() for a in ("--backend", f"{ip}:5060")] + \
       [a for ip, m in list(BACKENDS.items()) + [(CLI, CLI_MAC)]
        for a in ("--neigh", f"{ip},{m}")]
BRANCH_RE = re.compile(r"^SIP/2\.0/UDP (\S+):5060;branch=(z9hG4bKsE[0-9a-f]{16})$")


def sip(start, headers, body=b""):
    """A message from a start line and (name, value) pairs; Content-Length last."""
    lines = [start] + [f"{n}: {v}" for n, v in headers] + [f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def parse(payload):
    """(start line, [(name, value)...], body) of a message the edge sent."""
    head, _, body = payload.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    hdrs = []
    for line in lines[1:]:
        n, _, v = line.partition(":")
        hdrs.append((n.strip(), v.strip()))
    return lines[0], hdrs, body


def values(hdrs, name):
    """Every comma-separated value of a header (ours never quote commas)."""
    return [v.strip() for n, val in hdrs if n.lower() == name.lower() for v in val.split(",")]


def without(hdrs, *names):
    low = [n.lower() for n in names]
    return [(n, v) for n, v in hdrs if n.lower() not in low]


def decode(frame, port_mac):
    """Check L2/L3/L4 of a frame the edge sent; return (dst mac, src, dst, sport, dport, payload)."""
    check(frame[6:12] == bytes.fromhex(port_mac.replace(":", "")), "source MAC is not the port's")
    check(frame[12:14] == ETH_P_IP.to_bytes(2, "big"), "not IPv4")
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    check(cksum(ip[:ihl]) == 0, "IPv4 checksum wrong")
    total = int.from_bytes(ip[2:4], "big")
    check(total == len(ip), f"IPv4 total length {total} != {len(ip)}")
    src, dst = ".".join(map(str, ip[12:16])), ".".join(map(str, ip[16:20]))
    u = ip[ihl:total]
    check(int.from_bytes(u[4:6], "big") == len(u), "UDP length wrong")
    pseudo = ip[12:20] + b"\0\x11" + len(u).to_bytes(2, "big")
    check(int.from_bytes(u[6:8], "big") == 0 or cksum(pseudo + u) == 0, "UDP checksum wrong")
    return (":".join(f"{b:02x}" for b in frame[:6]), src, dst, int.from_bytes(u[0:2], "big"),
            int.from_bytes(u[2:4], "big"), u[8:])


def client_frame(payload):
    return ether(MAC0, CLI_MAC, ETH_P_IP, udp_datagram(CLI, EXT, CPORT, 5060, payload))


def backend_frame(be, payload):
    return ether(MAC1, BACKENDS[be], ETH_P_IP, udp_datagram(be, INT, 5060, 5060, payload))


def run(name, ext_in, int_in):
    return run_args(name, ext_in, int_in, ARGS)


def run_args(name, ext_in, int_in, args):
    r = Run(name, [ext_in, int_in], args)
    return r, [decode(f, MAC0) for f in r.outputs[0]], [decode(f, MAC1) for f in r.outputs[1]]


def sb_of(uri):
    m = re.search(r";sb=([0-9a-f]{12})", uri)
    if m is None:
        return None
    h = bytes.fromhex(m.group(1))
    return ".".join(map(str, h[:4])), int.from_bytes(h[4:], "big")


CALL_ID = "golden-call-1@pc33.example.com"
VIA_CLI = "SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKclient1;rport"
INVITE_HDRS = [
    ("Via", VIA_CLI), ("Max-Forwards", "70"), ("To", "Bob <sip:bob@example.com>"),
    ("From", "Alice <sip:alice@example.com>;tag=1928301774"), ("Call-ID", CALL_ID),
    ("CSeq", "314159 INVITE"), ("Contact", "<sip:alice@192.168.1.20:5062>"),
    ("User-Agent", "golden/1"), ("Content-Type", "application/sdp"),
]
SDP = b"v=0\r\no=alice 1 1 IN IP4 192.168.1.20\r\ns=-\r\nc=IN IP4 192.168.1.20\r\nt=0 0\r\n"
INVITE = sip("INVITE sip:bob@203.0.113.1 SIP/2.0", INVITE_HDRS, SDP)


def nat_contact(value):
    """A Contact of our NATed client as the edge rewrites it (lib/nat, on by default)."""
    return re.sub(r"@(192\.168\.[0-9.]+):([0-9]+)>", rf"@{CLI}:{CPORT};se-alias=\1~\2>", value)


def nat_fixed(hdrs):
    return [(n, nat_contact(v) if n.lower() in ("contact", "m") else v) for n, v in hdrs]


def check_forwarded_request(sent, orig_hdrs, orig_body, record_route):
    """A request the edge forwarded to a backend: our Via, received/rport, MF-1, RR, Contact
    pointed at the client's pinhole, rest intact."""
    _, src, dst, sport, dport, payload = sent
    check(src == INT and sport == 5060 and dport == 5060, f"request sent from {src}:{sport}")
    check(dst in BACKENDS, f"request sent to {dst}, not a backend")
    start, hdrs, body = parse(payload)
    vias = values(hdrs, "Via")
    m = BRANCH_RE.match(vias[0]) if vias else None
    check(m is not None and m.group(1) == INT, f"top Via is not ours: {vias[:1]}")
    orig_via = values(orig_hdrs, "Via")[0]
    want_via = orig_via.replace(";rport", f";rport={CPORT}") + f";received={CLI}"
    check(vias[1:] == [want_via] + values(orig_hdrs, "Via")[1:],
          f"client Via: got {vias[1:]}, want {want_via}")
    mf = values(orig_hdrs, "Max-Forwards")
    check(values(hdrs, "Max-Forwards") == [str(int(mf[0]) - 1) if mf else "70"],
          f"Max-Forwards {values(hdrs, 'Max-Forwards')}")
    rr = values(hdrs, "Record-Route")
    if record_route:
        check(len(rr) == 2, f"Record-Route: {rr}")
        check(rr[0].startswith(f"<sip:{INT}:5060;lr;sb=") and
              rr[1].startswith(f"<sip:{EXT}:5060;lr;sb="), f"Record-Route order/form: {rr}")
        check(all(sb_of(x) == (dst, 5060) for x in rr), f"sb does not name {dst}: {rr}")
    else:
        check(rr == [], f"unexpected Record-Route {rr}")
    check(values(hdrs, "Route") == [], f"our Route was not removed: {values(hdrs, 'Route')}")
    keep = without(hdrs, "Via", "Max-Forwards", "Record-Route", "Route")
    check(keep == nat_fixed(without(orig_hdrs, "Via", "Max-Forwards", "Route")) +
          [("Content-Length", str(len(orig_body)))], f"other headers changed:\n{keep}")
    check(body == orig_body, "body changed")
    return start, hdrs, m.group(2) if m else None


def response_from_backend(req_payload, code, reason, to_tag="be-tag-9", extra=()):
    """What a UAS sends back for a request it received: Vias, RR, From, To+tag, Call-ID, CSeq."""
    _, hdrs, _ = parse(req_payload)
    out = [("Via", v) for v in values(hdrs, "Via")] + \
          [("Record-Route", ", ".join(values(hdrs, "Record-Route")))] * bool(
              values(hdrs, "Record-Route"))
    for n, v in hdrs:
        if n in ("From", "Call-ID", "CSeq"):
            out.append((n, v))
        elif n == "To":
            out.append((n, v if ";tag=" in v or code == 100 else f"{v};tag={to_tag}"))
    return sip(f"SIP/2.0 {code} {reason}", out + list(extra))


def check_response_to_client(sent, resp_payload):
    _, src, dst, sport, dport, payload = sent
    check((src, sport) == (EXT, 5060), f"response sent from {src}:{sport}")
    check((dst, dport) == (CLI, CPORT), f"response sent to {dst}:{dport}, want rport/received")
    start, hdrs, body = parse(payload)
    ostart, ohdrs, obody = parse(resp_payload)
    check(start == ostart, "status line changed")
    check(values(hdrs, "Via") == values(ohdrs, "Via")[1:], f"our Via not removed: {hdrs}")
    check(without(hdrs, "Via") == without(ohdrs, "Via"), "other headers changed")
    check(body == obody, "body changed")


# ---- cases ----

def case_call_flow():
    """INVITE / 100 / 180 / 200 / ACK / BYE / 200, and a retransmitted INVITE."""
    # 1. the INVITE and its retransmission reach one backend, byte for byte alike
    r, out0, out1 = run("proxy_flow1", [client_frame(INVITE), client_frame(INVITE)], [])
    check(len(out0) == 0 and len(out1) == 2, f"step 1: {len(out0)}/{len(out1)} frames out")
    if len(out1) != 2:
        return
    r.expect_counters(rx_packets=2, tx_packets=2, sip_rx=2, proxy_requests_to_backends=2,
                      proxy_new_dialogs=2, nat_detected=2, nat_contacts_rewritten=2)
    check(out1[0] == out1[1], "the retransmission was forwarded differently")
    be = out1[0][2]
    check(out1[0][0] == BACKENDS.get(be), "wrong next-hop MAC")
    check_forwarded_request(out1[0], INVITE_HDRS, SDP, record_route=True)
    inv_out = out1[0][5]

    # 2. the backend answers 100, 180, 200 (with its Contact and SDP): each reaches the client
    contact = ("Contact", f"<sip:bob@{be}:5060>")
    resps = [response_from_backend(inv_out, 100, "Trying"),
             response_from_backend(inv_out, 180, "Ringing", extra=[contact]),
             response_from_backend(inv_out, 200, "OK", extra=[contact])]
    r, out0, out1 = run("proxy_flow2", [], [backend_frame(be, p) for p in resps])
    check(len(out0) == 3 and len(out1) == 0, f"step 2: {len(out0)}/{len(out1)} frames out")
    for sent, p in zip(out0, resps):
        check_response_to_client(sent, p)
    r.expect_counters(rx_packets=3, tx_packets=3, sip_rx=3, proxy_responses=3)
    _, ok_hdrs, _ = parse(out0[2][5]) if len(out0) == 3 else ("", [], b"")

    # 3. the client's ACK and BYE follow the route set (reversed Record-Route) to that backend
    route = ", ".join(reversed(values(ok_hdrs, "Record-Route")))
    in_dialog = [("Max-Forwards", "70"), ("Route", route),
                 ("To", f"Bob <sip:bob@example.com>;tag=be-tag-9"),
                 ("From", "Alice <sip:alice@example.com>;tag=1928301774"),
                 ("Call-ID", CALL_ID)]
    ack_hdrs = [("Via", "SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKclient2;rport")] + \
        in_dialog + [("CSeq", "314159 ACK")]
    bye_hdrs = [("Via", "SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKclient3;rport")] + \
        in_dialog + [("CSeq", "314160 BYE")]
    ack = sip(f"ACK sip:bob@{be}:5060 SIP/2.0", ack_hdrs)
    bye = sip(f"BYE sip:bob@{be}:5060 SIP/2.0", bye_hdrs)
    r, out0, out1 = run("proxy_flow3", [client_frame(ack), client_frame(bye)], [])
    check(len(out1) == 2, f"step 3: {len(out1)} frames to backends")
    for sent, h in zip(out1, [ack_hdrs, bye_hdrs]):
        check(sent[2] == be, f"in-dialog request went to {sent[2]}, not the dialog's {be}")
        check_forwarded_request(sent, h, b"", record_route=False)
    r.expect_counters(rx_packets=2, tx_packets=2, sip_rx=2, proxy_requests_to_backends=2,
                      proxy_pinned=2, nat_detected=2, nat_contacts_rewritten=0)

    # 4. the 200 to the BYE reaches the client
    if len(out1) == 2:
        ok_bye = response_from_backend(out1[1][5], 200, "OK")
        r, out0, out1 = run("proxy_flow4", [], [backend_frame(be, ok_bye)])
        check(len(out0) == 1, f"step 4: {len(out0)} frames to the client")
        if out0:
            check_response_to_client(out0[0], ok_bye)


def case_cancel():
    """A CANCEL gets the branch of its INVITE and reaches the same backend, unrecorded."""
    cancel_hdrs = [("Via", VIA_CLI), ("Max-Forwards", "70"), ("To", "Bob <sip:bob@example.com>"),
                   ("From", "Alice <sip:alice@example.com>;tag=1928301774"),
                   ("Call-ID", CALL_ID), ("CSeq", "314159 CANCEL")]
    cancel = sip("CANCEL sip:bob@203.0.113.1 SIP/2.0", cancel_hdrs)
    r, out0, out1 = run("proxy_cancel", [client_frame(INVITE), client_frame(cancel)], [])
    check(len(out1) == 2, f"{len(out1)} frames to backends")
    if len(out1) != 2:
        return
    _, _, b_inv = check_forwarded_request(out1[0], INVITE_HDRS, SDP, record_route=True)
    _, _, b_can = check_forwarded_request(out1[1], cancel_hdrs, b"", record_route=False)
    check(out1[0][2] == out1[1][2], "CANCEL went to another backend than its INVITE")
    check(b_inv is not None and b_inv == b_can, f"branches differ: {b_inv} {b_can}")
    r.expect_counters(rx_packets=2, tx_packets=2, sip_rx=2, proxy_requests_to_backends=2,
                      proxy_new_dialogs=1, nat_detected=2, nat_contacts_rewritten=1)


def case_backend_request():
    """An in-dialog BYE from the backend reaches the client; the client's 200 comes back."""
    be = "198.51.100.12"
    sb = "c633640c13c4"
    bye_hdrs = [("Via", f"SIP/2.0/UDP {be}:5060;branch=z9hG4bKbackend1"),
                ("Max-Forwards", "70"),
                ("Route", f"<sip:{INT}:5060;lr;sb={sb}>, <sip:{EXT}:5060;lr;sb={sb}>"),
                ("From", "Bob <sip:bob@example.com>;tag=be-tag-9"),
                ("To", "Alice <sip:alice@example.com>;tag=1928301774"),
                ("Call-ID", CALL_ID), ("CSeq", "1 BYE")]
    bye = sip(f"BYE sip:alice@{CLI}:{CPORT} SIP/2.0", bye_hdrs)
    r, out0, out1 = run("proxy_bereq1", [], [backend_frame(be, bye)])
    check(len(out0) == 1, f"{len(out0)} frames to the client")
    if not out0:
        return
    _, src, dst, sport, dport, payload = out0[0]
    check((src, sport, dst, dport) == (EXT, 5060, CLI, CPORT), f"sent {src}:{sport}->{dst}:{dport}")
    start, hdrs, _ = parse(payload)
    check(start == f"BYE sip:alice@{CLI}:{CPORT} SIP/2.0", "Request-URI changed")
    vias = values(hdrs, "Via")
    m = BRANCH_RE.match(vias[0])
    check(m is not None and m.group(1) == EXT, f"top Via {vias[0]}")
    check(vias[1] == f"SIP/2.0/UDP {be}:5060;branch=z9hG4bKbackend1", f"backend Via {vias[1]}")
    check(values(hdrs, "Route") == [], "our Routes were not removed")
    check(values(hdrs, "Max-Forwards") == ["69"], "Max-Forwards")
    check(without(hdrs, "Via", "Route", "Max-Forwards") ==
          without(bye_hdrs, "Via", "Route", "Max-Forwards") + [("Content-Length", "0")],
          "other headers changed")
    r.expect_counters(rx_packets=1, tx_packets=1, sip_rx=1, proxy_requests_to_clients=1)

    # the client answers; the 200 goes back inside to the backend's Via
    ok = sip("SIP/2.0 200 OK", [("Via", v) for v in vias] +
             [(n, v) for n, v in hdrs if n in ("From", "To", "Call-ID", "CSeq")])
    r, out0, out1 = run("proxy_bereq2", [client_frame(ok)], [])
    check(len(out1) == 1, f"{len(out1)} frames to the backend")
    if out1:
        _, src, dst, sport, dport, payload = out1[0]
        check((src, sport, dst, dport) == (INT, 5060, be, 5060), f"sent to {dst}:{dport}")
        check(values(parse(payload)[1], "Via") == vias[1:], "our Via not removed")


def case_max_forwards_zero():
    """Max-Forwards 0: a 483 straight back to the client; nothing reaches a backend."""
    hdrs = [(n, "0" if n == "Max-Forwards" else v) for n, v in INVITE_HDRS]
    r, out0, out1 = run("proxy_mf0", [client_frame(sip("INVITE sip:bob@203.0.113.1 SIP/2.0",
                                                       hdrs))], [])
    check(len(out0) == 1 and len(out1) == 0, f"{len(out0)}/{len(out1)} frames out")
    if not out0:
        return
    _, src, dst, sport, dport, payload = out0[0]
    check((src, sport, dst, dport) == (EXT, 5060, CLI, CPORT), f"sent {src}:{sport}->{dst}:{dport}")
    start, rh, _ = parse(payload)
    check(start == "SIP/2.0 483 Too Many Hops", start)
    check(values(rh, "Via") == [VIA_CLI.replace(";rport", f";rport={CPORT}") + f";received={CLI}"],
          f"Via {values(rh, 'Via')}")
    for n in ("From", "Call-ID", "CSeq"):
        check(values(rh, n) == values(hdrs, n), f"{n} not copied")
    to = values(rh, "To")
    check(len(to) == 1 and to[0].startswith("Bob <sip:bob@example.com>;tag="), f"To {to}")
    r.expect_counters(rx_packets=1, tx_packets=1, sip_rx=1, reply_483=1)


def case_foreign_via():
    """A response whose top Via is not ours is dropped and counted."""
    resp = sip("SIP/2.0 200 OK", [("Via", "SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKelse"),
                                  ("Via", VIA_CLI), ("From", "<sip:a@example.com>;tag=1"),
                                  ("To", "<sip:b@example.com>;tag=2"), ("Call-ID", "x@y"),
                                  ("CSeq", "1 INVITE")])
    r, out0, out1 = run("proxy_foreign", [], [backend_frame("198.51.100.11", resp)])
    check(len(out0) + len(out1) == 0, "a foreign response was forwarded")
    r.expect_counters(rx_packets=1, tx_packets=0, sip_rx=1, drop_proxy_via_not_ours=1)


def case_options_for_the_edge():
    """OPTIONS to the edge's own address is answered 200 by the edge."""
    opt = sip(f"OPTIONS sip:{EXT} SIP/2.0",
              [("Via", f"SIP/2.0/UDP {CLI}:{CPORT};branch=z9hG4bKping"), ("Max-Forwards", "70"),
               ("To", f"<sip:{EXT}>"), ("From", "<sip:monitor@example.com>;tag=m1"),
               ("Call-ID", "ping-1@monitor"), ("CSeq", "7 OPTIONS")])
    r, out0, out1 = run("proxy_options", [client_frame(opt)], [])
    check(len(out0) == 1 and len(out1) == 0, f"{len(out0)}/{len(out1)} frames out")
    if out0:
        start, hdrs, _ = parse(out0[0][5])
        check(start == "SIP/2.0 200 OK", start)
        check(out0[0][2:5] == (CLI, 5060, CPORT), f"reply to {out0[0][2:5]}")
        check(values(hdrs, "Allow") != [], "no Allow in the OPTIONS answer")
    r.expect_counters(rx_packets=1, tx_packets=1, sip_rx=1, reply_options_200=1)


# ---- NAT (lib/nat): a client behind NAT registers, and is called through its pinhole ----

REGISTRARS = {"198.51.100.21": "02:00:00:00:00:21", "198.51.100.22": "02:00:00:00:00:22"}
NAT_ARGS = ARGS + [a for ip in REGISTRARS for a in ("--backend", f"{ip}:5060,set=2")] + \
    [a for ip, m in REGISTRARS.items() for a in ("--neigh", f"{ip},{m}")] + \
    ["--register-set", "2", "--set", "2,key=to-uri"]
NATED_CONTACT = "<sip:alice@192.168.1.20:5062>;expires=3600"


def register(call_id, sport, contact=NATED_CONTACT):
    """A REGISTER of alice from her phone at 192.168.1.20:5062 (the NAT maps it to sport)."""
    reg = sip("REGISTER sip:example.com SIP/2.0",
              [("Via", f"SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bK{call_id[:6]};rport"),
               ("Max-Forwards", "70"), ("To", "<sip:alice@example.com>"),
               ("From", "<sip:alice@example.com>;tag=r1"), ("Call-ID", call_id),
               ("CSeq", "1 REGISTER"), ("Supported", "path"), ("Contact", contact),
               ("Expires", "3600")])
    return reg, ether(MAC0, CLI_MAC, ETH_P_IP, udp_datagram(CLI, EXT, sport, 5060, reg))


def registrar_frame(reg, payload):
    return ether(MAC1, REGISTRARS[reg], ETH_P_IP, udp_datagram(reg, INT, 5060, 5060, payload))


def nat_steps(args, nated):
    """REGISTER (twice, two pinholes), the registrar's INVITE, the client's 200."""
    reg1, f1 = register("nat-reg-1@pc", CPORT)
    _, f2 = register("nat-reg-2@pc", CPORT + 1)
    r, out0, out1 = run_args("nat1", [f1, f2], [], args)
    check(len(out0) == 0 and len(out1) == 2, f"REGISTER: {len(out0)}/{len(out1)} frames out")
    if len(out1) != 2:
        return None
    _, src, dst, sport, dport, payload = out1[0]
    check(dst in REGISTRARS and out1[1][2] == dst,
          f"REGISTERs of one AOR went to {dst} and {out1[1][2]}, not one registrar")
    check((src, sport, dport) == (INT, 5060, 5060), f"REGISTER sent from {src}:{sport}")
    _, hdrs, body = parse(payload)
    contacts = values(hdrs, "Contact")
    want = nat_contact(NATED_CONTACT) if nated else NATED_CONTACT
    check(contacts == [want], f"registered Contact {contacts}, want {want}")
    check(values(hdrs, "Path") == [f"<sip:{INT}:5060;lr>"], f"Path {values(hdrs, 'Path')}")
    check(values(hdrs, "Content-Length") == ["0"] and body == b"", "Content-Length changed")
    check(without(hdrs, "Via", "Max-Forwards", "Contact", "Path") ==
          without(parse(reg1)[1], "Via", "Max-Forwards", "Contact"), "other headers changed")
    r.expect_counters(rx_packets=2, tx_packets=2, proxy_requests_to_backends=2,
                      nat_detected=2 if nated else 0,
                      nat_contacts_rewritten=2 if nated else 0)

    # the registrar's 200 lists the bindings: the phone gets its own back as it wrote it
    reg = dst
    other = f"<sip:alice@{CLI}:{CPORT + 7};se-alias=192.168.1.21~5062>;expires=900"
    ok = sip("SIP/2.0 200 OK", [("Via", v) for v in values(hdrs, "Via")] +
             [(n, v) for n, v in hdrs if n in ("From", "Call-ID", "CSeq")] +
             [("To", "<sip:alice@example.com>;tag=reg"), ("Contact", contacts[0]),
              ("Contact", other), ("Path", f"<sip:{INT}:5060;lr>")])
    r, out0, out1 = run_args("nat1b", [], [registrar_frame(reg, ok)], args)
    check(len(out0) == 1, f"REGISTER 200: {len(out0)} frames to the phone")
    if out0:
        _, src, dst200, sport, dport, payload = out0[0]
        check((dst200, dport) == (CLI, CPORT), f"200 sent to {dst200}:{dport}")
        check(values(parse(payload)[1], "Contact") == [NATED_CONTACT, other],
              f"200 Contacts {values(parse(payload)[1], 'Contact')}, want the phone's own "
              "first, the other device's as the registrar has it")
    r.expect_counters(rx_packets=1, tx_packets=1, proxy_responses=1,
                      nat_contacts_restored=1 if nated else 0)

    # the registrar calls alice: Request-URI = her registered Contact, Route = our Path
    ruri = re.match(r"<([^>]*)>", contacts[0]).group(1)
    invite = sip(f"INVITE {ruri} SIP/2.0",
                 [("Via", f"SIP/2.0/UDP {reg}:5060;branch=z9hG4bKkam1"),
                  ("Route", f"<sip:{INT}:5060;lr>"), ("Max-Forwards", "69"),
                  ("To", "<sip:alice@example.com>"),
                  ("From", "<sip:bob@example.com>;tag=b1"), ("Call-ID", "nat-call-1@h"),
                  ("CSeq", "1 INVITE"), ("Contact", f"<sip:bob@{reg}:5060>")])
    r, out0, out1 = run_args("nat2", [], [registrar_frame(reg, invite)], args)
    return r, out0, out1, reg


def case_nat_register_and_call():
    """A NATed client registers (Contact -> pinhole) and is called back through the pinhole."""
    got = nat_steps(NAT_ARGS, nated=True)
    if got is None:
        return
    r, out0, out1, reg = got
    check(len(out0) == 1 and len(out1) == 0, f"INVITE: {len(out0)}/{len(out1)} frames out")
    if not out0:
        return
    _, src, dst, sport, dport, payload = out0[0]
    check((src, sport, dst, dport) == (EXT, 5060, CLI, CPORT),
          f"INVITE sent {src}:{sport} -> {dst}:{dport}, not into the pinhole {CLI}:{CPORT}")
    start, hdrs, _ = parse(payload)
    check(start == "INVITE sip:alice@192.168.1.20:5062 SIP/2.0",
          f"Request-URI not restored to the client's: {start}")
    check(values(hdrs, "Route") == [], "our Path route was not removed")
    rr = values(hdrs, "Record-Route")
    check(len(rr) == 2 and all(sb_of(x) == (reg, 5060) for x in rr), f"Record-Route {rr}")
    r.expect_counters(rx_packets=1, tx_packets=1, proxy_requests_to_clients=1,
                      nat_requests_to_pinhole=1)

    # alice answers from behind the NAT: her 200's Contact gets the pinhole too
    ok = sip("SIP/2.0 200 OK", [("Via", v) for v in values(hdrs, "Via")] +
             [("Record-Route", ", ".join(rr))] +
             [(n, v) for n, v in hdrs if n in ("From", "Call-ID", "CSeq")] +
             [("To", "<sip:alice@example.com>;tag=a1"),
              ("Contact", "<sip:alice@192.168.1.20:5062>")])
    r, out0, out1 = run_args("nat3", [client_frame(ok)], [], NAT_ARGS)
    check(len(out1) == 1, f"200: {len(out1)} frames to the registrar")
    if out1:
        _, src, dst, sport, dport, payload = out1[0]
        check((dst, dport) == (reg, 5060), f"200 sent to {dst}:{dport}")
        _, h2, _ = parse(payload)
        check(values(h2, "Contact") == [f"<sip:alice@{CLI}:{CPORT};se-alias=192.168.1.20~5062>"],
              f"200 Contact {values(h2, 'Contact')}")
        check(values(h2, "Via") == values(hdrs, "Via")[1:], "our Via not removed")
    r.expect_counters(rx_packets=1, tx_packets=1, proxy_responses=1, nat_detected=1,
                      nat_contacts_rewritten=1)


def case_nat_detect_none():
    """--nat-detect none: the private Contact is registered, the INVITE goes nowhere."""
    got = nat_steps(NAT_ARGS + ["--nat-detect", "none"], nated=False)
    if got is None:
        return
    r, out0, out1, _ = got
    check(len(out0) + len(out1) == 0, "an INVITE to a private address left the edge")
    r.expect_counters(rx_packets=1, tx_packets=0, drop_no_route=1, nat_requests_to_pinhole=0)


if __name__ == "__main__":
    golden.main(sys.modules[__name__], "proxy")
