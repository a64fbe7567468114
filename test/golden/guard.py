#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Golden pcap tests of the guard (lib/guard) in the proxy stage.

usage: guard.py SIPEDGE CASE      (CASE: one of the functions named case_*)

Client frames in (from several source addresses), sipedge with guard
options, frames out: what was forwarded, what was answered (every reply
decoded and checked against the request), and the counters that name each
decision. Rate-limit cases run the pcap at full speed against buckets of one
token per second, so only a stall of a second or more inside a run could add
a token; their checks allow that one extra datagram and no more.
"""

import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402
import proxy  # noqa: E402
from golden import CLI, CLI_MAC, EXT, INT, MAC0, MAC1, check, failures  # noqa: E402
from pcaplib import ETH_P_IP, ether, udp_datagram  # noqa: E402
from proxy import CPORT, parse, sip, values  # noqa: E402

OTHER = "203.0.113.20"          # a second client on the external link
OTHER_MAC = "02:00:00:00:00:20"
ARGS = proxy.ARGS + ["--neigh", f"{OTHER},{OTHER_MAC}"]


def frame(payload, src=CLI, sport=CPORT):
    mac = OTHER_MAC if src == OTHER else CLI_MAC
    return ether(MAC0, mac, ETH_P_IP, udp_datagram(src, EXT, sport, 5060, payload))


def invite(n=1, extra=(), version="SIP/2.0", method="INVITE", to_tag=None, drop=()):
    """A request n (its own Call-ID and branch), with extra headers, some left out."""
    hdrs = [("Via", f"SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKg{n};rport"),
            ("Max-Forwards", "70"),
            ("To", "Bob <sip:bob@example.com>" + (f";tag={to_tag}" if to_tag else "")),
            ("From", "Alice <sip:alice@example.com>;tag=a1"), ("Call-ID", f"guard-{n}@x"),
            ("CSeq", f"{n} {method}")] + list(extra)
    hdrs = [(k, v) for k, v in hdrs if k not in drop]
    return sip(f"{method} sip:bob@example.com {version}", hdrs)


def run(name, frames, args):
    r = golden.Run(name, [frames, []], ARGS + args)
    return (r, [proxy.decode(f, MAC0) for f in r.outputs[0]],
            [proxy.decode(f, MAC1) for f in r.outputs[1]])


def check_reply(sent, request, code, dst=(CLI, CPORT)):
    """A stateless reply from the edge to the request's source, for that request."""
    _, src, to, sport, dport, payload = sent
    check((src, sport) == (EXT, 5060), f"reply from {src}:{sport}")
    check((to, dport) == dst, f"reply to {to}:{dport}, want {dst}")
    start, hdrs, body = parse(payload)
    check(start.startswith(f"SIP/2.0 {code} "), f"status line {start!r}, want {code}")
    _, qh, _ = parse(request)
    via = values(qh, "Via")[0].replace(";rport", f";rport={dst[1]}") + f";received={dst[0]}"
    check(values(hdrs, "Via") == [via], f"Via {values(hdrs, 'Via')}")
    for n in ("From", "Call-ID", "CSeq"):
        check(values(hdrs, n) == values(qh, n), f"{n} {values(hdrs, n)} not copied")
    to_v = values(hdrs, "To")
    check(len(to_v) == 1 and ";tag=" in to_v[0], f"To {to_v}")
    check(body == b"", "a reply has no body")
    return hdrs


def counters_ok(r, **want):
    r.expect_counters(**want)


# ---- cases ----

