/*
 * test_inet.c - xenlet's address text functions against glibc's own
 * answers, on this host: the same texts accepted and rejected, the
 * same bytes, the same printed forms, the same errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "inet_xenlet.h"

/* Texts both parsers see: good, bad, and near misses of each form. */
static const char *const texts[] = {
	"",
	".",
	":",
	"::",
	":::",
	"0",
	"1",
	"00",
	"0.0.0.0",
	"1.2.3.4",
	"255.255.255.255",
	"256.1.1.1",
	"1.2.3.256",
	"01.2.3.4",
	"1.02.3.4",
	"1.2.3.04",
	"0.0.0.00",
	"1.2.3",
	"1.2",
	"1.2.3.4.",
	".1.2.3.4",
	"1..2.3",
	"1.2.3.4 ",
	" 1.2.3.4",
	"1.2.3.4x",
	"1.2.3.-4",
	"+1.2.3.4",
	"0x1.2.3.4",
	"0x7f.1",
	"017.1.1.1",
	"08.1.1.1",
	"1.2.3.4\n",
	"4294967295",
	"4294967296",
	"0xffffffff",
	"0x100000000",
	"0x",
	"0X1",
	"1.0xffffff",
	"1.0x1000000",
	"1.2.0xffff",
	"1.2.65536",
	"1.2.3.0377",
	"1.2.3.0400",
	"1.2.3.4 junk",
	"1.2.3.4\tjunk",
	"1.2.3.4\vx",
	"99999999999999999999",
	"0.0.0.0.0",
	"::1",
	"1::",
	"1:",
	":1",
	"1::2",
	"1:::2",
	"::1::2",
	"1:2:3:4:5:6:7:8",
	"1:2:3:4:5:6:7:8:9",
	"1:2:3:4:5:6:7::",
	"::2:3:4:5:6:7:8",
	"1:2:3:4:5:6:7:8::",
	"::1:2:3:4:5:6:7:8",
	"1:2:3:4:5:6::8",
	"1:2:3:4:5:6:7",
	"ffff::",
	"FFFF::abcd",
	"fFfF::AbCd",
	"12345::",
	"01234::",
	"0000:0000::1",
	"0::0",
	"::ffff:1.2.3.4",
	"::1.2.3.4",
	"1.2.3.4::",
	"::1.2.3",
	"::1.2.3.4.5",
	"::01.2.3.4",
	"::ffff:256.1.1.1",
	"1:2:3:4:5:6:1.2.3.4",
	"1:2:3:4:5:6:7:1.2.3.4",
	"1:2:3:4:5::1.2.3.4",
	"::1.2.3.4:1",
	"::g",
	"fe80::1%1",
	"::ffff:1.2.3.4 ",
	"1:2:3:4:5:6:7:8 ",
	"2001:db8::7",
	"2001:0db8:0000:0000:0000:0000:0000:0007",
	"::0.0.0.0",
	"::.1.2.3",
	"::1.2..3",
	"::ffff:0x1.2.3.4",
	"1::2::",
	"a:b:c:d:e:f:0:1",
};

static void test_pton_as_glibc(void **state)
{
	static const int afs[] = { AF_INET, AF_INET6 };

	(void)state;
	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		for (int f = 0; f < 2; f++) {
			unsigned char a[16] = { 0 }, b[16] = { 0 };
			int ra = inet_pton(afs[f], texts[t], a);
			int rb = xenlet_inet_pton(afs[f], texts[t], b);

			if (ra != rb || memcmp(a, b, sizeof(a)) != 0)
				fail_msg("inet_pton(%d, \"%s\"): glibc %d, "
					 "xenlet %d",
					 afs[f], texts[t], ra, rb);
		}
	}
}

static void test_aton_as_glibc(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		struct in_addr a = { 0 }, b = { 0 };
		int ra = inet_aton(texts[t], &a);
		int rb = xenlet_inet_aton(texts[t], &b);

		if (ra != rb || a.s_addr != b.s_addr)
			fail_msg("inet_aton(\"%s\"): glibc %d %08x, "
				 "xenlet %d %08x",
				 texts[t], ra, a.s_addr, rb, b.s_addr);
		assert_int_equal(inet_addr(texts[t]),
				 xenlet_inet_addr(texts[t]));
		/* A NULL result pointer only validates. */
		assert_int_equal(xenlet_inet_aton(texts[t], NULL), ra);
	}
}

