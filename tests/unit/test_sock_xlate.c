/*
 * test_sock_xlate.c - a program's socket ABI to the IP stack's
 * (lib/posix/sock_xlate.c), built here against glibc's headers: the
 * values a Linux program uses must come out as the right stack option,
 * flag or address, and go back the same way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <cmocka.h>
#include "../../lib/posix/sock_xlate.h"

static void test_addresses(void **state)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(7) };
	struct sockaddr_storage ss;
	struct ipstack_addr a;
	socklen_t len;

	(void)state;
	sin.sin_addr.s_addr = htonl(0x0a630005);
	assert_int_equal(
		xlate_addr_in((struct sockaddr *)&sin, sizeof(sin), &a), 0);
	assert_int_equal(a.addr, htonl(0x0a630005));
	assert_int_equal(a.port, htons(7));
	/* Too short, another family, no address at all. */
	assert_int_equal(
		xlate_addr_in((struct sockaddr *)&sin, sizeof(sin) - 1, &a),
		-EINVAL);
	assert_int_equal(xlate_addr_in((struct sockaddr *)&sin, 1, &a),
			 -EINVAL);
	assert_int_equal(xlate_addr_in(NULL, sizeof(sin), &a), -EINVAL);
	sin.sin_family = AF_INET6;
	assert_int_equal(
		xlate_addr_in((struct sockaddr *)&sin, sizeof(sin), &a),
		-EAFNOSUPPORT);

	/* Out: a Linux sockaddr_in, its full size in len. */
	memset(&ss, 0xaa, sizeof(ss));
	len = sizeof(ss);
	xlate_addr_out(&a, (struct sockaddr *)&ss, &len);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	memcpy(&sin, &ss, sizeof(sin));
	assert_int_equal(sin.sin_family, AF_INET);
	assert_int_equal(sin.sin_port, htons(7));
	assert_int_equal(sin.sin_addr.s_addr, htonl(0x0a630005));
	assert_int_equal(((unsigned char *)&ss)[sizeof(sin)], 0xaa);
	/* Cut to the caller's buffer (POSIX), len still the full size. */
	memset(&ss, 0xaa, sizeof(ss));
	len = 4;
	xlate_addr_out(&a, (struct sockaddr *)&ss, &len);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_int_equal(((unsigned char *)&ss)[4], 0xaa);
	len = 0;
	xlate_addr_out(&a, NULL, &len);
	assert_int_equal(len, sizeof(struct sockaddr_in));
}

static void test_options(void **state)
{
	static const struct {
		int level, name;
		enum ipstack_opt opt;
	} want[] = {
		{ SOL_SOCKET, SO_REUSEADDR, IPSTACK_SO_REUSEADDR },
		{ SOL_SOCKET, SO_KEEPALIVE, IPSTACK_SO_KEEPALIVE },
		{ SOL_SOCKET, SO_RCVTIMEO, IPSTACK_SO_RCVTIMEO },
		{ SOL_SOCKET, SO_SNDTIMEO, IPSTACK_SO_SNDTIMEO },
		{ SOL_SOCKET, SO_ERROR, IPSTACK_SO_ERROR },
		{ SOL_SOCKET, SO_RCVBUF, IPSTACK_SO_RCVBUF },
		{ SOL_SOCKET, SO_SNDBUF, IPSTACK_SO_SNDBUF },
		{ SOL_SOCKET, SO_TYPE, IPSTACK_SO_TYPE },
		{ SOL_SOCKET, SO_LINGER, IPSTACK_SO_LINGER },
		{ IPPROTO_TCP, TCP_NODELAY, IPSTACK_TCP_NODELAY },
		{ IPPROTO_TCP, TCP_KEEPIDLE, IPSTACK_TCP_KEEPIDLE },
		{ IPPROTO_TCP, TCP_KEEPINTVL, IPSTACK_TCP_KEEPINTVL },
		{ IPPROTO_TCP, TCP_KEEPCNT, IPSTACK_TCP_KEEPCNT },
	};
	enum ipstack_opt o;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(xlate_opt(want[i].level, want[i].name, &o), 0);
		assert_int_equal(o, want[i].opt);
	}
	/* Same number, other level; unknown names. */
	assert_int_equal(xlate_opt(IPPROTO_TCP, SO_KEEPALIVE, &o),
			 -ENOPROTOOPT);
	assert_int_equal(xlate_opt(SOL_SOCKET, TCP_NODELAY, &o), -ENOPROTOOPT);
	assert_int_equal(xlate_opt(SOL_SOCKET, SO_REUSEPORT, &o), -ENOPROTOOPT);
	assert_int_equal(xlate_opt(0xfff, 4, &o), -ENOPROTOOPT); /* lwIP's */
}

