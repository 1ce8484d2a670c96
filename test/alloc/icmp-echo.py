"""One ICMP echo from a source address, for kernel tests on machines without ping(8).

IPv6: ICMPv6 echo (RFC 4443 section 4.1/4.2); IPv4: ICMP echo (RFC 792).
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
v6 = ":" in destination
family = socket.AF_INET6 if v6 else socket.AF_INET
want = socket.inet_pton(family, destination)
sock = socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
sock.bind((source, 0))
ident = os.getpid() & 0xFFFF
request_type, reply_type = (128, 129) if v6 else (8, 0)


def checksum(data):
    # RFC 1071 one's complement sum; the kernel computes it for ICMPv6 raw sockets itself.
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


payload = b"fibwire-alloc"
packet = struct.pack("!BBHHH", request_type, 0, 0, ident, 1) + payload
if not v6:
    packet = struct.pack("!BBHHH", request_type, 0, checksum(packet), ident, 1) + payload
sock.sendto(packet, (destination, 0))
deadline = time.monotonic() + timeout
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        sys.exit(1)
    ready, _, _ = select.select([sock], [], [], left)
    if not ready:
        sys.exit(1)
    data, address = sock.recvfrom(2048)
    if not v6:
        data = data[(data[0] & 0x0F) * 4 :]  # IPv4 raw sockets deliver the IP header too
    if (
        len(data) >= 8
        and data[0] == reply_type
        and struct.unpack("!H", data[4:6])[0] == ident
        and socket.inet_pton(family, address[0].split("%")[0]) == want
    ):
        sys.exit(0)
