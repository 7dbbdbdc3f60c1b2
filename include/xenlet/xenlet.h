/*
 * xenlet.h - what a guest program sees of xenlet.
 *
 * A guest program is an ordinary main(argc, argv). argv comes from the
 * xl config's `extra=` line (see cmdline.h for the quoting rules), with
 * argv[0] the program's name. main's return value, or the argument of
 * xenlet_exit, is the exit status: like a POSIX process, only its low
 * 8 bits count. xenlet prints "xenlet: exit N" as the last console line
 * and stops the domain: status 0 as a poweroff, anything else as a
 * crash, so the config's on_poweroff / on_crash decide what follows.
 * The environment (xenlet_getenv) comes from leading NAME=value words
 * of extra= and from XenStore: see environ.h.
 */
#ifndef XENLET_XENLET_H
#define XENLET_XENLET_H

#include <xenlet/environ.h> /* xenlet_getenv, xenlet_environ */
#include <xenlet/printk.h>

int main(int argc, char **argv);

__attribute__((noreturn)) void xenlet_exit(int status);

#endif