static void test_option_values(void **state)
{
	struct timeval tv = { 2, 500001 }, out;
	struct linger l = { 1, 9 }, lo;
	int v, one = 1;
	socklen_t len;

	(void)state;
	assert_int_equal(
		xlate_optval_in(IPSTACK_SO_RCVTIMEO, &tv, sizeof(tv), &v), 0);
	assert_int_equal(v, 2501); /* rounded up: never shorter */
	assert_int_equal(xlate_optval_in(IPSTACK_SO_RCVTIMEO, &tv, 8, &v),
			 -EINVAL);
	tv.tv_usec = 1000000;
	assert_int_equal(
		xlate_optval_in(IPSTACK_SO_SNDTIMEO, &tv, sizeof(tv), &v),
		-EINVAL);
	tv = (struct timeval){ 1L << 40, 0 };
	assert_int_equal(
		xlate_optval_in(IPSTACK_SO_SNDTIMEO, &tv, sizeof(tv), &v), 0);
	assert_true(v > 0);
	assert_int_equal(xlate_optval_in(IPSTACK_SO_LINGER, &l, sizeof(l), &v),
			 0);
	assert_int_equal(v, 9);
	l.l_onoff = 0;
	assert_int_equal(xlate_optval_in(IPSTACK_SO_LINGER, &l, sizeof(l), &v),
			 0);
	assert_int_equal(v, -1);
	assert_int_equal(xlate_optval_in(IPSTACK_TCP_NODELAY, &one, 2, &v),
			 -EINVAL);
	assert_int_equal(xlate_optval_in(IPSTACK_TCP_NODELAY, NULL, 4, &v),
			 -EINVAL);

	len = sizeof(out);
	assert_int_equal(
		xlate_optval_out(IPSTACK_SO_RCVTIMEO, 2501, &out, &len), 0);
	assert_int_equal(len, sizeof(out));
	assert_int_equal(out.tv_sec, 2);
	assert_int_equal(out.tv_usec, 501000);
	len = sizeof(lo);
	xlate_optval_out(IPSTACK_SO_LINGER, -1, &lo, &len);
	assert_int_equal(lo.l_onoff, 0);
	len = sizeof(v);
	xlate_optval_out(IPSTACK_SO_TYPE, IPSTACK_DGRAM, &v, &len);
	assert_int_equal(v, SOCK_DGRAM);
	len = 2; /* cut, as Linux does */
	v = 0;
	xlate_optval_out(IPSTACK_SO_RCVBUF, 0x10001, &v, &len);
	assert_int_equal(len, 2);
	assert_int_equal(v, 1);
}

static void test_flags_and_poll(void **state)
{
	(void)state;
	assert_int_equal(xlate_msg_flags(0), 0);
	assert_int_equal(xlate_msg_flags(MSG_PEEK | MSG_DONTWAIT),
			 IPSTACK_MSG_PEEK | IPSTACK_MSG_DONTWAIT);
	assert_int_equal(xlate_msg_flags(MSG_MORE), IPSTACK_MSG_MORE);
	assert_int_equal(xlate_msg_flags(MSG_WAITALL | MSG_NOSIGNAL), 0);
	assert_int_equal(xlate_msg_flags(MSG_OOB), -EOPNOTSUPP);
	assert_int_equal(xlate_msg_flags(0x8),
			 -EOPNOTSUPP); /* lwIP's DONTWAIT */
	assert_int_equal(xlate_poll(IPSTACK_POLLIN), POLLIN);
	assert_int_equal(xlate_poll(IPSTACK_POLLOUT | IPSTACK_POLLERR),
			 POLLOUT | POLLERR);
	assert_int_equal(xlate_poll(0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_option_values),
		cmocka_unit_test(test_flags_and_poll),
	};

	return cmocka_run_group_tests_name("sock_xlate", tests, NULL, NULL);
}
