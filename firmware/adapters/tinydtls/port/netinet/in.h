/* Bare-metal stand-in for <netinet/in.h>: see sys/socket.h. */
#ifndef CERTCOST_PORT_NETINET_IN_H
#define CERTCOST_PORT_NETINET_IN_H
#include <sys/socket.h>
struct in_addr {
  uint32_t s_addr;
};
struct in6_addr {
  uint8_t s6_addr[16];
};
struct sockaddr_in {
  sa_family_t sin_family;
  uint16_t sin_port;
  struct in_addr sin_addr;
  uint8_t sin_zero[8];
};
struct sockaddr_in6 {
  sa_family_t sin6_family;
  uint16_t sin6_port;
  uint32_t sin6_flowinfo;
  struct in6_addr sin6_addr;
  uint32_t sin6_scope_id;
};
#endif
