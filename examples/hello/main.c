/*
 * hello - the smallest xenlet guest: greet, show the arguments, exit 0.
 *
 *   xl create config/hello.cfg 'extra="some words"'
 */
#include <xenlet/xenlet.h>

int main(int argc, char **argv)
{
	int i;

	printk("Hello from xenlet, a Xen guest program!\n");
	for (i = 1; i < argc; i++)
		printk("argv[%d] = \"%s\"\n", i, argv[i]);
	return 0;
}
