#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Golden pcap tests of the data plane: pcap in, sipedge, pcap out.

usage: golden.py SIPEDGE CASE      (CASE: one of the functions named case_*)

Each case writes the input pcap(s), runs sipedge on net_pcap vdevs with
--exit-idle-ms (it stops by itself once the input is consumed), then checks
every output frame byte for byte against frames built here independently,
and the final counters sipedge prints (name=value lines).
"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcaplib import (BROADCAST, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, arp, ether,  # noqa: E402
                     fragment, hexdump, icmp_echo, icmp_error, ipv4, read_pcap,
                     udp, udp_datagram, write_pcap)

MAC0 = "02:70:63:61:70:00"   # net_pcap0 (02:'p':'c':'a':'p':index)
MAC1 = "02:70:63:61:70:01"   # net_pcap1
EXT = "203.0.113.1"
INT = "198.51.100.1"
CLI, CLI_MAC = "203.0.113.10", "02:00:00:00:00:10"
BE, BE_MAC = "198.51.100.11", "02:00:00:00:00:11"
ZERO_MAC = "00:00:00:00:00:00"
TWO_PORTS = ["--port", f"0,ip={EXT}/24", "--port", f"1,ip={INT}/24"]
# a static entry for the client: its SIP frames then have nothing to teach (no gleaning)
KNOWN_CLIENT = ["--neigh", f"{CLI},{CLI_MAC}"]

SIP = (b"INVITE sip:bob@198.51.100.11 SIP/2.0\r\n"
       b"Via: SIP/2.0/UDP 203.0.113.10:5062;branch=z9hG4bK776asdhds;rport\r\n"
       b"Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\n"
       b"From: <sip:alice@example.com>;tag=1928301774\r\n"
       b"Call-ID: a84b4c76e66710@pc33.example.com\r\nCSeq: 314159 INVITE\r\n"
       b"Content-Length: 0\r\n\r\n")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


class Run:
    """One sipedge run over pcap vdevs."""

    def __init__(self, case, inputs, args, ports=None, eal_extra=()):
        self.dir = tempfile.mkdtemp(prefix=f"se-golden-{case}-")
        self.prefix = f"se-golden-{case}-{os.getpid()}"
        vdevs = []
        for i, frames in enumerate(inputs):
            write_pcap(os.path.join(self.dir, f"in{i}.pcap"), frames)
            vdevs += ["--vdev", f"net_pcap{i},rx_pcap={self.dir}/in{i}.pcap,"
                      f"tx_pcap={self.dir}/out{i}.pcap"]
        if ports is None:
            ports = TWO_PORTS if len(inputs) == 2 else ["--port", f"0,ip={EXT}/24"]
        if "--forward-to" not in args and "--mode" not in args and "--backend" not in args:
            args = [*args, "--backend", f"{BE}:5060"]   # the proxy stage needs a backend
        if not any(a.startswith("--probe") for a in args):
            args = [*args, "--probe-off"]   # nobody in a pcap answers health probes
        self.cmd = [SIPEDGE, "-l", "0,1", "--no-huge", "-m", "512", "--no-pci",
                    f"--file-prefix={self.prefix}", *eal_extra, *vdevs, "--",
                    *ports, "--exit-idle-ms", "300", *args]
        try:
            p = subprocess.run(self.cmd, capture_output=True, timeout=60)
            self.rc, self.out, self.err = p.returncode, p.stdout.decode(), p.stderr.decode()
        except subprocess.TimeoutExpired as e:
            self.rc, self.out, self.err = -1, (e.stdout or b"").decode(), "timeout"
        self.counters = {}
        inside = False
        for line in self.out.splitlines():
            if line == "counters:":
                inside = True
            elif line == "end":
                inside = False
            elif inside and "=" in line:
                k, v = line.split("=", 1)
                self.counters[k] = int(v)
        self.outputs = []
        for i in range(len(inputs)):
            path = os.path.join(self.dir, f"out{i}.pcap")
            self.outputs.append(read_pcap(path) if os.path.exists(path) else [])
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.rmtree(f"/var/run/dpdk/{self.prefix}", ignore_errors=True)
        if self.rc != 0:
            failures.append(f"sipedge exited {self.rc}\n{self.err[-3000:]}")

    def expect_counters(self, **want):
        """Every named counter equals its value; every other drop counter is zero."""
        for k, v in want.items():
            check(self.counters.get(k) == v,
                  f"counter {k}: got {self.counters.get(k)}, want {v}")
        for k, v in self.counters.items():
            if k.startswith("drop_") and k not in want:
                check(v == 0, f"unexpected {k}={v}")

    def expect_frames(self, port, want):
        got = self.outputs[port]
        check(len(got) == len(want), f"port {port}: {len(got)} frames out, want {len(want)}")
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                failures.append(f"port {port} frame {i} differs\n got:\n{hexdump(g)}\n"
                                f" want:\n{hexdump(w)}")