def case_sanity_replies():
    """400, 505, 420, 513 to the requests that deserve them; the rest dropped and counted."""
    bad_cl = invite(1).replace(b"Content-Length: 0", b"Content-Length: x")
    bad_ver = invite(2, version="SIP/3.0")
    pr = invite(3, extra=[("Proxy-Require", "foo, sec-agree"), ("Proxy-Require", "bar")])
    big = invite(4, extra=[("Subject", "s" * 800)])
    no_cid = invite(5, drop=("Call-ID",))
    ack = invite(6, method="ACK", to_tag="t").replace(b"Content-Length: 0", b"Content-Length: x")
    good = invite(7)
    reqs = [bad_cl, bad_ver, pr, big, no_cid, ack, b"\r\n\r\n", good]
    r, out0, out1 = run("guard_sanity", [frame(p) for p in reqs],
                        ["--max-message-size", "700", "--proxy-option", "sec-agree"])
    check(len(out0) == 4 and len(out1) == 1, f"{len(out0)}/{len(out1)} frames out")
    if len(out0) == 4:
        check_reply(out0[0], bad_cl, 400)
        check_reply(out0[1], bad_ver, 505)
        h = check_reply(out0[2], pr, 420)
        check(values(h, "Unsupported") == ["foo", "bar"],
              f"Unsupported {values(h, 'Unsupported')}")
        check_reply(out0[3], big, 513)
    if out1:
        _, hdrs, _ = parse(out1[0][5])
        check(values(hdrs, "Call-ID") == ["guard-7@x"], "the good INVITE was not forwarded")
    counters_ok(r, rx_packets=8, tx_packets=5, sip_rx=8, reply_400=1, reply_505=1, reply_420=1,
                reply_513=1, drop_sip_parse=3, sip_parse_content_length=2, sip_parse_version=1,
                sip_parse_no_call_id=1, sip_parse_empty=1, proxy_requests_to_backends=1,
                proxy_new_dialogs=1)


def case_sanity_replies_off():
    """--sanity-replies off (and --guard off): a refused request is dropped as before."""
    bad_cl = invite(1).replace(b"Content-Length: 0", b"Content-Length: x")
    pr = invite(2, extra=[("Proxy-Require", "foo")])
    for name, args in (("guard_nosanity", ["--sanity-replies", "off"]),
                       ("guard_off_sanity", ["--guard", "off"])):
        r, out0, out1 = run(name, [frame(bad_cl), frame(pr)], args)
        check(len(out0) == 0 and len(out1) == 1, f"{name}: {len(out0)}/{len(out1)} frames out")
        counters_ok(r, rx_packets=2, tx_packets=1, sip_rx=2, drop_sip_parse=1,
                    sip_parse_content_length=1, proxy_requests_to_backends=1, proxy_new_dialogs=1)


def case_acl():
    """The longest prefix wins; backends on the internal port pass whatever the ACL says."""
    args = ["--deny", "203.0.113.0/24", "--allow", f"{CLI}", "--deny", "198.51.100.0/24"]
    frames = [frame(invite(1)), frame(invite(2), src=OTHER),
              frame(invite(3), src="198.18.0.5")]
    be = "198.51.100.12"
    sb = "c633640c13c4"
    bye = sip(f"BYE sip:alice@{CLI}:{CPORT} SIP/2.0",
              [("Via", f"SIP/2.0/UDP {be}:5060;branch=z9hG4bKbackend1"), ("Max-Forwards", "70"),
               ("Route", f"<sip:{INT}:5060;lr;sb={sb}>, <sip:{EXT}:5060;lr;sb={sb}>"),
               ("From", "Bob <sip:bob@example.com>;tag=be-tag-9"),
               ("To", "Alice <sip:alice@example.com>;tag=1928301774"),
               ("Call-ID", "guard-be@x"), ("CSeq", "1 BYE")])
    r = golden.Run("guard_acl", [frames, [proxy.backend_frame(be, bye)]], ARGS + args)
    out0 = [proxy.decode(f, MAC0) for f in r.outputs[0]]
    out1 = [proxy.decode(f, MAC1) for f in r.outputs[1]]
    calls = sorted(values(parse(o[5])[1], "Call-ID")[0] for o in out1)
    check(calls == ["guard-1@x", "guard-3@x"], f"forwarded {calls}: want .10 (allowed) and "
          f"198.18.0.5 (no rule), not {OTHER} (denied)")
    check(len(out0) == 1 and out0[0][2] == CLI, "the backend's BYE did not reach the client")
    counters_ok(r, rx_packets=4, tx_packets=3, sip_rx=4, drop_guard_acl=1, guard_acl_allowed=1,
                proxy_requests_to_backends=2, proxy_new_dialogs=2, proxy_requests_to_clients=1)


