/*
 * netdb.c - getaddrinfo(), freeaddrinfo() and gethostname(): names to
 * IPv4 addresses, by the IP stack's DNS client (xenlet/ipstack.h) for
 * names and by hand for dotted quads, "localhost" and a missing node.
 *
 * There is no /etc/services: a service is a port number, or one of the
 * few well-known names below.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xenlet/ipstack.h>
#include <xenlet/posix.h>
#include "../../net/ipconf.h"

#define LOOPBACK 0x7f000001u

static const struct {
	const char *name;
	unsigned short port;
} services[] = {
	{ "echo", 7 },	{ "discard", 9 }, { "chargen", 19 }, { "ftp", 21 },
	{ "ssh", 22 },	{ "telnet", 23 }, { "smtp", 25 },    { "domain", 53 },
	{ "http", 80 }, { "https", 443 },
};

/* The port of service (host byte order): 0 or an EAI_ error. */
static int service_port(const char *service, int numeric_only, int *port)
{
	char *end;
	unsigned long v;
	size_t i;

	*port = 0;
	if (service == NULL)
		return 0;
	v = strtoul(service, &end, 10);
	if (*service != '\0' && *end == '\0' && v <= 65535) {
		*port = (int)v;
		return 0;
	}
	if (numeric_only)
		return EAI_NONAME;
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strcmp(service, services[i].name) == 0) {
			*port = services[i].port;
			return 0;
		}
	return EAI_SERVICE;
}

/* The node's address (host byte order): 0 or an EAI_ error. */
static int node_addr(const char *node, int flags, uint32_t *addr)
{
	uint32_t a;
	int rc;

	if (node == NULL) {
		*addr = (flags & AI_PASSIVE) ? INADDR_ANY : LOOPBACK;
		return 0;
	}
	if (ipconf_parse_addr(node, addr) == 0)
		return 0;
	if (flags & AI_NUMERICHOST)
		return EAI_NONAME;
	if (strcmp(node, "localhost") == 0) {
		*addr = LOOPBACK;
		return 0;
	}
	rc = ipstack_start();
	if (rc == 0)
		rc = ipstack_resolve(node, &a);
	if (rc == -ENOENT)
		return EAI_NONAME;
	if (rc == -EAGAIN)
		return EAI_AGAIN;
	if (rc < 0) {
		errno = -rc;
		return EAI_SYSTEM;
	}
	*addr = ntohl(a);
	return 0;
}

/* One result: the addrinfo, its sockaddr_in and name in one block. */
static struct addrinfo *result(uint32_t addr, int port, int type,
			       const char *canon)
{
	size_t clen = canon ? strlen(canon) + 1 : 0;
	struct addrinfo *ai =
		calloc(1, sizeof(*ai) + sizeof(struct sockaddr_in) + clen);
	struct sockaddr_in *sin;

	if (ai == NULL)
		return NULL;
	sin = (struct sockaddr_in *)(ai + 1);
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	sin->sin_addr.s_addr = htonl(addr);
	ai->ai_family = AF_INET;
	ai->ai_socktype = type;
	ai->ai_protocol = type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
	ai->ai_addrlen = sizeof(*sin);
	ai->ai_addr = (struct sockaddr *)sin;
	if (canon) {
		ai->ai_canonname = (char *)(sin + 1);
		memcpy(ai->ai_canonname, canon, clen);
	}
	return ai;
}

#define KNOWN_FLAGS                                                            \
	(AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL |   \
	 AI_ADDRCONFIG | AI_NUMERICSERV)

int getaddrinfo(const char *restrict node, const char *restrict service,
		const struct addrinfo *restrict hints,
		struct addrinfo **restrict res)
{
	struct addrinfo h = { 0 }, *first = NULL, **tail = &first;
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM };
	uint32_t addr;
	int rc, port;
	size_t i;

	if (hints != NULL)
		h = *hints;
	if (res == NULL || (node == NULL && service == NULL))
		return EAI_NONAME;
	if (h.ai_flags & ~KNOWN_FLAGS)
		return EAI_BADFLAGS;
	if (h.ai_family != AF_UNSPEC && h.ai_family != AF_INET)
		return EAI_FAMILY;
	if (h.ai_socktype != 0 && h.ai_socktype != SOCK_STREAM &&
	    h.ai_socktype != SOCK_DGRAM)
		return EAI_SOCKTYPE;
	rc = service_port(service, h.ai_flags & AI_NUMERICSERV, &port);
	if (rc == 0)
		rc = node_addr(node, h.ai_flags, &addr);
	if (rc != 0)
		return rc;
	for (i = 0; i < 2; i++) {
		if (h.ai_socktype != 0 && h.ai_socktype != types[i])
			continue;
		*tail = result(addr, port, types[i],
			       (h.ai_flags & AI_CANONNAME) && !first ? node
								     : NULL);
		if (*tail == NULL) {
			freeaddrinfo(first);
			return EAI_MEMORY;
		}
		tail = &(*tail)->ai_next;
	}
	*res = first;
	return 0;
}

void freeaddrinfo(struct addrinfo *ai)
{
	while (ai != NULL) {
		struct addrinfo *next = ai->ai_next;

		free(ai);
		ai = next;
	}
}

/* The name uname() gives (sysinfo.c). */
int gethostname(char *name, size_t len)
{
	static const char host[] = "xenlet";

	if (name == NULL)
		return posix_fail(EFAULT);
	if (len < sizeof(host))
		return posix_fail(ENAMETOOLONG);
	memcpy(name, host, sizeof(host));
	return 0;
}
