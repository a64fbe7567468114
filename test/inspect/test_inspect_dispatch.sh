#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sipedge-inspect --backend / --backends-file / --set: every object names the
# backend a new call would go to (or null and why), consistently with the
# configuration: any input order, file or arguments, weights, states,
# priorities, To-URI pinning, source-address keys; bad options exit 2.
# usage: test_inspect_dispatch.sh INSPECT CORPUS_DIR
set -euo pipefail
inspect=$1
corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# Messages made here: INVITEs with distinct Call-IDs, REGISTERs of one AOR
# written as different devices would, REGISTERs of many users, and a capture
# with two source addresses.
python3 - "$work" <<'PY'
import struct, sys
work = sys.argv[1]
def msg(method, ruri, to, call_id, n):
    return ('%s %s SIP/2.0\r\n'
            'Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK%d\r\n'
            'Max-Forwards: 70\r\n'
            'From: <sip:caller@example.com>;tag=f%d\r\n'
            'To: %s\r\n'
            'Call-ID: %s\r\n'
            'CSeq: 1 %s\r\n'
            'Content-Length: 0\r\n\r\n' % (method, ruri, n, n, to, call_id, method)).encode()
for i in range(200):
    open('%s/inv%03d.dat' % (work, i), 'wb').write(
        msg('INVITE', 'sip:bob@example.com', '<sip:bob@example.com>',
            '%08x-%d@pc.example.com' % (i * 2654435761 % 2**32, i), i))
aor = ['<sip:alice@example.com>', '<sip:alice@EXAMPLE.COM>', 'sip:alice@example.com:5060',
       '"Alice" <sip:alice@example.com;transport=udp>', '<sips:alice@Example.Com>']
for i in range(50):
    open('%s/reg%02d.dat' % (work, i), 'wb').write(
        msg('REGISTER', 'sip:example.com', aor[i % len(aor)], 'reg-%d-%d@dev' % (i, i * 7), i))
for i in range(50):
    open('%s/user%02d.dat' % (work, i), 'wb').write(
        msg('REGISTER', 'sip:example.com', '<sip:user%d@example.com>' % i, 'u%d@dev' % i, i))
def ip_udp(payload, src):
    udp = struct.pack('!HHHH', 5060, 5060, 8 + len(payload), 0) + payload
    return struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                       bytes(src), bytes([192, 0, 2, 2])) + udp
