/*
 * hello - the smallest xenlet guest, in plain C: greet, show the
 * arguments, exit 0.
 *
 *   xl create config/hello.cfg 'extra="some words"'
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	int i;

	printf("Hello from xenlet, a Xen guest program!\n");
	for (i = 1; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	return 0;
}