static void test_ntoa(void **state)
{
	struct in_addr in;

	(void)state;
	in.s_addr = htonl(0x0a630002);
	assert_string_equal(xenlet_inet_ntoa(in), "10.99.0.2");
	in.s_addr = 0xffffffff;
	assert_string_equal(xenlet_inet_ntoa(in), inet_ntoa(in));
	in.s_addr = 0;
	assert_string_equal(xenlet_inet_ntoa(in), "0.0.0.0");
}

/* inet_ntop of one IPv6 address, both ways, compared. */
static void check_ntop6(const unsigned char *a)
{
	char ga[INET6_ADDRSTRLEN], xa[INET6_ADDRSTRLEN];
	unsigned char back[16];

	assert_non_null(inet_ntop(AF_INET6, a, ga, sizeof(ga)));
	assert_ptr_equal(xenlet_inet_ntop(AF_INET6, a, xa, sizeof(xa)), xa);
	if (strcmp(ga, xa) != 0)
		fail_msg("inet_ntop: glibc \"%s\", xenlet \"%s\"", ga, xa);
	assert_int_equal(xenlet_inet_pton(AF_INET6, xa, back), 1);
	assert_memory_equal(back, a, 16);
}

static void test_ntop6_as_glibc(void **state)
{
	static const char *const addrs[] = {
		"::",
		"::1",
		"1::",
		"::ffff:1.2.3.4",
		"::1.2.3.4",
		"::0.0.1.2",
		"::ffff:0.0.1.2",
		"1:0:0:2:0:0:0:3",
		"1:0:0:2:0:0:3:4",
		"1:0:2:0:3:0:4:0",
		"0:0:1::",
		"1:2:3:4:5:6:7:8",
		"fe80::1",
		"ff02::1",
		"::ffff:0:0",
		"0:0:0:0:0:1:0:0",
		"0:0:0:0:1:ffff:1.2.3.4",
		"::fffe:1.2.3.4",
		"1::ffff:1.2.3.4",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	};
	unsigned char a[16];

	(void)state;
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		assert_int_equal(inet_pton(AF_INET6, addrs[i], a), 1);
		check_ntop6(a);
	}
	/* Random addresses, with zero groups often enough to make runs. */
	srandom(7);
	for (int n = 0; n < 20000; n++) {
		for (int w = 0; w < 8; w++) {
			long r = random();
			int zero = r % 3 == 0;

			a[2 * w] = zero ? 0 : (unsigned char)(r >> 8);
			a[2 * w + 1] = zero ? 0 : (unsigned char)(r >> 16);
			if (r % 11 == 0)
				a[2 * w] = 0; /* short groups too */
		}
		if (n % 5 == 0) /* the embedded IPv4 forms */
			memset(a, 0, n % 10 == 0 ? 10 : 12);
		if (n % 10 == 0)
			a[10] = a[11] = 0xff;
		check_ntop6(a);
	}
}

static void test_ntop_space(void **state)
{
	unsigned char a6[16];
	struct in_addr a4 = { htonl(0xc0a80101) };
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	assert_non_null(xenlet_inet_ntop(AF_INET, &a4, buf, 12));
	assert_string_equal(buf, "192.168.1.1");
	errno = 0;
	assert_null(xenlet_inet_ntop(AF_INET, &a4, buf, 11));
	assert_int_equal(errno, ENOSPC);
	memset(a6, 0xff, sizeof(a6));
	assert_non_null(xenlet_inet_ntop(AF_INET6, a6, buf, 40));
	errno = 0;
	assert_null(xenlet_inet_ntop(AF_INET6, a6, buf, 39));
	assert_int_equal(errno, ENOSPC);
	errno = 0;
	assert_null(xenlet_inet_ntop(AF_INET6, a6, buf, 0));
	assert_int_equal(errno, ENOSPC);
	errno = 0;
	assert_null(xenlet_inet_ntop(AF_UNIX, a6, buf, sizeof(buf)));
	assert_int_equal(errno, EAFNOSUPPORT);
	errno = 0;
	assert_int_equal(xenlet_inet_pton(AF_UNSPEC, "1.2.3.4", a6), -1);
	assert_int_equal(errno, EAFNOSUPPORT);
}

