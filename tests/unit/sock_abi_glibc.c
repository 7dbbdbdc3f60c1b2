/*
 * sock_abi_glibc.c - the figures of sock_abi_list.h against glibc's
 * headers: what a Linux program sees.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "sock_abi.h"

#define SOCK_ABI_FN sock_abi_glibc
#include "sock_abi_body.h"
