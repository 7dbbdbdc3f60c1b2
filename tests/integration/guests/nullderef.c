/*
 * nullderef - writes through a NULL pointer. Page 0 is unmapped, so this
 * must fault, print a report naming address 0 and the RIP, and crash.
 */
#include <stdint.h>
#include <xenlet/xenlet.h>

/* volatile: the compiler must not see that the pointer is NULL and
 * replace the store by a trap instruction of its own. */
static volatile uintptr_t null_address = 0;

int main(int argc, char **argv)
{
	int *p = (int *)null_address;

	(void)argc;
	(void)argv;
	printk("nullderef: writing to %p\n", (void *)p);
	*p = 42;
	printk("nullderef: still alive, page 0 is mapped\n");
	return 0;
}