def sip_frame(payload=SIP, sport=5062, dport=5060, dst=EXT, **kw):
    return ether(MAC0, CLI_MAC, ETH_P_IP, udp_datagram(CLI, dst, sport, dport, payload, **kw))


def forwarded(payload, ident, sport=5060):
    """The frame the interim stage sends to the backend for payload."""
    return ether(BE_MAC, MAC1, ETH_P_IP,
                 udp_datagram(INT, BE, sport, 5060, payload, ttl=64, ident=ident))


# ---- cases ----

def case_arp_reply():
    req = ether(BROADCAST, CLI_MAC, ETH_P_ARP, arp(1, CLI_MAC, CLI, ZERO_MAC, EXT))
    other = ether(BROADCAST, CLI_MAC, ETH_P_ARP, arp(1, CLI_MAC, CLI, ZERO_MAC, "203.0.113.99"))
    bad = ether(BROADCAST, CLI_MAC, ETH_P_ARP, arp(1, CLI_MAC, CLI, ZERO_MAC, EXT)[:4] +
                b"\x05" + arp(1, CLI_MAC, CLI, ZERO_MAC, EXT)[5:])
    r = Run("arp_reply", [[req, other, bad]], [])
    r.expect_frames(0, [ether(CLI_MAC, MAC0, ETH_P_ARP, arp(2, MAC0, EXT, CLI_MAC, CLI))])
    r.expect_counters(rx_packets=3, tx_packets=1, arp_replied=1,
                      drop_arp_not_us=1, drop_arp_bad=1)


def case_ping_reply():
    data = bytes(range(56))
    req = ether(MAC0, CLI_MAC, ETH_P_IP, ipv4(CLI, EXT, 1, icmp_echo(0x1234, 7, data), ident=77))
    bad = ether(MAC0, CLI_MAC, ETH_P_IP,
                ipv4(CLI, EXT, 1, icmp_echo(0x1234, 8, data, csum=0xdead), ident=78))
    tstamp = ether(MAC0, CLI_MAC, ETH_P_IP, ipv4(CLI, EXT, 1, icmp_error(13, 0, b"\0" * 12)))
    quoted = udp_datagram(EXT, CLI, 5060, 5062, b"SIP/2.0 200 OK\r\n\r\n")[:28]
    unreach = ether(MAC0, CLI_MAC, ETH_P_IP, ipv4(CLI, EXT, 1, icmp_error(3, 3, quoted)))
    r = Run("ping_reply", [[req, bad, tstamp, unreach]], [])
    r.expect_frames(0, [ether(CLI_MAC, MAC0, ETH_P_IP,
                              ipv4(EXT, CLI, 1, icmp_echo(0x1234, 7, data, reply=True),
                                   ident=77))])
    r.expect_counters(rx_packets=4, tx_packets=1, icmp_echo_replied=1, drop_icmp=2,
                      icmp_to_control=1)


