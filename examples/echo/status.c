/*
 * status.c - the status line of systat (port 11) and of the console:
 * what is being served, and the heap's figures, which a test watches
 * return to their baseline after many connections.
 */
#include <malloc.h>
#include <stdio.h>
#include "echo.h"

int status_line(char *buf, size_t size)
{
	struct mallinfo m = mallinfo();
	int n;

	n = snprintf(buf, size,
		     "echo: status open=%d echo=%lu discard=%lu chargen=%lu "
		     "udp=%lu heap=%zu arena=%zu pages=%zu\n",
		     counts.open, counts.conns[ECHO], counts.conns[DISCARD],
		     counts.conns[CHARGEN], counts.datagrams,
		     (size_t)m.uordblks, (size_t)m.arena, (size_t)m.hblkhd);
	return n < (int)size ? n : (int)size - 1;
}
