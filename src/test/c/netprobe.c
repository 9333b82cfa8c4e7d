/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper for VE networks, built static and run inside a VE or in a test's node namespace:
     netprobe send SRC DST PORT TEXT     one UDP datagram with any source address (raw socket, IPv4 or IPv6)
     netprobe listen PORT SECONDS        prints each UDP datagram's text received on PORT (IPv4 and IPv6)
     netprobe sniff SECONDS ADDR...      counts the IP packets seen on all links (packet socket) that are
                                          neither from nor to one of ADDR; prints "foreign=N seen=M"  */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static unsigned short
sum16 (const void *data, size_t len, unsigned long sum)
{
  const unsigned char *p = data;
  for (; len > 1; len -= 2, p += 2)
    sum += (p[0] << 8) | p[1];
  if (len)
    sum += p[0] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (unsigned short) sum;
}

static int
send_spoofed (const char *src, const char *dst, int port, const char *text)
{
  unsigned char packet[1500];
  size_t textlen = strlen (text), udplen = sizeof (struct udphdr) + textlen;
  struct udphdr *udp;
  int s;

  memset (packet, 0, sizeof (packet));
  if (strchr (dst, ':') == NULL)
    {
      struct iphdr *ip = (struct iphdr *) packet;
      struct sockaddr_in to = { .sin_family = AF_INET };
      unsigned char pseudo[12];
      ip->version = 4;
      ip->ihl = 5;
      ip->ttl = 64;
      ip->protocol = IPPROTO_UDP;
      ip->tot_len = htons (sizeof (*ip) + udplen);
      inet_pton (AF_INET, src, &ip->saddr);
      inet_pton (AF_INET, dst, &ip->daddr);
      udp = (struct udphdr *) (packet + sizeof (*ip));
      udp->source = htons (40000);
      udp->dest = htons (port);
      udp->len = htons (udplen);
      memcpy (packet + sizeof (*ip) + sizeof (*udp), text, textlen);
      memcpy (pseudo, &ip->saddr, 4);
      memcpy (pseudo + 4, &ip->daddr, 4);
      pseudo[8] = 0;
      pseudo[9] = IPPROTO_UDP;
      pseudo[10] = udplen >> 8;
      pseudo[11] = udplen & 0xff;
      udp->check = htons (~sum16 (udp, udplen, sum16 (pseudo, 12, 0)) & 0xffff);
      to.sin_addr.s_addr = ip->daddr;
      s = socket (AF_INET, SOCK_RAW, IPPROTO_RAW);
      if (s < 0 || sendto (s, packet, sizeof (*ip) + udplen, 0, (struct sockaddr *) &to, sizeof (to)) < 0)
        return perror ("send"), 1;
    }
  else
    {
      struct ip6_hdr *ip = (struct ip6_hdr *) packet;
      struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
      unsigned char pseudo[40];
      ip->ip6_flow = htonl (6u << 28);
      ip->ip6_plen = htons (udplen);
      ip->ip6_nxt = IPPROTO_UDP;
      ip->ip6_hlim = 64;
      inet_pton (AF_INET6, src, &ip->ip6_src);
      inet_pton (AF_INET6, dst, &ip->ip6_dst);
      udp = (struct udphdr *) (packet + sizeof (*ip));
      udp->source = htons (40000);
      udp->dest = htons (port);
      udp->len = htons (udplen);
      memcpy (packet + sizeof (*ip) + sizeof (*udp), text, textlen);
      memset (pseudo, 0, sizeof (pseudo));
      memcpy (pseudo, &ip->ip6_src, 16);
      memcpy (pseudo + 16, &ip->ip6_dst, 16);
      pseudo[34] = udplen >> 8;
      pseudo[35] = udplen & 0xff;
      pseudo[39] = IPPROTO_UDP;
      udp->check = htons (~sum16 (udp, udplen, sum16 (pseudo, 40, 0)) & 0xffff);
      to.sin6_addr = ip->ip6_dst;
      s = socket (AF_INET6, SOCK_RAW, IPPROTO_RAW);
      if (s < 0 || sendto (s, packet, sizeof (*ip) + udplen, 0, (struct sockaddr *) &to, sizeof (to)) < 0)
        return perror ("send"), 1;
    }
  return 0;
}

