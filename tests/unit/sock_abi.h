/*
 * sock_abi.h - what a program can tell of the socket headers' layout.
 *
 * sock_abi_list.h names each figure once; sock_abi_glibc.c computes
 * them against glibc's headers, sock_abi_xenlet.c against xenlet's
 * (include/posix over newlib), each in its own translation unit since
 * the two sets of headers cannot meet. test_sock_abi.c compares.
 */
#ifndef SOCK_ABI_H
#define SOCK_ABI_H

struct sock_fig {
	const char *name;
	long long value;
};

/* Fill figs (room for max) and return how many there are. */
int sock_abi_glibc(struct sock_fig *figs, int max);
int sock_abi_xenlet(struct sock_fig *figs, int max);

#endif
