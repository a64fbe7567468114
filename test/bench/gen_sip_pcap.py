#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write a pcap of distinct, realistic SIP-over-UDP datagrams for replay benchmarks.

usage: gen_sip_pcap.py [--count N] [--seed S] [--dst-mac MAC] [--dst IP]
                      [--flood-share F] [--flood-sources N] --out FILE

Calls from many clients (source addresses spread over the benchmarking range
198.18.0.0/15, RFC 2544, with varied source ports so RSS and flow hashes
vary) towards the edge's external address: INVITE with SDP, ACK, BYE,
REGISTER, OPTIONS, and the responses a client sends (180/200 to an
INVITE the edge forwarded from a backend, so its top Via is the edge's). Every datagram differs (Call-ID, branch,
tags, CSeq); sizes fall between about 300 and 900 bytes. Checksums are
correct, so the edge's UDP validation passes. Deterministic for a seed.

--flood-share F (0..1) makes that share of the datagrams a REGISTER flood
from --flood-sources addresses (100.64.0.1 and up, RFC 6598 space, apart
from the clients), spread evenly through the capture: the guard benchmark's
"90% from banned sources" traffic.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden"))
sys.dont_write_bytecode = True
from pcaplib import ETH_P_IP, ether, udp_datagram, write_pcap  # noqa: E402

USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
         "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor"]
AGENTS = ["Linphone/5.2.0 (belle-sip/5.2.0)", "Zoiper rv2.10.19.3", "Grandstream GXP2170 1.0.11.23",
          "Yealink SIP-T46S 66.86.0.15", "PolycomVVX-VVX_411-UA/6.4.3.5018", "Asterisk PBX 20.5.0"]


def rnd_token(r, n):
    return "".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def sdp(r, ip):
    port = r.randrange(10000, 60000, 2)
    sess = r.randrange(10**9, 10**10)
    lines = [
        "v=0", f"o=- {sess} {sess} IN IP4 {ip}", "s=call", f"c=IN IP4 {ip}", "t=0 0",
        f"m=audio {port} RTP/AVP 0 8 9 101", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:9 G722/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16",
        "a=ptime:20", "a=sendrecv",
    ]
    return "\r\n".join(lines) + "\r\n"


