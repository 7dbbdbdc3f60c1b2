/*
 * environ.h - the program's environment, from the xl config.
 *
 * Two sources, read before main:
 *  1. Leading NAME=value words of xl's extra= line, like env(1):
 *       extra = "PORT=80 MODE=fast -- serve /data"
 *     gives PORT and MODE, and argv = {prog, "serve", "/data"}. A word
 *     "--" ends the assignments (and is dropped), so an argument with a
 *     '=' in it can follow. NAME is [A-Za-z_][A-Za-z0-9_]*.
 *  2. XenStore keys /local/domain/<domid>/environ/NAME, written by dom0
 *     tooling (e.g. `xenstore-write` while the domain is paused after
 *     `xl create -p`). Only read at start.
 * The command line wins over XenStore for the same NAME.
 *
 * xenlet_environ is a NULL-terminated array of "NAME=value" strings, as
 * POSIX's environ (newlib's getenv will use it).
 */
#ifndef XENLET_ENVIRON_H
#define XENLET_ENVIRON_H

#define ENV_MAX 128 /* variables at most */

extern char **xenlet_environ;

/* The value of NAME, or NULL. */
char *xenlet_getenv(const char *name);

/*
 * Set NAME (overwrite = 0: only if unset). 0, -XEN_EINVAL for a bad
 * name, -XEN_ENOSPC beyond ENV_MAX, -XEN_ENOMEM.
 */
int env_set(const char *name, const char *value, int overwrite);

/*
 * Take the leading assignments (and a "--") off argv[0..argc), setting
 * them. Returns how many words were taken, or a negative error.
 */
int env_take_words(char **argv, int argc);

/* Add XenStore's environ/ keys (never overwriting). 0 or an error. */
int env_from_xenstore(void);

#endif