def case_flood_ban():
    """Over its bucket a source is banned, its later datagrams dropped; another source passes."""
    frames = [frame(invite(n)) for n in range(1, 21)] + \
             [frame(invite(100 + n), src=OTHER) for n in range(3)]
    r, out0, out1 = run("guard_flood", frames,
                        ["--rate-limit", "1,burst=5", "--ban-seconds", "60"])
    calls = [values(parse(o[5])[1], "Call-ID")[0] for o in out1]
    mine = [c for c in calls if int(c[6:c.index("@")]) < 100]
    other = [c for c in calls if int(c[6:c.index("@")]) >= 100]
    check(mine[:5] == [f"guard-{n}@x" for n in range(1, 6)], f"the first 5 did not pass: {mine}")
    # a stall of a second between two datagrams could add one token, no more
    check(len(mine) in (5, 6), f"{len(mine)} of the flood forwarded, want 5 (burst)")
    check(len(other) == 3, f"{len(other)} of the other source's 3 forwarded")
    c = r.counters
    check(c.get("guard_bans") == 1, f"guard_bans {c.get('guard_bans')}")
    check(c.get("drop_guard_rate") == 1, f"drop_guard_rate {c.get('drop_guard_rate')}")
    check(c.get("drop_guard_banned") == 20 - len(mine) - 1,
          f"drop_guard_banned {c.get('drop_guard_banned')}, want {20 - len(mine) - 1}")
    check(c.get("proxy_requests_to_backends") == len(calls), "forwarded count")
    check(len(out0) == 0, "something was answered")
    for k, v in c.items():
        if k.startswith("drop_") and k not in ("drop_guard_rate", "drop_guard_banned"):
            check(v == 0, f"unexpected {k}={v}")


def case_flood_reply_503():
    """--flood-reply 503: requests of a banned source are answered 503 with Retry-After."""
    frames = [frame(invite(n)) for n in range(1, 5)] + \
             [frame(invite(9, method="ACK", to_tag="t"))]
    r, out0, out1 = run("guard_503", frames,
                        ["--rate-limit", "1,burst=2", "--ban-seconds", "60",
                         "--flood-reply", "503"])
    n_fwd = len(out1)
    check(n_fwd in (2, 3), f"{n_fwd} forwarded, want 2 (burst)")
    check(len(out0) == 4 - n_fwd, f"{len(out0)} answered, want {4 - n_fwd}")
    for sent in out0:
        n = int(values(parse(sent[5])[1], "CSeq")[0].split()[0])
        h = check_reply(sent, invite(n), 503)
        ra = values(h, "Retry-After")
        check(len(ra) == 1 and ra[0].isdigit() and 55 <= int(ra[0]) <= 60, f"Retry-After {ra}")
    counters_ok(r, rx_packets=5, tx_packets=5 - 1, sip_rx=5, proxy_requests_to_backends=n_fwd,
                proxy_new_dialogs=n_fwd, reply_503=4 - n_fwd, guard_bans=1, drop_guard_banned=1)


