/*
 * console.c - the console is one more echo client: each line typed at
 * `xl console` (or at `make run`) comes back on the console as
 * "echo: console: LINE", so whoever typed it sees that the guest heard
 * it. The console does not echo what is typed (a raw terminal).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "echo.h"

/* What is typed comes from outside the guest: a line longer than this
 * comes back in pieces of this size, so memory stays bounded. */
#define LINE_LEN 256

static char line[LINE_LEN];
static size_t len;
static int closed; /* no console input (or it failed): stop polling it */

int console_client_fd(void)
{
	return closed ? -1 : STDIN_FILENO;
}

void console_client_init(void)
{
	/* poll() said there is input, so read() would not wait; but a
	 * nonblocking read can never hold up the other clients. */
	if (fcntl(STDIN_FILENO, F_SETFL, O_NONBLOCK) < 0)
		closed = 1;
}

/* The line so far back on the console. An empty line (the second half
 * of a CR LF) says nothing. */
static void say_line(void)
{
	if (len > 0)
		printf("echo: console: %.*s\n", (int)len, line);
	fflush(stdout);
	len = 0;
}

void console_client_ready(void)
{
	char buf[64];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n <= 0) {
		if (n == 0 || errno != EAGAIN)
			closed = 1;
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n') { /* the console gives Enter ('\r') as '\n' */
			say_line();
			continue;
		}
		line[len++] = isprint(c) ? (char)c : '?';
		if (len == sizeof(line))
			say_line();
	}
}
