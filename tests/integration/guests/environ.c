/*
 * environ - prints its arguments and environment, which come from the
 * xl config's extra= line and from XenStore's environ/ keys.
 */
#include <xenlet/xenlet.h>

static const char *show(const char *name)
{
	const char *v = xenlet_getenv(name);

	return v ? v : "(unset)";
}

int main(int argc, char **argv)
{
	int i;

	printk("environ: argc %d\n", argc);
	for (i = 1; i < argc; i++)
		printk("environ: argv[%d] = \"%s\"\n", i, argv[i]);
	for (i = 0; xenlet_environ[i] != NULL; i++)
		printk("environ: environ[%d] = \"%s\"\n", i, xenlet_environ[i]);
	printk("environ: FOO=%s\n", show("FOO"));
	printk("environ: GREETING=%s\n", show("GREETING"));
	printk("environ: FROMXS=%s\n", show("FROMXS"));
	printk("environ: A=%s\n", show("A"));
	return 0;
}
