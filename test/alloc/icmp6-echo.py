"""One ICMPv6 echo (RFC 4443 section 4.1/4.2) from a source address, for kernel tests on machines without ping(8).

usage: icmp6-echo.py SOURCE DESTINATION TIMEOUT_SECONDS  -> exit 0 when answered, 1 otherwise.
Run inside a network namespace (ip netns exec NS python3 icmp6-echo.py ...). Needs CAP_NET_RAW.
"""
import os
import select
import socket
import struct
import sys
import time

source, destination, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
want = socket.inet_pton(socket.AF_INET6, destination)
sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
sock.bind((source, 0))
ident = os.getpid() & 0xFFFF
# type 128 echo request, code 0, checksum 0 (the kernel fills it in for ICMPv6 raw sockets), identifier, sequence 1
sock.sendto(struct.pack("!BBHHH", 128, 0, 0, ident, 1) + b"fibwire-alloc", (destination, 0))
deadline = time.monotonic() + timeout
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        sys.exit(1)
    ready, _, _ = select.select([sock], [], [], left)
    if not ready:
        sys.exit(1)
    data, address = sock.recvfrom(2048)
    # type 129 echo reply with our identifier, from the destination
    if len(data) >= 8 and data[0] == 129 and struct.unpack("!H", data[4:6])[0] == ident and socket.inet_pton(socket.AF_INET6, address[0].split("%")[0]) == want:
        sys.exit(0)
