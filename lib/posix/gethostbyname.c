/*
 * gethostbyname.c - the older name lookups (<netdb.h>), over
 * getaddrinfo: IPv4 addresses of a name, in one static struct hostent
 * that the next call overwrites (as POSIX allows; one vCPU, and the
 * lookup's wait is the only switch point, before the struct is filled).
 *
 * There is no reverse DNS: gethostbyaddr knows no name for any address
 * and says so (HOST_NOT_FOUND), as a resolver without PTR records does.
 */
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_ADDRS 8 /* addresses kept of one answer: a bound, not a limit */

int h_errno;

static struct {
	struct hostent h;
	char name[NI_MAXHOST];
	char *aliases[1];
	struct in_addr addrs[MAX_ADDRS];
	char *list[MAX_ADDRS + 1];
} host;

static int h_errno_of(int eai)
{
	switch (eai) {
	case EAI_NONAME:
	case EAI_NODATA:
		return HOST_NOT_FOUND;
	case EAI_AGAIN:
		return TRY_AGAIN;
	default:
		return NO_RECOVERY;
	}
}

struct hostent *gethostbyname(const char *name)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	int rc, n = 0;

	rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc != 0) {
		h_errno = h_errno_of(rc);
		return NULL;
	}
	for (ai = res; ai != NULL && n < MAX_ADDRS; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET ||
		    ai->ai_addrlen < sizeof(struct sockaddr_in))
			continue;
		host.addrs[n] = ((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		host.list[n] = (char *)&host.addrs[n];
		n++;
	}
	freeaddrinfo(res);
	if (n == 0) {
		h_errno = NO_DATA;
		return NULL;
	}
	host.list[n] = NULL;
	strncpy(host.name, name, sizeof(host.name) - 1);
	host.name[sizeof(host.name) - 1] = '\0';
	host.aliases[0] = NULL;
	host.h = (struct hostent){ .h_name = host.name,
				   .h_aliases = host.aliases,
				   .h_addrtype = AF_INET,
				   .h_length = sizeof(struct in_addr),
				   .h_addr_list = host.list };
	return &host.h;
}

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type)
{
	(void)addr;
	(void)len;
	(void)type;
	h_errno = HOST_NOT_FOUND;
	return NULL;
}

const char *hstrerror(int err)
{
	switch (err) {
	case HOST_NOT_FOUND:
		return "Unknown host";
	case TRY_AGAIN:
		return "Host name lookup failure";
	case NO_RECOVERY:
		return "Unknown server error";
	case NO_DATA:
		return "No address associated with name";
	default:
		return "Unknown resolver error";
	}
}
