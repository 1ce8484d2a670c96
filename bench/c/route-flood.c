/*
 * The kernel's own limit for bulk route programming, measured the way the
 * issue measured it: a minimal C rtnetlink client with no library at all.
 * bench/netlink-routes.ts compiles it (cc -O2) and runs it on the same route
 * set in the same namespace, so fibwire's rate is compared with the kernel's
 * limit on the same machine in the same run.
 *
 *   route-flood NETNS OP FAMILY COUNT TABLE MODE ARG [OIF] [BATCH_BYTES]
 *     OP      add | replace | delete
 *     FAMILY  4 (i -> 16+(i>>24&63).(i>>16&255).(i>>8&255).(i&255)/32)
 *             6 (i -> 2001:db8:(i>>16):(i&0xffff)::/64)
 *     MODE    gw (ARG: gateway address, OIF: its ifindex) | nhid (ARG: id)
 *     deletes go in a shuffled order (ascending deletes hit a fib_trie slow path)
 *
 * Requests go without NLM_F_ACK (errors still come back), packed into
 * BATCH_BYTES per sendmsg (default 262144); rtnetlink does the work inside
 * sendmsg, so when it returns the batch is done. Prints one JSON object:
 * {"routes":N,"seconds":S,"errors":E}.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef RTA_NH_ID
#define RTA_NH_ID 30
#endif

static unsigned char *buf;
static size_t used;

static void attr(uint16_t type, const void *data, uint16_t len) {
  struct rtattr *a = (struct rtattr *)(buf + used);
  a->rta_type = type;
  a->rta_len = RTA_LENGTH(len);
  memcpy(RTA_DATA(a), data, len);
  used += RTA_ALIGN(a->rta_len);
}

static void die(const char *what) {
  fprintf(stderr, "route-flood: %s: %s\n", what, strerror(errno));
  exit(2);
}

static long drain_errors(int fd) {
  static unsigned char rx[1 << 16];
  long errors = 0;
  for (;;) {
    ssize_t n = recv(fd, rx, sizeof(rx), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return errors;
      die("recv");
    }
    for (struct nlmsghdr *h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_ERROR && ((struct nlmsgerr *)NLMSG_DATA(h))->error != 0) errors++;
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 8) {
    fprintf(stderr, "usage: route-flood NETNS OP FAMILY COUNT TABLE MODE ARG [OIF] [BATCH_BYTES]\n");
    return 2;
  }
  const char *op = argv[2];
  int family = atoi(argv[3]) == 6 ? AF_INET6 : AF_INET;
  long count = atol(argv[4]);
  uint32_t table = (uint32_t)strtoul(argv[5], NULL, 10);
  int by_nhid = strcmp(argv[6], "nhid") == 0;
  const char *arg = argv[7];
  int oif = argc > 8 ? atoi(argv[8]) : 0;
  size_t batch = argc > 9 ? (size_t)atol(argv[9]) : 262144;
  int del = strcmp(op, "delete") == 0;
  uint16_t flags = NLM_F_REQUEST | (del ? 0 : NLM_F_CREATE | (strcmp(op, "add") == 0 ? NLM_F_EXCL : NLM_F_REPLACE));

  char path[512];
  snprintf(path, sizeof(path), "/var/run/netns/%s", argv[1]);
  int nsfd = open(path, O_RDONLY | O_CLOEXEC);
  if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) != 0) die("setns");
  close(nsfd);
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) die("socket");
  int size = 64 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  if (bind(fd, (struct sockaddr *)&local, sizeof(local)) != 0) die("bind");

  unsigned char gw[16];
  uint32_t nhid = 0;
  if (by_nhid) nhid = (uint32_t)strtoul(arg, NULL, 10);
  else if (inet_pton(family, arg, gw) != 1) die("gateway");

  long *order = malloc(sizeof(long) * (size_t)count);
  for (long i = 0; i < count; i++) order[i] = i;
  if (del) {
    uint32_t s = 0x9e3779b9u;
    for (long i = count - 1; i > 0; i--) {
      s = s * 1664525u + 1013904223u;
      long j = (long)(s % (uint32_t)(i + 1));
      long t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  buf = malloc(batch + 4096);
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  struct timespec t0, t1;
  struct rusage r0, r1;
  getrusage(RUSAGE_SELF, &r0);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  long errors = 0;
  uint32_t seq = 1;
  for (long k = 0; k < count;) {
    used = 0;
    while (k < count && used < batch) {
      long i = order[k++];
      struct nlmsghdr *h = (struct nlmsghdr *)(buf + used);
      size_t start = used;
      h->nlmsg_type = del ? RTM_DELROUTE : RTM_NEWROUTE;
      h->nlmsg_flags = flags;
      h->nlmsg_seq = seq++;
      h->nlmsg_pid = 0;
      used += NLMSG_HDRLEN;
      struct rtmsg *rt = (struct rtmsg *)(buf + used);
      memset(rt, 0, sizeof(*rt));
      rt->rtm_family = (unsigned char)family;
      rt->rtm_dst_len = family == AF_INET ? 32 : 64;
      rt->rtm_table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC;
      rt->rtm_protocol = RTPROT_BGP;
      rt->rtm_scope = del ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
      rt->rtm_type = del ? RTN_UNSPEC : RTN_UNICAST;
      used += NLMSG_ALIGN(sizeof(*rt));
      if (family == AF_INET) {
        unsigned char dst[4] = {(unsigned char)(16 + ((i >> 24) & 63)), (unsigned char)((i >> 16) & 255),
                                (unsigned char)((i >> 8) & 255), (unsigned char)(i & 255)};
        attr(RTA_DST, dst, 4);
      } else {
        unsigned char dst[16] = {0x20, 0x01, 0x0d, 0xb8, (unsigned char)((i >> 24) & 255), (unsigned char)((i >> 16) & 255),
                                 (unsigned char)((i >> 8) & 255), (unsigned char)(i & 255)};
        attr(RTA_DST, dst, 16);
      }
      attr(RTA_TABLE, &table, 4);
      if (!del) {
        if (by_nhid) attr(RTA_NH_ID, &nhid, 4);
        else {
          attr(RTA_GATEWAY, gw, family == AF_INET ? 4 : 16);
          attr(RTA_OIF, &oif, 4);
        }
      }
      h->nlmsg_len = (uint32_t)(used - start);
    }
    struct iovec iov = {buf, used};
    struct msghdr msg = {.msg_name = &kernel, .msg_namelen = sizeof(kernel), .msg_iov = &iov, .msg_iovlen = 1};
    while (sendmsg(fd, &msg, 0) < 0) {
      if (errno != EINTR) die("sendmsg");
    }
    errors += drain_errors(fd);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  getrusage(RUSAGE_SELF, &r1);
  errors += drain_errors(fd);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  /* User and system CPU of the timed part: this client does almost nothing in user
     space, so its user time is the accounting's floor for "user CPU per route" here. */
  double user = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) + (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6;
  double sys = (double)(r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) + (double)(r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
  printf("{\"routes\":%ld,\"seconds\":%.6f,\"userSeconds\":%.6f,\"systemSeconds\":%.6f,\"errors\":%ld}\n", count, seconds, user, sys, errors);
  close(fd);
  free(order);
  free(buf);
  return 0;
}