static void test_gai_strerror_as_glibc(void **state)
{
	(void)state;
	/* glibc 2.36 has no text for EAI_OVERFLOW ("Unknown error"):
	 * xenlet's says what it is. */
	assert_string_equal(xenlet_gai_strerror(EAI_OVERFLOW),
			    "Argument buffer overflow");
	for (int e = -20; e <= 1; e++)
		if (e != EAI_OVERFLOW)
			assert_string_equal(xenlet_gai_strerror(e),
					    gai_strerror(e));
	assert_string_equal(xenlet_gai_strerror(-2147483647 - 1),
			    gai_strerror(-2147483647 - 1));
}

/* getnameinfo of one address, numeric, with these buffer sizes. */
static void check_nameinfo(const struct sockaddr *sa, socklen_t salen,
			   socklen_t hostlen, socklen_t servlen, int flags)
{
	char gh[NI_MAXHOST] = "", gs[NI_MAXSERV] = "";
	char xh[NI_MAXHOST] = "", xs[NI_MAXSERV] = "";
	int n = NI_NUMERICHOST | NI_NUMERICSERV | flags;
	int rg = getnameinfo(sa, salen, hostlen ? gh : NULL, hostlen,
			     servlen ? gs : NULL, servlen, n);
	int rx = xenlet_getnameinfo(sa, salen, hostlen ? xh : NULL, hostlen,
				    servlen ? xs : NULL, servlen, n);

	if (rg != rx)
		fail_msg("getnameinfo(family %d, len %u, %u, %u, %#x): "
			 "glibc %d, xenlet %d",
			 sa->sa_family, salen, hostlen, servlen, n, rg, rx);
	if (rg == 0) {
		assert_string_equal(gh, xh);
		assert_string_equal(gs, xs);
	}
}

static void test_getnameinfo_as_glibc(void **state)
{
	struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_port = htons(7) };
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(65535) };
	static const socklen_t lens[] = { 0,  1,  5,  6,	  9,	     10,
					  16, 40, 41, NI_MAXSERV, NI_MAXHOST };
	static const char *const six[] = { "::1", "fe80::1", "ff02::1",
					   "2001:db8::7", "::ffff:10.0.0.1" };

	(void)state;
	s4.sin_addr.s_addr = htonl(0xc0a86301);
	for (size_t h = 0; h < sizeof(lens) / sizeof(lens[0]); h++)
		for (size_t s = 0; s < sizeof(lens) / sizeof(lens[0]); s++)
			check_nameinfo(
				(struct sockaddr *)&s4, sizeof(s4), lens[h],
				lens[s] < NI_MAXSERV ? lens[s] : NI_MAXSERV, 0);
	check_nameinfo((struct sockaddr *)&s4, sizeof(s4) - 1, 40, 10, 0);
	check_nameinfo((struct sockaddr *)&s4, sizeof(s4) + 100, 40, 10, 0);
	check_nameinfo((struct sockaddr *)&s4, sizeof(s4), 40, 10, NI_DGRAM);
	check_nameinfo((struct sockaddr *)&s4, sizeof(s4), 40, 10, NI_NAMEREQD);
	check_nameinfo((struct sockaddr *)&s4, sizeof(s4), 0, 10, NI_NAMEREQD);
	/* glibc names AF_UNIX addresses; xenlet has none to name. */
	s4.sin_family = AF_UNIX;
	assert_int_equal(xenlet_getnameinfo((struct sockaddr *)&s4, sizeof(s4),
					    NULL, 0, NULL, 0, 0),
			 EAI_FAMILY);
	s4.sin_family = AF_PACKET;
	check_nameinfo((struct sockaddr *)&s4, sizeof(s4), 40, 10, 0);
	for (size_t i = 0; i < sizeof(six) / sizeof(six[0]); i++) {
		assert_int_equal(inet_pton(AF_INET6, six[i], &s6.sin6_addr), 1);
		for (uint32_t scope = 0; scope < 2; scope++) {
			/* A scope no host interface has: printed as a number. */
			s6.sin6_scope_id = scope * 4000000000u;
			for (size_t h = 0; h < sizeof(lens) / sizeof(lens[0]);
			     h++)
				check_nameinfo((struct sockaddr *)&s6,
					       sizeof(s6), lens[h], 6, 0);
		}
		check_nameinfo((struct sockaddr *)&s6, sizeof(s6) - 1, 60, 6,
			       0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pton_as_glibc),
		cmocka_unit_test(test_aton_as_glibc),
		cmocka_unit_test(test_ntoa),
		cmocka_unit_test(test_ntop6_as_glibc),
		cmocka_unit_test(test_ntop_space),
		cmocka_unit_test(test_gai_strerror_as_glibc),
		cmocka_unit_test(test_getnameinfo_as_glibc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