def message(r, kind, c):
    ip, port, edge = c["ip"], c["port"], c["edge"]
    via = f"Via: SIP/2.0/UDP {ip}:{port};branch=z9hG4bK{rnd_token(r, 16)};rport"
    frm = f"From: \"{c['user'].title()}\" <sip:{c['user']}@example.com>;tag={c['ftag']}"
    to = f"To: <sip:{c['peer']}@example.com>"
    cid = f"Call-ID: {c['cid']}"
    contact = f"Contact: <sip:{c['user']}@{ip}:{port};transport=udp>"
    ua = f"User-Agent: {c['ua']}"
    body = ""
    if kind == "INVITE":
        c["cseq"] += 1
        body = sdp(r, ip)
        hdrs = [f"INVITE sip:{c['peer']}@example.com SIP/2.0", via, "Max-Forwards: 70", frm, to,
                cid, f"CSeq: {c['cseq']} INVITE", contact,
                "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE", "Supported: replaces, timer",
                ua, "Content-Type: application/sdp"]
    elif kind in ("ACK", "BYE"):
        if kind == "BYE":
            c["cseq"] += 1
        hdrs = [f"{kind} sip:{c['peer']}@{edge}:5060 SIP/2.0", via, "Max-Forwards: 70", frm,
                to + f";tag={c['ttag']}", cid, f"CSeq: {c['cseq']} {kind}",
                f"Route: <sip:{edge};lr>", ua]
    elif kind == "REGISTER":
        hdrs = [f"REGISTER sip:example.com SIP/2.0", via, "Max-Forwards: 70", frm,
                f"To: <sip:{c['user']}@example.com>", cid, f"CSeq: {r.randrange(1, 9999)} REGISTER",
                contact + ";expires=3600", "Expires: 3600", ua,
                "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE"]
    elif kind == "FLOOD":
        hdrs = [f"REGISTER sip:{edge} SIP/2.0", via, "Max-Forwards: 70",
                f"From: <sip:{c['user']}@{edge}>;tag={c['ftag']}",
                f"To: <sip:{c['user']}@{edge}>", cid, f"CSeq: {r.randrange(1, 9999)} REGISTER",
                contact, "Expires: 3600", "User-Agent: flood/1.0"]
    elif kind == "OPTIONS":
        hdrs = [f"OPTIONS sip:{c['peer']}@example.com SIP/2.0", via, "Max-Forwards: 70", frm,
                f"To: <sip:{c['peer']}@example.com>", cid, f"CSeq: {r.randrange(1, 9999)} OPTIONS",
                "Accept: application/sdp", ua]
    else:   # a response the client sends: 180/200 to an INVITE from the far end
        code, reason = kind
        # the edge's own Via on top (it forwarded the INVITE): the proxy path forwards it
        rvia = (f"Via: SIP/2.0/UDP {edge}:5060;branch=z9hG4bKsE{r.getrandbits(64):016x}\r\n"
                f"Via: SIP/2.0/UDP 198.51.100.11:5060;branch=z9hG4bK{rnd_token(r, 12)};"
                f"received=198.51.100.11;rport=5060")
        hdrs = [f"SIP/2.0 {code} {reason}", rvia, frm, to + f";tag={c['ttag']}", cid,
                f"CSeq: {c['cseq'] + 1} INVITE", contact, ua]
        if code == 200:
            body = sdp(r, ip)
            hdrs.append("Content-Type: application/sdp")
    hdrs.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(hdrs) + "\r\n\r\n" + body).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=12000)
    ap.add_argument("--seed", type=int, default=5060)
    ap.add_argument("--dst-mac", default="02:70:63:61:70:00")   # net_pcap0
    ap.add_argument("--src-mac", default="02:00:00:00:00:fe")   # the clients' router
    ap.add_argument("--dst", default="203.0.113.1")
    ap.add_argument("--flood-share", type=float, default=0.0)
    ap.add_argument("--flood-sources", type=int, default=16)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    r = random.Random(a.seed)
    kinds = ["INVITE", "ACK", "BYE", "REGISTER", "OPTIONS", (180, "Ringing"), (200, "OK")]
    weights = [3, 2, 2, 2, 1, 1, 1]
    frames, sizes = [], []
    while len(frames) < a.count:
        c = {
            "ip": f"198.{18 + r.randrange(2)}.{r.randrange(256)}.{r.randrange(1, 255)}",
            "port": r.randrange(1024, 65535), "edge": a.dst,
            "user": r.choice(USERS) + str(r.randrange(100, 999)),
            "peer": r.choice(USERS) + str(r.randrange(100, 999)),
            "ftag": rnd_token(r, 10), "ttag": rnd_token(r, 10),
            "cid": f"{rnd_token(r, 24)}@{rnd_token(r, 6)}.example.com",
            "cseq": r.randrange(1, 5000), "ua": r.choice(AGENTS),
        }
        for _ in range(r.randrange(1, 4)):
            msg = message(r, r.choices(kinds, weights)[0], c)
            ipudp = udp_datagram(c["ip"], a.dst, c["port"], 5060, msg, ident=r.randrange(65536))
            frames.append(ether(a.dst_mac, a.src_mac, ETH_P_IP, ipudp))
            sizes.append(len(msg))
    frames = frames[:a.count]
    sizes = sizes[:a.count]
    n_flood = int(round(a.count * a.flood_share))
    if n_flood > 0:
        # slot i is a flood datagram whenever the floods so far fall behind their share
        merged, msizes, legit, fi = [], [], 0, 0
        for i in range(a.count):
            if (i + 1) * n_flood // a.count > fi:
                src = fi % a.flood_sources
                c = {"ip": f"100.64.{src // 250}.{1 + src % 250}", "port": 5060 + src,
                     "edge": a.dst, "user": f"flood{fi}", "peer": "-", "ftag": rnd_token(r, 10),
                     "ttag": "-", "ua": "flood/1.0", "cid": f"{rnd_token(r, 24)}@flood.example.com"}
                msg = message(r, "FLOOD", c)
                ipudp = udp_datagram(c["ip"], a.dst, c["port"], 5060, msg,
                                     ident=r.randrange(65536))
                merged.append(ether(a.dst_mac, a.src_mac, ETH_P_IP, ipudp))
                msizes.append(len(msg))
                fi += 1
            else:
                merged.append(frames[legit])
                msizes.append(sizes[legit])
                legit += 1
        frames, sizes = merged, msizes
    write_pcap(a.out, frames)
    distinct = len(set(frames))
    print(f"{a.out}: {len(frames)} datagrams ({distinct} distinct), payload "
          f"{min(sizes)}..{max(sizes)} bytes, mean {sum(sizes) // len(sizes)}", file=sys.stderr)


if __name__ == "__main__":
    main()
