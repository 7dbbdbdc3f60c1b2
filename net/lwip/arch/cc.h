/*
 * arch/cc.h - what lwIP asks of the compiler and C library (lwip/arch.h).
 *
 * lwIP is built against newlib's headers (PROGRAM_CFLAGS): stdint,
 * inttypes, limits, errno (LWIP_ERRNO_STDINCLUDE: sockets set the C
 * library's per-thread errno, with newlib's numbers) all come from
 * there, and newlib's <machine/endian.h> defines BYTE_ORDER.
 */
#ifndef XENLET_LWIP_ARCH_CC_H
#define XENLET_LWIP_ARCH_CC_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

/* newlib's <limits.h> lacks SSIZE_MAX: without it lwIP would typedef
 * its own ssize_t over newlib's. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* Diagnostics and assertions go to the console; a failed assertion
 * is a bug in the stack or its port: crash with a report. */
void lwip_port_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void lwip_port_assert(const char *msg,
						const char *file, int line);
#define LWIP_PLATFORM_DIAG(x)                                                  \
	do {                                                                   \
		lwip_port_diag x;                                              \
	} while (0)
#define LWIP_PLATFORM_ASSERT(x) lwip_port_assert((x), __FILE__, __LINE__)

/* Initial sequence numbers, ephemeral ports, DHCP xids: from the
 * guest's entropy source (lib/posix/entropy.c). */
uint32_t lwip_port_rand(void);
#define LWIP_RAND() lwip_port_rand()

#endif