def case_sip_forward():
    zero = ether(MAC0, CLI_MAC, ETH_P_IP,
                 ipv4(CLI, EXT, 17, udp(CLI, EXT, 5062, 5060, b"OPTIONS x", csum=0)))
    r = Run("sip_forward", [[sip_frame(), zero], []],
            ["--neigh", f"{BE},{BE_MAC}", *KNOWN_CLIENT, "--forward-to", f"{BE}:5060"])
    r.expect_frames(0, [])
    r.expect_frames(1, [forwarded(SIP, 0), forwarded(b"OPTIONS x", 1)])
    r.expect_counters(rx_packets=2, tx_packets=2, sip_rx=2, sip_forwarded=2,
                      neigh_published=1)


def case_sip_forward_one_armed():
    peer, peer_mac = "203.0.113.50", "02:00:00:00:00:50"
    r = Run("sip_forward_one_armed", [[sip_frame()]],
            ["--neigh", f"{peer},{peer_mac}", *KNOWN_CLIENT, "--forward-to", f"{peer}:5080"])
    r.expect_frames(0, [ether(peer_mac, MAC0, ETH_P_IP,
                              udp_datagram(EXT, peer, 5060, 5080, SIP, ident=0))])
    r.expect_counters(rx_packets=1, tx_packets=1, sip_rx=1, sip_forwarded=1,
                      neigh_published=1)


def case_glean():
    """A SIP frame from an on-link sender the edge never saw teaches its MAC (no ARP needed)."""
    r = Run("glean", [[sip_frame()], []],
            ["--neigh", f"{BE},{BE_MAC}", "--forward-to", f"{BE}:5060"])
    r.expect_frames(0, [])
    r.expect_frames(1, [forwarded(SIP, 0)])
    # the static backend is published at startup, the gleaned client afterwards
    r.expect_counters(rx_packets=1, tx_packets=1, sip_rx=1, sip_forwarded=1, neigh_gleaned=1,
                      neigh_published=2, arp_requests_sent=0)


def big_sip(n):
    body = b"v=0\r\n" + b"a=x-padding:" + b"y" * (n - 20) + b"\r\n"
    return SIP.replace(b"Content-Length: 0", b"Content-Length: %d" % len(body)) + body


def case_reassembly():
    payload = big_sip(3000)
    frags = fragment(udp_datagram(CLI, EXT, 5062, 5060, payload, ident=4242), 1500)
    frames = [ether(MAC0, CLI_MAC, ETH_P_IP, f) for f in frags]
    frames = [frames[2], frames[0], frames[1]]        # out of order
    r = Run("reassembly", [frames, []],
            ["--neigh", f"{BE},{BE_MAC}", *KNOWN_CLIENT, "--forward-to", f"{BE}:5060"],
            ports=["--port", f"0,ip={EXT}/24", "--port", f"1,ip={INT}/24,mtu=9000"])
    r.expect_frames(1, [forwarded(payload, 0)])
    r.expect_counters(rx_packets=3, tx_packets=1, ip_fragments=3, ip_reassembled=1,
                      sip_rx=1, sip_forwarded=1, neigh_published=1)


def case_fragment_out():
    payload = big_sip(3000)
    r = Run("fragment_out", [[sip_frame(payload)], []],
            ["--neigh", f"{BE},{BE_MAC}", *KNOWN_CLIENT, "--forward-to", f"{BE}:5060"],
            ports=["--port", f"0,ip={EXT}/24,mtu=9000", "--port", f"1,ip={INT}/24"])
    whole = udp_datagram(INT, BE, 5060, 5060, payload, ident=0)
    want = [ether(BE_MAC, MAC1, ETH_P_IP, f) for f in fragment(whole, 1500)]
    check(len(want) == 3, "the helper should make 3 fragments")
    r.expect_frames(1, want)
    r.expect_counters(rx_packets=1, tx_packets=3, sip_rx=1, sip_forwarded=1,
                      ip_fragmented_out=1, neigh_published=1)


