#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sipedge-inspect over the RFC 4475 corpus and over captures made here:
# every line is JSON, a few files give exact values, exit codes are right.
# usage: test_inspect.sh INSPECT CORPUS_DIR
set -euo pipefail
inspect=$1
corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

"$inspect" "$corpus"/*.dat >"$work/corpus.jsonl" || fail "exit status $? on the corpus"
"$inspect" --help | grep -q '^usage: sipedge-inspect' || fail "--help"
set +e
"$inspect" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no argument must exit 2"
"$inspect" --bogus x >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option must exit 2"
"$inspect" --pcap >/dev/null 2>&1; [ $? -eq 2 ] || fail "--pcap without file must exit 2"
"$inspect" "$work/missing.dat" >/dev/null 2>&1; [ $? -eq 1 ] || fail "missing file must exit 1"
"$inspect" --pcap "$corpus/wsinv.dat" >/dev/null 2>&1; [ $? -eq 1 ] || fail "non-pcap must exit 1"
set -e

# odd bytes in a Call-ID: invalid UTF-8 becomes \u00XX, valid UTF-8 passes
printf 'OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: a\xffb\xc3\xa9"\\\r\nCSeq: 1 OPTIONS\r\n\r\n' \
	>"$work/odd.dat"
"$inspect" "$work/odd.dat" >"$work/odd.jsonl"

# captures: Ethernet with a TCP frame and a fragment (both skipped), and Linux cooked
python3 - "$corpus" "$work" <<'PY'
import struct, sys
corpus, work = sys.argv[1], sys.argv[2]
def ip_udp(payload, proto=17, frag=0):
    udp = struct.pack('!HHHH', 5060, 5060, 8 + len(payload), 0) + payload
    if proto != 17:
        udp = b'\0' * 20 + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, frag, 64, proto, 0,
                     bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
    return ip + udp
def pcap(path, linktype, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', i, 0, len(fr), len(fr)) + fr)
ws = open(corpus + '/wsinv.dat', 'rb').read()
bc = open(corpus + '/bcast.dat', 'rb').read()
eth = b'\x02' * 6 + b'\x04' * 6 + b'\x08\x00'
vlan = b'\x02' * 6 + b'\x04' * 6 + b'\x81\x00\x00\x05\x08\x00'
pcap(work + '/eth.pcap', 1, [eth + ip_udp(ws), eth + ip_udp(b'x', proto=6),
                             eth + ip_udp(bc, frag=0x2000), vlan + ip_udp(bc)])
sll = b'\x00\x00\x00\x01\x00\x06' + b'\x02' * 6 + b'\x00\x00' + b'\x08\x00'
pcap(work + '/sll.pcap', 113, [sll + ip_udp(bc)])
PY
"$inspect" --pcap "$work/eth.pcap" --pcap "$work/sll.pcap" >"$work/pcap.jsonl"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def load(name):
    out = []
    for line in open(work + '/' + name, encoding='utf-8'):
        out.append(json.loads(line))
    return out
objs = {o['file'].rsplit('/', 1)[-1]: o for o in load('corpus.jsonl')}
assert len(objs) == 50, len(objs)
keys = ['file', 'valid', 'error', 'kind', 'method', 'status', 'ruri', 'call_id', 'cseq',
        'cseq_method', 'branch', 'vias', 'from_tag', 'to_tag', 'max_forwards',
        'content_length', 'body_len']
for o in objs.values():
    assert list(o.keys()) == keys, o.keys()
w = objs['wsinv.dat']
assert w['valid'] is True and w['error'] is None, w
assert w['call_id'] == 'wsinv.ndaksdj@192.0.2.1', w['call_id']
assert (w['cseq'], w['cseq_method'], w['branch']) == (9, 'INVITE', '390skdjuw'), w
assert [v['transport'] for v in w['vias']] == ['UDP', 'TCP', 'UDP'], w['vias']
assert (w['from_tag'], w['to_tag'], w['max_forwards'], w['body_len']) == \
    ('98asjd8', '1918181833n', 68, 150), w
i = objs['intmeth.dat']
assert i['call_id'] == 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{', i['call_id']
assert i['method'] == "!interesting-Method0123456789_*+`.%indeed'~", i['method']
b = objs['bcast.dat']
assert b['kind'] == 'response' and b['status'] == 200 and b['method'] is None, b
assert [v['host'] for v in b['vias']] == ['192.0.2.198', '255.255.255.255'], b['vias']
m = objs['mpart01.dat']
assert m['vias'][0]['rport'] == '' and m['vias'][0]['port'] == 5070, m['vias']
assert objs['mcl01.dat']['error'] == 'content_length_mismatch', objs['mcl01.dat']
assert objs['insuf.dat']['call_id'] is None and objs['insuf.dat']['error'] == 'no_call_id'
assert objs['badvers.dat']['kind'] == 'request' and objs['badvers.dat']['error'] == 'version'
assert objs['test.dat']['kind'] is None and objs['test.dat']['error'] == 'start_line'
assert len(objs['longreq.dat']['vias']) == 34
assert sum(1 for o in objs.values() if o['valid']) == 29
odd = load('odd.jsonl')[0]
assert odd['call_id'] == 'a\u00ffb\u00e9"\\', repr(odd['call_id'])
raw = open(work + '/odd.jsonl', 'rb').read()
assert b'a\\u00ffb\xc3\xa9\\"\\\\' in raw, raw
p = load('pcap.jsonl')
assert [(o['file'].rsplit('/', 1)[-1], o['index']) for o in p] == \
    [('eth.pcap', 1), ('eth.pcap', 4), ('sll.pcap', 1)], p
assert p[0]['call_id'] == 'wsinv.ndaksdj@192.0.2.1' and p[1]['kind'] == 'response'
assert p[2]['call_id'] == 'bcast.0384840201234ksdfak3j2erwedfsASdf', p[2]
print('inspect: all checks passed')
PY
