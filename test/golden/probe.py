#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Golden tests of the health probes: what leaves the edge when nothing answers.

usage: probe.py SIPEDGE CASE      (CASE: one of the functions named case_*)

sipedge runs on net_pcap with empty inputs and --exit-idle-ms 300, so it
sends the first round of probes (at its first control tick) and stops
before a probe times out (500 ms by default). Each OPTIONS that leaves is
decoded and every header checked against RFC 3261 and the branch form the
proxy stage recognises (z9hG4bKsP + id, seq and check in hex).
"""

import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402
from golden import EXT, INT, MAC0, MAC1, ZERO_MAC, Run, check, failures  # noqa: E402
from pcaplib import BROADCAST, ETH_P_ARP, arp, ether  # noqa: E402
from proxy import decode, parse, values  # noqa: E402

BE1, BE1_MAC = "198.51.100.11", "02:00:00:00:00:11"
BE2, BE2_MAC = "198.51.100.12", "02:00:00:00:00:12"
BRANCH = r"z9hG4bKsP[0-9a-f]{24}"
PROBING = ["--probe-interval", "1000"]   # any --probe option: Run() then leaves probing on


def check_probe(sent, src, dst, dport, dst_mac):
    """One OPTIONS probe: addresses, ports, and every header."""
    mac, s, d, sport, dp, payload = sent
    check(mac == dst_mac, f"probe to MAC {mac}, want {dst_mac}")
    check((s, sport) == (src, 5060), f"probe from {s}:{sport}, want {src}:5060")
    check((d, dp) == (dst, dport), f"probe to {d}:{dp}, want {dst}:{dport}")
    start, hdrs, body = parse(payload)
    check(start == f"OPTIONS sip:{dst}:{dport} SIP/2.0", f"request line {start!r}")
    vias = values(hdrs, "Via")
    check(len(vias) == 1 and re.fullmatch(rf"SIP/2\.0/UDP {src}:5060;branch={BRANCH};rport",
                                          vias[0]) is not None, f"Via {vias}")
    check(values(hdrs, "Max-Forwards") == ["70"], f"Max-Forwards {values(hdrs, 'Max-Forwards')}")
    check(values(hdrs, "To") == [f"<sip:{dst}:{dport}>"], f"To {values(hdrs, 'To')}")
    frm = values(hdrs, "From")
    check(len(frm) == 1 and re.fullmatch(rf"<sip:sipedge@{src}:5060>;tag=[0-9a-f]+", frm[0])
          is not None, f"From {frm}")
    cid = values(hdrs, "Call-ID")
    check(len(cid) == 1 and cid[0].endswith(f"@{src}"), f"Call-ID {cid}")
    cseq = values(hdrs, "CSeq")
    check(len(cseq) == 1 and re.fullmatch(r"\d+ OPTIONS", cseq[0]) is not None, f"CSeq {cseq}")
    check(values(hdrs, "Accept") == ["application/sdp"], "Accept")
    check(values(hdrs, "Content-Length") == ["0"] and body == b"", "no body")
    return vias[0].split("branch=")[1].split(";")[0], cid[0]


# ---- cases ----

def case_options_leave_on_the_internal_port():
    """Each backend gets one OPTIONS from the internal address; none leaves outside."""
    r = Run("probe_options", [[], []],
            ["--backend", f"{BE1}:5060", "--backend", f"{BE2}:5080,set=2",
             "--neigh", f"{BE1},{BE1_MAC}", "--neigh", f"{BE2},{BE2_MAC}", *PROBING])
    r.expect_frames(0, [])
    out = [decode(f, MAC1) for f in r.outputs[1]]
    check(len(out) == 2, f"{len(out)} probes out, want 2")
    by_dst = {o[2]: o for o in out}
    seen = []
    for dst, port, m in ((BE1, 5060, BE1_MAC), (BE2, 5080, BE2_MAC)):
        if dst in by_dst:
            seen.append(check_probe(by_dst[dst], INT, dst, port, m))
        else:
            failures.append(f"no probe to {dst}")
    if len(seen) == 2:
        check(seen[0][0] != seen[1][0], "two backends, one branch")
        check(seen[0][1] != seen[1][1], "two backends, one Call-ID")
    r.expect_counters(tx_packets=2, probes_sent=2, probe_unresolved=0)


def case_one_armed_probe_leaves_from_the_only_address():
    peer, peer_mac = "203.0.113.50", "02:00:00:00:00:50"
    r = Run("probe_one_armed", [[]],
            ["--backend", f"{peer}:5070", "--neigh", f"{peer},{peer_mac}", *PROBING])
    out = [decode(f, MAC0) for f in r.outputs[0]]
    check(len(out) == 1, f"{len(out)} probes out, want 1")
    if out:
        check_probe(out[0], EXT, peer, 5070, peer_mac)
    r.expect_counters(tx_packets=1, probes_sent=1)


def case_probe_waits_for_arp():
    """Next hop unknown: an ARP request leaves, the probe waits (no drop is counted)."""
    r = Run("probe_arp", [[], []], ["--backend", f"{BE1}:5060", *PROBING])
    r.expect_frames(0, [])
    r.expect_frames(1, [ether(BROADCAST, MAC1, ETH_P_ARP, arp(1, MAC1, INT, ZERO_MAC, BE1))])
    r.expect_counters(tx_packets=1, arp_requests_sent=1, probes_sent=0, probe_unresolved=1)


def case_probe_off_sends_nothing():
    r = Run("probe_off", [[], []],
            ["--backend", f"{BE1}:5060", "--neigh", f"{BE1},{BE1_MAC}", "--probe-off"])
    r.expect_frames(0, [])
    r.expect_frames(1, [])
    r.expect_counters(tx_packets=0, probes_sent=0)
    check("health probes off" in r.err, "the log does not say probing is off")


def case_probe_settings_are_logged():
    """The log states the settings; the default timeout is half a short interval."""
    r = Run("probe_settings", [[], []], ["--backend", f"{BE1}:5060", "--probe-interval", "200",
                                         "--probe-fail", "4", "--probe-codes", "200,202-204"])
    check("OPTIONS every 200 ms, timeout 100 ms, down after 4 failures, up after 2 successes, "
          "alive codes 200,202-204" in r.err, f"settings not logged: {r.err[-1500:]}")
    check(f"backend {BE1}:5060 set 1 weight 1 prio 0: down" in r.err,
          "the backend's startup state is not logged")


def case_probe_command_lines():
    """Bad probe options: exit status 2 and a message naming the option."""
    bad = [
        (["--probe-interval", "5"], "--probe-interval"),
        (["--probe-timeout", "0"], "--probe-timeout"),
        (["--probe-fail", "0"], "--probe-fail"),
        (["--probe-ok", "x"], "--probe-ok"),
        (["--probe-codes", "200,99"], "--probe-codes"),
        (["--probe-codes", "2xx"], "--probe-codes"),
        (["--probe-interval", "100", "--probe-timeout", "200"], "--probe-timeout"),
        (["--metrics", "localhost:9100"], "--metrics"),
        (["--bench-churn-us", "10"], "--bench-churn-us"),
    ]
    import subprocess
    for args, opt in bad:
        p = subprocess.run([golden.SIPEDGE, "--no-huge", "--", "--port", f"0,ip={EXT}/24",
                            "--backend", "203.0.113.11", *args], capture_output=True,
                           timeout=30)
        err = p.stderr.decode()
        check(p.returncode == 2, f"{args}: exit {p.returncode}, want 2")
        check(opt in err, f"{args}: message does not name {opt}: {err}")


if __name__ == "__main__":
    golden.main(sys.modules[__name__], "probe")