static int
listen_udp (int port, int seconds)
{
  struct sockaddr_in6 me = { .sin6_family = AF_INET6, .sin6_port = htons (port), .sin6_addr = IN6ADDR_ANY_INIT };
  int s = socket (AF_INET6, SOCK_DGRAM, 0), off = 0;
  time_t end = time (NULL) + seconds;
  char text[1500];

  setsockopt (s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof (off));
  if (s < 0 || bind (s, (struct sockaddr *) &me, sizeof (me)) < 0)
    return perror ("listen"), 1;
  printf ("listening\n");
  fflush (stdout);
  while (time (NULL) < end)
    {
      struct pollfd p = { .fd = s, .events = POLLIN };
      if (poll (&p, 1, 200) == 1)
        {
          ssize_t n = recv (s, text, sizeof (text) - 1, 0);
          if (n > 0)
            {
              text[n] = '\0';
              printf ("got %s\n", text);
              fflush (stdout);
            }
        }
    }
  return 0;
}

static int
is_own (int family, const void *addr, char **own, int n)
{
  unsigned char bin[16];
  int i;
  for (i = 0; i < n; i++)
    if (inet_pton (family, own[i], bin) == 1 && memcmp (bin, addr, family == AF_INET ? 4 : 16) == 0)
      return 1;
  return 0;
}

static int
sniff (int seconds, char **own, int n)
{
  int s = socket (AF_PACKET, SOCK_DGRAM, htons (ETH_P_ALL));
  time_t end = time (NULL) + seconds;
  long foreign = 0, seen = 0;
  unsigned char buf[2048];

  if (s < 0)
    return perror ("packet socket"), 1;
  while (time (NULL) < end)
    {
      struct pollfd p = { .fd = s, .events = POLLIN };
      struct sockaddr_ll from;
      socklen_t fromlen = sizeof (from);
      ssize_t len;
      if (poll (&p, 1, 200) != 1)
        continue;
      len = recvfrom (s, buf, sizeof (buf), 0, (struct sockaddr *) &from, &fromlen);
      if (len <= 0 || from.sll_ifindex == 1) /* loopback is the VE's own business */
        continue;
      if (ntohs (from.sll_protocol) == ETH_P_IP && len >= 20)
        {
          struct iphdr *ip = (struct iphdr *) buf;
          seen++;
          if (!is_own (AF_INET, &ip->saddr, own, n) && !is_own (AF_INET, &ip->daddr, own, n))
            foreign++;
        }
      else if (ntohs (from.sll_protocol) == ETH_P_IPV6 && len >= 40)
        {
          struct ip6_hdr *ip = (struct ip6_hdr *) buf;
          seen++;
          if (!IN6_IS_ADDR_LINKLOCAL (&ip->ip6_src) && !IN6_IS_ADDR_MULTICAST (&ip->ip6_dst)
              && !is_own (AF_INET6, &ip->ip6_src, own, n) && !is_own (AF_INET6, &ip->ip6_dst, own, n))
            foreign++;
        }
    }
  printf ("foreign=%ld seen=%ld\n", foreign, seen);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 6 && strcmp (argv[1], "send") == 0)
    return send_spoofed (argv[2], argv[3], atoi (argv[4]), argv[5]);
  if (argc == 4 && strcmp (argv[1], "listen") == 0)
    return listen_udp (atoi (argv[2]), atoi (argv[3]));
  if (argc >= 3 && strcmp (argv[1], "sniff") == 0)
    return sniff (atoi (argv[2]), argv + 3, argc - 3);
  fprintf (stderr, "usage: netprobe send SRC DST PORT TEXT | listen PORT SECONDS | sniff SECONDS ADDR...\n");
  return 2;
}
