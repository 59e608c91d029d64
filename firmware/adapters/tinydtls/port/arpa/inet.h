/* Bare-metal stand-in for <arpa/inet.h>: see sys/socket.h. */
#ifndef CERTCOST_PORT_ARPA_INET_H
#define CERTCOST_PORT_ARPA_INET_H
#include <netinet/in.h>
#endif
