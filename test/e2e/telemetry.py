#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""One DPDK telemetry command: telemetry.py FILE_PREFIX COMMAND  (prints the JSON answer)."""
import json
import socket
import sys

path = f"/var/run/dpdk/{sys.argv[1]}/dpdk_telemetry.v2"
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(5)
s.connect(path)
json.loads(s.recv(16384).decode())   # the greeting: version, pid, max_output_len
s.send(sys.argv[2].encode())
print(json.dumps(json.loads(s.recv(1 << 20).decode())))
