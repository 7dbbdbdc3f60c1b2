/* exit3 - returns 3: the domain must end as a crash, reporting status 3. */
#include <xenlet/xenlet.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printk("exit3: returning 3\n");
	return 3;
}
