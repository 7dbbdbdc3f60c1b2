/*
 * panic.h - stopping on a broken invariant.
 */
#ifndef XENLET_PANIC_H
#define XENLET_PANIC_H

/* Print "xenlet: panic: ...", then crash the domain. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt,
							   ...);

#endif