def case_drops():
    good_ip = udp_datagram(CLI, EXT, 5062, 5060, b"x")

    def with_byte(pkt, off, val):
        return pkt[:off] + bytes([val]) + pkt[off + 1:]

    bad_udp_len = bytearray(udp_datagram(CLI, EXT, 5062, 5060, b"hello"))
    bad_udp_len[24:26] = (30).to_bytes(2, "big")
    frames = {
        "drop_l2_short": b"\x02" * 10,
        "drop_l2_not_us": ether("02:00:00:00:99:99", CLI_MAC, ETH_P_IP, good_ip),
        "drop_l2_ethertype": ether(MAC0, CLI_MAC, ETH_P_IPV6, b"\x60" + b"\0" * 39),
        "drop_ip_short": ether(MAC0, CLI_MAC, ETH_P_IP, good_ip[:12]),
        "drop_ip_version": ether(MAC0, CLI_MAC, ETH_P_IP, ipv4(CLI, EXT, 17, b"\0" * 8,
                                                               version=6)),
        "drop_ip_hdr_len": ether(MAC0, CLI_MAC, ETH_P_IP, ipv4(CLI, EXT, 17, b"\0" * 8, ihl=4)),
        "drop_ip_len": ether(MAC0, CLI_MAC, ETH_P_IP, ipv4(CLI, EXT, 17, b"\0" * 8,
                                                           total_len=200)),
        "drop_ip_checksum": ether(MAC0, CLI_MAC, ETH_P_IP, with_byte(good_ip, 10, good_ip[10] ^ 1)),
        "drop_ip_ttl": ether(MAC0, CLI_MAC, ETH_P_IP, udp_datagram(CLI, EXT, 5062, 5060, b"x",
                                                                   ttl=0)),
        "drop_ip_not_us": ether(MAC0, CLI_MAC, ETH_P_IP, udp_datagram(CLI, "203.0.113.2", 5062,
                                                                      5060, b"x")),
        "drop_ip_options": ether(MAC0, CLI_MAC, ETH_P_IP, ipv4(CLI, EXT, 17, b"\0" * 8,
                                                               options=b"\x01" * 4)),
        "drop_ip_proto": ether(MAC0, CLI_MAC, ETH_P_IP, ipv4(CLI, EXT, 6, b"\0" * 20)),
        "drop_ip_src": ether(MAC0, CLI_MAC, ETH_P_IP, udp_datagram("255.255.255.255", EXT, 5062,
                                                                   5060, b"x")),
        "drop_udp_short": ether(MAC0, CLI_MAC, ETH_P_IP, ipv4(CLI, EXT, 17, b"\0" * 4)),
        "drop_udp_len": ether(MAC0, CLI_MAC, ETH_P_IP, bytes(bad_udp_len)),
        "drop_udp_checksum": ether(MAC0, CLI_MAC, ETH_P_IP,
                                   ipv4(CLI, EXT, 17, udp(CLI, EXT, 5062, 5060, b"x", csum=0x1234))),
        "drop_udp_port": sip_frame(dport=5070),
        "drop_icmp": ether(MAC0, CLI_MAC, ETH_P_IP, ipv4(CLI, EXT, 1, b"\x08\0\0\0")),
        "drop_arp_bad": ether(BROADCAST, CLI_MAC, ETH_P_ARP, b"\0\x01\x08\0\x06"),
        "drop_sip_parse": sip_frame(payload=b"hello"),
    }
    want = {k: 1 for k in frames}
    # With the guard (the default) the UDP checksum is verified after the
    # guard's source checks, in the SIP stage: the datagram with the wrong one
    # reaches it (sip_rx) and is dropped there. Without the guard the receive
    # path drops it itself.
    for guard, sip_rx in (("on", 2), ("off", 1)):
        r = Run("drops", [list(frames.values())], ["--guard", guard])
        r.expect_frames(0, [])
        r.expect_counters(rx_packets=len(frames), tx_packets=0, sip_rx=sip_rx,
                          sip_parse_start_line=1, **want)


