# SPDX-License-Identifier: BSD-3-Clause
"""Tiny pcap reader/writer and packet builders for the golden tests.

Classic pcap (microsecond timestamps, LINKTYPE_ETHERNET), Ethernet, ARP,
IPv4 (with fragmentation), UDP and ICMP echo, with checksums computed here
(RFC 1071), independently of the C code under test. No scapy.
"""

import struct

LINKTYPE_ETHERNET = 1
ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
ETH_P_IPV6 = 0x86DD
BROADCAST = "ff:ff:ff:ff:ff:ff"


# ---- pcap files ----

def write_pcap(path, frames, snaplen=65535):
    """Write frames (bytes) to a pcap file, one microsecond apart."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen,
                            LINKTYPE_ETHERNET))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1_700_000_000, i, len(fr), len(fr)))
            f.write(fr)


def read_pcap(path):
    """Return the frames of a pcap file (either byte order, usec or nsec)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        end = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        end = ">"
    else:
        raise ValueError(f"{path}: not a pcap file")
    off, frames = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        frames.append(data[off:off + incl])
        off += incl
    return frames


# ---- addresses ----

def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip4(s):
    return bytes(int(x) for x in s.split("."))


# ---- checksums ----

def cksum(data):
    """Internet checksum (RFC 1071) of data, as the 16-bit value to store."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


# ---- builders ----

def ether(dst, src, etype, payload):
    return mac(dst) + mac(src) + struct.pack("!H", etype) + payload


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, ETH_P_IP, 6, 4, op) + \
        mac(sha) + ip4(spa) + mac(tha) + ip4(tpa)


def ipv4(src, dst, proto, payload, ttl=64, ident=0, flags=0, frag_off=0,
         options=b"", tos=0, total_len=None, csum=None, version=4, ihl=None):
    """An IPv4 header + payload; frag_off in 8-byte units, flags: 2=DF 1=MF."""
    if ihl is None:
        ihl = 5 + len(options) // 4
    tl = 20 + len(options) + len(payload) if total_len is None else total_len
    hdr = struct.pack("!BBHHHBBH4s4s", version << 4 | ihl, tos, tl, ident,
                      flags << 13 | frag_off, ttl, proto, 0, ip4(src), ip4(dst))
    hdr += options
    c = cksum(hdr) if csum is None else csum
    hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
    return hdr + payload


def udp(src_ip, dst_ip, sport, dport, payload, csum=None, length=None):
    """A UDP header + payload; csum=None computes it, csum=0 leaves it zero."""
    ln = 8 + len(payload) if length is None else length
    hdr = struct.pack("!HHHH", sport, dport, ln, 0)
    if csum is None:
        ph = ip4(src_ip) + ip4(dst_ip) + struct.pack("!BBH", 0, 17, 8 + len(payload))
        c = cksum(ph + hdr + payload)
        c = 0xFFFF if c == 0 else c
    else:
        c = csum
    return hdr[:6] + struct.pack("!H", c) + payload


def icmp_echo(ident, seq, data, reply=False, csum=None):
    t = 0 if reply else 8
    hdr = struct.pack("!BBHHH", t, 0, 0, ident, seq)
    c = cksum(hdr + data) if csum is None else csum
    return hdr[:2] + struct.pack("!H", c) + hdr[4:] + data


def icmp_error(t, code, quoted):
    hdr = struct.pack("!BBHI", t, code, 0, 0)
    c = cksum(hdr + quoted)
    return hdr[:2] + struct.pack("!H", c) + hdr[4:] + quoted


def udp_datagram(src, dst, sport, dport, payload, ttl=64, ident=0, **kw):
    """IPv4 + UDP, ready for ether()."""
    return ipv4(src, dst, 17, udp(src, dst, sport, dport, payload), ttl=ttl,
                ident=ident, **kw)


def fragment(ip_packet, mtu):
    """Split an IPv4 packet (no options) into fragments of at most mtu bytes."""
    hdr, payload = ip_packet[:20], ip_packet[20:]
    ident = struct.unpack("!H", hdr[4:6])[0]
    ttl, proto = hdr[8], hdr[9]
    src = ".".join(str(b) for b in hdr[12:16])
    dst = ".".join(str(b) for b in hdr[16:20])
    step = (mtu - 20) // 8 * 8
    out = []
    for off in range(0, len(payload), step):
        chunk = payload[off:off + step]
        more = off + step < len(payload)
        out.append(ipv4(src, dst, proto, chunk, ttl=ttl, ident=ident,
                        flags=1 if more else 0, frag_off=off // 8))
    return out


def hexdump(b, width=16):
    lines = []
    for i in range(0, len(b), width):
        chunk = b[i:i + width]
        lines.append(f"{i:04x}  " + " ".join(f"{x:02x}" for x in chunk))
    return "\n".join(lines)