def case_scanner():
    """A scanner's User-Agent: dropped, its source banned (--scanner-ban); --guard off: forwarded."""
    scan = invite(1, method="OPTIONS", extra=[("User-Agent", "friendly-scanner")])
    frames = [frame(scan, src=OTHER), frame(invite(2), src=OTHER), frame(invite(3))]
    r, out0, out1 = run("guard_scanner", frames, ["--scanner-ban", "60"])
    calls = [values(parse(o[5])[1], "Call-ID")[0] for o in out1]
    check(calls == ["guard-3@x"], f"forwarded {calls}, want only the other client's INVITE")
    check(len(out0) == 0, "the scanner got an answer")
    counters_ok(r, rx_packets=3, tx_packets=1, sip_rx=3, drop_guard_scanner=1, guard_bans=1,
                drop_guard_banned=1, proxy_requests_to_backends=1, proxy_new_dialogs=1)
    r, out0, out1 = run("guard_scanner_off", frames[:1], ["--guard", "off"])
    check(len(out1) == 1, "with the guard off the scan was not forwarded")
    counters_ok(r, rx_packets=1, tx_packets=1, sip_rx=1, proxy_requests_to_backends=1)


def case_trusted_set():
    """A trusted set takes new requests from --allow peers only; dialogs go on."""
    be = "198.51.100.11"
    sb = "c633640b13c4"
    route = f"<sip:{EXT}:5060;lr;sb={sb}>, <sip:{INT}:5060;lr;sb={sb}>"
    bye = sip(f"BYE sip:bob@{be}:5060 SIP/2.0",
              [("Via", f"SIP/2.0/UDP {OTHER}:5062;branch=z9hG4bKo2;rport"),
               ("Max-Forwards", "70"), ("Route", route),
               ("From", "Alice <sip:alice@example.com>;tag=a1"),
               ("To", "Bob <sip:bob@example.com>;tag=b1"), ("Call-ID", "guard-dlg@x"),
               ("CSeq", "2 BYE")])
    frames = [frame(invite(1)), frame(invite(2), src=OTHER),
              frame(invite(3, method="REGISTER"), src=OTHER), frame(bye, src=OTHER)]
    r, out0, out1 = run("guard_trusted", frames,
                        ["--trusted-set", "1", "--allow", f"{CLI}/32"])
    calls = [values(parse(o[5])[1], "Call-ID")[0] for o in out1]
    check(calls == ["guard-1@x", "guard-dlg@x"],
          f"forwarded {calls}: want the peer's INVITE and the in-dialog BYE")
    check(len(out1) < 2 or out1[1][2] == be, "the BYE did not follow its Route")
    counters_ok(r, rx_packets=4, tx_packets=2, sip_rx=4, guard_acl_allowed=1,
                drop_guard_untrusted=2, proxy_requests_to_backends=2, proxy_new_dialogs=1,
                proxy_pinned=1)


def case_bad_guard_options():
    """Guard options that cannot work are refused before anything starts."""
    import subprocess
    base = [golden.SIPEDGE, "-l", "0,1", "--no-huge", "-m", "64", "--no-pci", "--", "--port",
            f"0,ip={EXT}/24", "--backend", "198.51.100.11:5060"]
    for args, why in ((["--deny", "10.1.0.0/8"], "address bits set beyond"),
                      (["--allow", "10.0.0.0/40"], "prefix length"),
                      (["--deny", "10.0.0.0/8", "--allow", "10.0.0.0/8"], "allowed and denied"),
                      (["--trusted-set", "1"], "needs --allow"),
                      (["--trusted-set", "7", "--allow", "10.0.0.1"], "new requests go to"),
                      (["--rate-limit", "0"], "RPS"), (["--flood-reply", "404"], "503 or drop"),
                      (["--max-message-size", "100"], "256..65535"),
                      (["--proxy-option", "a b"], "option tag"),
                      (["--guard", "maybe"], "on or off")):
        p = subprocess.run(base + args, capture_output=True, timeout=30)
        err = p.stderr.decode()
        check(p.returncode == 2, f"{args}: exit {p.returncode}, want 2")
        check(why in err, f"{args}: {err.strip()!r} does not say {why!r}")


if __name__ == "__main__":
    golden.main(sys.modules[__name__], "guard")
