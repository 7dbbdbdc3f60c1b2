/*
 * init.c - the POSIX layer's start: errno and stdio state for main,
 * descriptors 0-2 on the console, and the environment.
 *
 * The environment comes from the command line, as a shell's
 * `NAME=value program args` would give it: the leading words of xl's
 * extra= that have the form NAME=value (NAME: letters, digits and '_',
 * not starting with a digit) become environ and are taken out of argv.
 * (XenStore as a second source is planned: it will fill the same array.)
 */
#include <stdlib.h>
#include <xenlet/fd.h>
#include <xenlet/posix.h>

#define ENV_MAX 64

extern char **environ; /* newlib's */
static char *env[ENV_MAX + 1];

static int is_assignment(const char *w)
{
	const char *p = w;

	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	      *p == '_'))
		return 0;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	       (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	return *p == '=';
}

/* Move the leading NAME=value words of argv[1..] into env; new argc. */
static int take_environment(int argc, char **argv)
{
	int n = 0, i;

	while (1 + n < argc && n < ENV_MAX && is_assignment(argv[1 + n])) {
		env[n] = argv[1 + n];
		n++;
	}
	env[n] = NULL;
	for (i = 1; i + n <= argc; i++) /* argv[argc] (NULL) moves too */
		argv[i] = argv[i + n];
	environ = env;
	return argc - n;
}

int posix_init(int argc, char **argv)
{
	posix_tls_adopt_global();
	console_fd_init();
	return take_environment(argc, argv);
}
