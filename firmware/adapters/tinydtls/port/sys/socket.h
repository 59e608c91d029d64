/* Bare-metal stand-in for <sys/socket.h>, used only by tinydtls'
 * session_t (its POSIX build): the device has no sockets, the harness
 * relays datagrams, so an address is only a key tinydtls compares. */
#ifndef CERTCOST_PORT_SYS_SOCKET_H
#define CERTCOST_PORT_SYS_SOCKET_H
#include <stdint.h>
typedef uint32_t socklen_t;
typedef uint16_t sa_family_t;
#define AF_INET 2
#define AF_INET6 10
struct sockaddr {
  sa_family_t sa_family;
  char sa_data[14];
};
struct sockaddr_storage {
  sa_family_t ss_family;
  char ss_data[26];
};
#endif
