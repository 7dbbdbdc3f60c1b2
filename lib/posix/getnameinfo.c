/*
 * getnameinfo.c - an address and port as text.
 *
 * xenlet has no reverse DNS and no services database, so the answer is
 * always numeric, which is what glibc falls back to when those lookups
 * find nothing: NI_NUMERICHOST and NI_NUMERICSERV change nothing, and
 * NI_NAMEREQD (a name or nothing) fails with EAI_NONAME. The address
 * and its length come from the caller and are checked as glibc does.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NI_KNOWN                                                               \
	(NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD | NI_DGRAM)

/* Append v in decimal at p, NUL-terminated. */
static void put_decimal(char *p, uint32_t v)
{
	char digits[10];
	int n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = digits[--n];
	*p = '\0';
}

/* The host part: the address, and "%scope" if it has one. */
static int host_text(const struct sockaddr *sa, char *host, socklen_t len)
{
	char text[INET6_ADDRSTRLEN + 11]; /* and '%', up to 10 digits */
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
	size_t n;

	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text));
	} else {
		inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
		/* Any address's scope follows it as "%N" (glibc would name
		 * a link-local one's interface; xenlet's have numbers). */
		if (s6->sin6_scope_id != 0) {
			n = strlen(text);
			text[n] = '%';
			put_decimal(text + n + 1, s6->sin6_scope_id);
		}
	}
	n = strlen(text);
	if (n >= len)
		return EAI_OVERFLOW;
	memcpy(host, text, n + 1);
	return 0;
}

static int serv_text(in_port_t port, char *serv, socklen_t len)
{
	char text[6];
	size_t n;

	put_decimal(text, ntohs(port));
	n = strlen(text);
	if (n >= len)
		return EAI_OVERFLOW;
	memcpy(serv, text, n + 1);
	return 0;
}

int getnameinfo(const struct sockaddr *restrict sa, socklen_t salen,
		char *restrict host, socklen_t hostlen, char *restrict serv,
		socklen_t servlen, int flags)
{
	int err;

	if (flags & ~NI_KNOWN)
		return EAI_BADFLAGS;
	if (sa == NULL || salen < sizeof(sa->sa_family))
		return EAI_FAMILY;
	if (!(sa->sa_family == AF_INET &&
	      salen >= sizeof(struct sockaddr_in)) &&
	    !(sa->sa_family == AF_INET6 &&
	      salen >= sizeof(struct sockaddr_in6)))
		return EAI_FAMILY;
	if (host != NULL && hostlen > 0) {
		if (flags & NI_NAMEREQD)
			return EAI_NONAME; /* there is no reverse DNS */
		err = host_text(sa, host, hostlen);
		if (err != 0)
			return err;
	}
	if (serv != NULL && servlen > 0) {
		/* sin_port and sin6_port are at the same offset. */
		err = serv_text(((const struct sockaddr_in *)sa)->sin_port,
				serv, servlen);
		if (err != 0)
			return err;
	}
	return 0;
}