eth = b'\x02' * 6 + b'\x04' * 6 + b'\x08\x00'
with open(work + '/src.pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(20):
        fr = eth + ip_udp(msg('INVITE', 'sip:b@x', '<sip:b@x>', 'c%d@h' % i, i),
                          [198, 51, 100, 1 + i % 2])
        f.write(struct.pack('<IIII', i, 0, len(fr), len(fr)) + fr)
PY
printf '%s\n' '# the same three backends as the arguments below, as a file' \
	'1 sip:10.0.0.2:5060 0 0 weight=2' '1 sip:[2001:db8::1]:5070' \
	'1 sip:10.0.0.1:5060 0 0 duid=a' >"$work/three.list"

B1=10.0.0.1:5060 B2=10.0.0.2:5060,weight=2 B3='[2001:db8::1]:5070'
"$inspect" --backend "$B1" --backend "$B2" --backend "$B3" "$corpus"/*.dat "$work"/inv*.dat \
	>"$work/a.jsonl" || fail "exit status $?"
"$inspect" --backend "$B3" --backend "$B1" --backend "$B2" "$corpus"/*.dat "$work"/inv*.dat \
	>"$work/b.jsonl" || fail "exit status $?"
"$inspect" --backends-file "$work/three.list" "$corpus"/*.dat "$work"/inv*.dat \
	>"$work/file.jsonl" || fail "exit status $?"
"$inspect" --backend "$B1" --backend 10.0.0.2:5060,weight=0 --backend "$B3,state=draining" \
	--backend 10.0.0.4,state=down --backend 10.0.0.5,prio=1 "$work"/inv*.dat \
	>"$work/states.jsonl" || fail "exit status $?"
"$inspect" --backend 10.0.0.1,prio=0,state=down --backend 10.0.0.2,prio=0,state=disabled \
	--backend 10.0.0.3,prio=1 --backend 10.0.0.4,prio=1 "$work"/inv*.dat \
	>"$work/failover.jsonl" || fail "exit status $?"
"$inspect" --backend 10.0.0.1,state=down --set 7 --dispatch-set 1 "$work/inv000.dat" \
	>"$work/down.jsonl" || fail "exit status $?"
"$inspect" --backend 10.0.0.1 --set 7 --dispatch-set 7 "$work/inv000.dat" \
	>"$work/empty.jsonl" || fail "exit status $?"
for key in to-uri call-id; do
	"$inspect" --backend "$B1" --backend "$B2" --backend "$B3" --backend 10.0.0.9 \
		--set "1,key=$key" "$work"/reg*.dat "$work"/user*.dat >"$work/$key.jsonl" ||
		fail "exit status $?"
done
"$inspect" --backend "$B1" --backend "$B2" --backend "$B3" --set 1,key=src-addr \
	--pcap "$work/src.pcap" "$work/inv000.dat" >"$work/src.jsonl" || fail "exit status $?"

# Bad dispatch options are bad usage: exit 2 and the library's reason.
expect_usage() {
	local want=$1; shift
	set +e
	"$inspect" "$@" "$work/inv000.dat" >/dev/null 2>"$work/err"
	local rc=$?
	set -e
	[ $rc -eq 2 ] || fail "exit $rc, want 2, for: $*"
	grep -qF -- "$want" "$work/err" || fail "stderr '$(cat "$work/err")' lacks '$want'"
}
expect_usage "--backend 10.0.0.1:0: port must be 1..65535" --backend 10.0.0.1:0
expect_usage "host names are not resolved" --backend sip.example.com:5060
expect_usage "--set 1,key=md5: key must be" --backend 10.0.0.1 --set 1,key=md5
printf '1 sip:10.0.0.1\n1 sip:10.0.0.1 0 0 weight=x\n' >"$work/bad.list"
expect_usage "$work/bad.list:2: attribute 'weight=x'" --backends-file "$work/bad.list"
expect_usage "--dispatch-set 5: no such set" --backend 10.0.0.1 --dispatch-set 5
expect_usage "--dispatch-set x: set id must be" --backend 10.0.0.1 --dispatch-set x
expect_usage "set 1: table size 101 is below" --backend 10.0.0.1 --backend 10.0.0.2 \
	--set 1,size=101
set +e
"$inspect" "$work/inv000.dat" --backend >/dev/null 2>&1
[ $? -eq 2 ] || fail "--backend without a value must exit 2"
set -e

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def load(name):
    return [json.loads(line) for line in open('%s/%s.jsonl' % (work, name), encoding='utf-8')]
def by_file(objs):
    return {o['file'].rsplit('/', 1)[-1] + ':%s' % o.get('index'): o for o in objs}
base = ['file', 'valid', 'error', 'kind', 'method', 'status', 'ruri', 'call_id', 'cseq',
        'cseq_method', 'branch', 'vias', 'from_tag', 'to_tag', 'max_forwards',
        'content_length', 'body_len']
extra = ['dispatch_set', 'dispatch_key', 'backend', 'backend_reason']
three = {'10.0.0.1:5060', '10.0.0.2:5060', '[2001:db8::1]:5070'}

a, b, f = load('a'), load('b'), load('file')
assert len(a) == 250, len(a)
for o in a:
    assert list(o.keys()) == base + extra, list(o.keys())
    assert o['dispatch_set'] == 1
    if not o['valid']:
        assert (o['backend'], o['backend_reason'], o['dispatch_key']) == \
            (None, 'invalid_message', None), o
    elif o['kind'] == 'response':
        assert (o['backend'], o['backend_reason']) == (None, 'response'), o
    else:
        assert o['backend'] in three and o['backend_reason'] is None, o
        assert o['dispatch_key'] == 'call-id', o
requests = [o for o in a if o['valid'] and o['kind'] == 'request']
assert len(requests) >= 220, len(requests)
# Any order of the arguments, or the same backends from a file: the same choice.
assert [o['backend'] for o in a] == [o['backend'] for o in b]
assert [o['backend'] for o in a] == [o['backend'] for o in f]
# Every backend gets calls; weight 2 gets more than either weight 1.
inv = [o['backend'] for o in a if o['file'].rsplit('/', 1)[-1].startswith('inv')]
counts = {x: inv.count(x) for x in three}
assert min(counts.values()) > 0, counts
assert counts['10.0.0.2:5060'] > max(counts['10.0.0.1:5060'], counts['[2001:db8::1]:5070']), counts
# Backends that are not up with a weight take no new calls; prio 1 waits.
s = {o['backend'] for o in load('states')}
assert s == {'10.0.0.1:5060'}, s
fo = [o['backend'] for o in load('failover')]
assert set(fo) == {'10.0.0.3:5060', '10.0.0.4:5060'}, set(fo)
d = load('down')[0]
assert (d['backend'], d['backend_reason']) == (None, 'no_up_backend'), d
e = load('empty')[0]
assert (e['dispatch_set'], e['backend'], e['backend_reason']) == (7, None, 'empty_set'), e
# To-URI pinning: one AOR, however written, always the same registrar.
t = load('to-uri')
reg = [o for o in t if o['file'].rsplit('/', 1)[-1].startswith('reg')]
assert len(reg) == 50 and all(o['valid'] and o['dispatch_key'] == 'to-uri' for o in reg)
assert len({o['backend'] for o in reg}) == 1, {o['backend'] for o in reg}
users = {o['backend'] for o in t if o['file'].rsplit('/', 1)[-1].startswith('user')}
assert len(users) >= 3, users
c = load('call-id')
assert len({o['backend'] for o in c if o['file'].rsplit('/', 1)[-1].startswith('reg')}) >= 3
# Source address: the same source, the same backend; a plain file has none.
src = load('src')
cap = [o for o in src if o.get('index') is not None]
assert len(cap) == 20
for o in cap:
    assert o['dispatch_key'] == 'src-addr' and o['backend'] in three, o
assert len({o['backend'] for o in cap[0::2]}) == 1 and len({o['backend'] for o in cap[1::2]}) == 1
plain = [o for o in src if o.get('index') is None][0]
assert (plain['backend'], plain['backend_reason']) == (None, 'no_source_address'), plain
print('inspect dispatch: all checks passed')
PY
