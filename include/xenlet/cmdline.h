/*
 * cmdline.h - splitting the guest command line into argv.
 *
 * The command line is xl's `extra=` (PV: start_info.cmd_line). It is
 * split the way a POSIX shell splits words, without expansions:
 * blanks separate arguments; 'single quotes' keep everything literally;
 * "double quotes" keep everything but \" and \\; outside quotes a
 * backslash keeps the next character. '' or "" is an empty argument.
 */
#ifndef XENLET_CMDLINE_H
#define XENLET_CMDLINE_H

#define CMDLINE_TOO_MANY     (-1) /* more than max_args arguments */
#define CMDLINE_UNTERMINATED (-2) /* a quote is never closed */
#define CMDLINE_TOO_LONG     (-3) /* longer than CMDLINE_MAX_LEN */

/*
 * Xen passes the command line in a 1024-byte buffer (MAX_GUEST_CMDLINE,
 * NUL included) and the toolstack cuts longer lines silently. A line
 * that fills the buffer may have lost its end, so it is refused rather
 * than run with arguments missing.
 */
#define CMDLINE_MAX_LEN 1022

/*
 * Split line in place into argv[0..n-1] and set argv[n] = NULL.
 * argv must have room for max_args + 1 pointers.
 * Returns n, or CMDLINE_TOO_MANY, CMDLINE_UNTERMINATED or
 * CMDLINE_TOO_LONG (then line is left unchanged).
 */
int cmdline_split(char *line, char **argv, int max_args);

/* A message for a negative return of cmdline_split. */
const char *cmdline_strerror(int err);

#endif
