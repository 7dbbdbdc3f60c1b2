/*
 * protect - page protections: argv[1] says which rule to break.
 *   write-code   writing to the program's own code must fault (read-only)
 *   exec-stack   jumping into data on the stack must fault (no-execute)
 */
#include <xenlet/string.h>
#include <xenlet/xenlet.h>

typedef void (*fn_t)(void);

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (strcmp(argv[1], "write-code") == 0) {
		volatile unsigned char *code = (unsigned char *)main;

		printk("protect: writing to code at %p\n", (void *)code);
		code[0] = 0xc3;
	} else if (strcmp(argv[1], "exec-stack") == 0) {
		unsigned char ret[16] = { 0xc3 }; /* "ret" */
		fn_t fn = (fn_t)(void *)ret;

		printk("protect: calling data on the stack at %p\n",
		       (void *)ret);
		fn();
	}
	printk("protect: not stopped\n");
	return 0;
}
