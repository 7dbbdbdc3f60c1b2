/*
 * printk.h - formatted output for the kernel and for guest programs.
 *
 * The formatter understands the C99 conversions for integers, chars,
 * strings and pointers (d i u o x X c s p %), with flags (- + space # 0),
 * width and precision (also as *), and the length modifiers hh h l ll z
 * j t. Floating point is left to the C library (newlib). It has no
 * kernel dependencies, so tests/unit builds it on the host.
 */
#ifndef XENLET_PRINTK_H
#define XENLET_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

/* Where formatted text goes: called with pieces of the output, in order. */
typedef void (*format_sink_t)(void *ctx, const char *s, size_t n);

/* Format into sink; returns the number of bytes produced. */
int vformat(format_sink_t sink, void *ctx, const char *fmt, va_list ap);

/* Like vsnprintf: returns the full length even if truncated. */
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);
int snprintk(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print to the guest console: waits for room, up to the console's
 * deadline for a stalled backend (see console_write). */
int vprintk(const char *fmt, va_list ap);
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