def case_unresolved_next_hop():
    r = Run("unresolved_next_hop", [[sip_frame(), sip_frame()], []],
            ["--forward-to", f"{BE}:5060"])
    # the control core's ARP request leaves through worker 0 (net_pcap has one TX queue)
    r.expect_frames(1, [ether(BROADCAST, MAC1, ETH_P_ARP, arp(1, MAC1, INT, ZERO_MAC, BE))])
    r.expect_counters(rx_packets=2, tx_packets=1, sip_rx=2, sip_forwarded=2,
                      drop_neigh_unresolved=2, arp_requests_sent=1)


def case_passthrough():
    frames = [sip_frame(), b"\x02" * 10, ether(BROADCAST, CLI_MAC, ETH_P_ARP,
                                              arp(1, CLI_MAC, CLI, ZERO_MAC, EXT))]
    r = Run("passthrough", [frames], ["--mode", "passthrough"])
    r.expect_frames(0, frames)
    r.expect_counters(rx_packets=3, tx_packets=3)


def case_sigint_stops_cleanly():
    """Without --exit-idle-ms: SIGINT stops workers, closes ports, prints counters, exits 0."""
    d = tempfile.mkdtemp(prefix="se-golden-sigint-")
    prefix = f"se-golden-sigint-{os.getpid()}"
    write_pcap(f"{d}/in0.pcap", [sip_frame(payload=b"hello")])
    cmd = [SIPEDGE, "-l", "0,1", "--no-huge", "-m", "512", "--no-pci",
           f"--file-prefix={prefix}", "--vdev",
           f"net_pcap0,rx_pcap={d}/in0.pcap,tx_pcap={d}/out0.pcap", "--",
           "--port", f"0,ip={EXT}/24", "--backend", f"{BE}:5060", "--stats-interval", "1"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    import time
    deadline = time.time() + 30
    err = b""
    # wait until the workers run (the log says so), then interrupt
    while time.time() < deadline:
        line = p.stderr.readline()
        err += line
        if b"running" in line or not line:
            break
    time.sleep(0.5)
    p.send_signal(2)
    try:
        out, rest = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, rest = p.communicate()
        failures.append("sipedge did not stop on SIGINT")
    check(p.returncode == 0, f"exit status {p.returncode}: {(err + rest).decode()[-2000:]}")
    text = out.decode()
    check("counters:" in text and "drop_sip_parse=1" in text,
          f"final counters missing:\n{text[-2000:]}")
    check(os.path.exists(f"{d}/out0.pcap"), "the pcap port was not closed")
    shutil.rmtree(d, ignore_errors=True)
    shutil.rmtree(f"/var/run/dpdk/{prefix}", ignore_errors=True)


def case_bad_command_lines():
    """Each bad option: exit status 2, a message naming the option and the value."""
    bad = [
        (["--port", "0,ip=300.1.1.1/24"], "--port", "300.1.1.1"),
        (["--port", "0"], "--port", "ip="),
        (["--port", "0,ip=203.0.113.1/24,gw=192.0.2.1"], "--port", "gw="),
        (["--port", "0,ip=203.0.113.1/24", "--sip-port", "0"], "--sip-port", "'0'"),
        (["--port", "0,ip=203.0.113.1/24", "--neigh", "198.51.100.11,zz"], "--neigh", "zz"),
        (["--port", "0,ip=203.0.113.1/24", "--mode", "fast"], "--mode", "fast"),
        (["--port", "0,ip=203.0.113.1/24", "--forward-to", "198.51.100.11"], "--forward-to",
         "198.51.100.11"),
        (["--port", "0,ip=203.0.113.1/24", "--forward-to", "[2001:db8::1]:5060"],
         "--forward-to", "IPv6"),
        (["--port", "0,ip=203.0.113.1/24", "--bogus"], "--bogus", "unknown"),
        (["--port", "0,ip=203.0.113.1/24", "--stats-interval"], "--stats-interval", "missing"),
        ([], "--port", "at least one"),
        (["--port", "0,ip=203.0.113.1/24", "--backend", "backend.example.com"], "--backend",
         "host names"),
        (["--port", "0,ip=203.0.113.1/24"], "--backend", "nothing to balance"),
        (["--port", "0,ip=203.0.113.1/24", "--backend", "203.0.113.11", "--register-set", "7"],
         "--register-set", "no backend"),
        (["--port", "0,ip=203.0.113.1/24", "--nat-detect", "via-received,bogus"], "--nat-detect",
         "via-received,bogus"),
        (["--port", "0,ip=203.0.113.1/24", "--nat-detect", "none,via-private"], "--nat-detect",
         "none,via-private"),
    ]
    for args, opt, val in bad:
        p = subprocess.run([SIPEDGE, "--no-huge", "--", *args], capture_output=True, timeout=30)
        err = p.stderr.decode()
        check(p.returncode == 2, f"{args}: exit {p.returncode}, want 2")
        check(opt in err and val in err, f"{args}: message does not name {opt} and {val}: {err}")
        check(b"EAL" not in p.stderr, f"{args}: EAL was started")
    p = subprocess.run([SIPEDGE, "--", "--help"], capture_output=True, timeout=30)
    check(p.returncode == 0 and b"--forward-to" in p.stdout, "--help")
    # checks that need the devices: a missing port, an off-link static neighbour
    after_eal = [
        (["--port", "5,ip=203.0.113.1/24", "--backend", "203.0.113.11"], "port 5 does not exist"),
        (["--port", "0,ip=203.0.113.1/24", "--backend", "203.0.113.11", "--neigh",
          "192.0.2.9,02:00:00:00:00:09"], "not on-link"),
        (["--port", "0,ip=203.0.113.1/24", "--forward-to", "192.0.2.9:5060"], "no port reaches"),
    ]
    d = tempfile.mkdtemp(prefix="se-golden-cli-")
    write_pcap(f"{d}/in0.pcap", [])
    for i, (args, msg) in enumerate(after_eal):
        prefix = f"se-golden-cli-{os.getpid()}-{i}"
        p = subprocess.run([SIPEDGE, "-l", "0,1", "--no-huge", "-m", "512", "--no-pci",
                            f"--file-prefix={prefix}", "--vdev",
                            f"net_pcap0,rx_pcap={d}/in0.pcap,tx_pcap={d}/out0.pcap", "--",
                            *args], capture_output=True, timeout=60)
        err = p.stderr.decode()
        check(p.returncode == 2, f"{args}: exit {p.returncode}, want 2")
        check(msg in err, f"{args}: message lacks '{msg}': {err[-1500:]}")
        shutil.rmtree(f"/var/run/dpdk/{prefix}", ignore_errors=True)
    shutil.rmtree(d, ignore_errors=True)


def main(mod, label):
    """Run the case sys.argv[2] of module mod with sipedge sys.argv[1]; exit 1 on a failure."""
    global SIPEDGE
    if len(sys.argv) != 3 or not hasattr(mod, "case_" + sys.argv[2]):
        cases = [n[5:] for n in dir(mod) if n.startswith("case_")]
        print(f"usage: {sys.argv[0]} SIPEDGE CASE   (CASE: {' '.join(cases)})", file=sys.stderr)
        sys.exit(2)
    SIPEDGE = sys.argv[1]
    getattr(mod, "case_" + sys.argv[2])()
    if failures:
        print(f"{label} {sys.argv[2]}: {len(failures)} failure(s)")
        for f in failures:
            print("-", f)
        sys.exit(1)
    print(f"{label} {sys.argv[2]}: ok")


if __name__ == "__main__":
    main(sys.modules[__name__], "golden")
