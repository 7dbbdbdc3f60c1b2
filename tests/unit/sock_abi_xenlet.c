/*
 * sock_abi_xenlet.c - the figures of sock_abi_list.h against xenlet's
 * headers (include/posix over newlib's), as a guest program sees them.
 * Built with the guest's include path (see the Makefile), for the host.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sock_abi.h"

/* Every call the socket layer offers is declared, with POSIX's type. */
#define PROTO(f, t)                                                            \
	_Static_assert(__builtin_types_compatible_p(__typeof__(f), t), #f)
PROTO(socket, int(int, int, int));
PROTO(bind, int(int, const struct sockaddr *, socklen_t));
PROTO(listen, int(int, int));
PROTO(accept, int(int, struct sockaddr *, socklen_t *));
PROTO(accept4, int(int, struct sockaddr *, socklen_t *, int));
PROTO(connect, int(int, const struct sockaddr *, socklen_t));
PROTO(send, ssize_t(int, const void *, size_t, int));
PROTO(recv, ssize_t(int, void *, size_t, int));
PROTO(sendto, ssize_t(int, const void *, size_t, int, const struct sockaddr *,
		      socklen_t));
PROTO(recvfrom,
      ssize_t(int, void *, size_t, int, struct sockaddr *, socklen_t *));
PROTO(sendmsg, ssize_t(int, const struct msghdr *, int));
PROTO(recvmsg, ssize_t(int, struct msghdr *, int));
PROTO(readv, ssize_t(int, const struct iovec *, int));
PROTO(writev, ssize_t(int, const struct iovec *, int));
PROTO(close, int(int));
PROTO(shutdown, int(int, int));
PROTO(getsockname, int(int, struct sockaddr *, socklen_t *));
PROTO(getpeername, int(int, struct sockaddr *, socklen_t *));
PROTO(setsockopt, int(int, int, int, const void *, socklen_t));
PROTO(getsockopt, int(int, int, int, void *, socklen_t *));
PROTO(getaddrinfo, int(const char *, const char *, const struct addrinfo *,
		       struct addrinfo **));
PROTO(freeaddrinfo, void(struct addrinfo *));
PROTO(gai_strerror, const char *(int));
PROTO(getnameinfo, int(const struct sockaddr *, socklen_t, char *, socklen_t,
		       char *, socklen_t, int));
PROTO(inet_pton, int(int, const char *, void *));
PROTO(inet_ntop, const char *(int, const void *, char *, socklen_t));
PROTO(inet_addr, in_addr_t(const char *));
PROTO(inet_aton, int(const char *, struct in_addr *));
PROTO(inet_ntoa, char *(struct in_addr));
PROTO(gethostname, int(char *, size_t));
PROTO(ioctl, int(int, unsigned long, ...));

#define SOCK_ABI_FN sock_abi_xenlet
#include "sock_abi_body.h"
