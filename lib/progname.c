/*
 * progname.c - the program's name, argv[0]. The Makefile compiles this
 * file once per program with -DPROGNAME="name".
 */
const char xenlet_progname[] = PROGNAME;
