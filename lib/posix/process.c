/*
 * process.c - the guest as one process: _exit, getpid, kill, sbrk, and
 * the process calls a guest cannot do (fork, exec, wait), which fail
 * with the errno POSIX gives for "not supported here", and the calls
 * that would change the read-only root file system, or name a file for
 * it (tmpnam), which fail with EROFS.
 */
#include <errno.h>
#include <reent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenlet/fd.h>
#include <xenlet/panic.h>
#include <xenlet/posix.h>
#include <xenlet/thread.h>
#include <xenlet/xenlet.h>

#define GUEST_PID 1 /* the only process there is */

/* exit() has run the atexit handlers and flushed stdio: end the domain. */
void _exit(int status)
{
	xenlet_exit(status);
}

pid_t getpid(void)
{
	return GUEST_PID;
}

pid_t getppid(void)
{
	return 0;
}

static const char *signal_name(int sig)
{
	static const char *const names[] = {
		[SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",
		[SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
		[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGFPE] = "SIGFPE",   [SIGKILL] = "SIGKILL",
		[SIGBUS] = "SIGBUS",   [SIGSEGV] = "SIGSEGV",
		[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",
		[SIGTERM] = "SIGTERM", [SIGUSR1] = "SIGUSR1",
		[SIGUSR2] = "SIGUSR2",
	};

	if (sig > 0 && sig < (int)(sizeof(names) / sizeof(names[0])) &&
	    names[sig])
		return names[sig];
	return "signal";
}

/* Signals whose default action is to be ignored rather than to end us. */
static int ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH ||
	       sig == SIGCONT;
}

/*
 * Only the guest itself can be signalled. newlib's raise() calls this
 * when the signal's handler is SIG_DFL (a handler set with signal() is
 * called by newlib itself); abort() is raise(SIGABRT).
 */
int kill(pid_t pid, int sig)
{
	if (pid != GUEST_PID && pid != 0 && pid != -1)
		return posix_fail(ESRCH);
	if (sig < 0 || sig >= NSIG)
		return posix_fail(EINVAL);
	if (sig == 0 || ignored_by_default(sig))
		return 0;
	panic("thread \"%s\" killed by signal %d (%s)",
	      thread_name(thread_self()), sig, signal_name(sig));
}

/* malloc is the kernel heap (malloc.c): no program break to move. */
void *sbrk(ptrdiff_t incr)
{
	(void)incr;
	posix_fail(ENOMEM);
	return (void *)-1;
}

/* --- no processes to make or wait for ------------------------------------ */

pid_t fork(void)
{
	return posix_fail(ENOSYS);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	return posix_fail(ENOSYS);
}

pid_t wait(int *status)
{
	(void)status;
	return posix_fail(ECHILD);
}

/* --- the root file system is read-only ------------------------------------ */

/* open, stat and friends are in rootfs_file.c; /dev/ files come through
 * this hook (blk_files_init sets it). */
int (*fd_open_dev)(const char *path, int flags);

int link(const char *old, const char *new)
{
	(void)old;
	(void)new;
	return posix_fail(EROFS);
}

int unlink(const char *path)
{
	(void)path;
	return posix_fail(EROFS);
}

int mkdir(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	return posix_fail(EROFS);
}

int rename(const char *old, const char *new)
{
	(void)old;
	(void)new;
	return posix_fail(EROFS);
}

/*
 * tmpnam names a file that does not exist yet, for the caller to create.
 * No file can be created here (the root is the read-only ramdisk; disks
 * are devices, not directories), so there is no such name to give:
 * EROFS, as creating it would give. newlib's tmpnam returns a name all
 * the same (it fails only when open() says ENOSYS), which Lua's
 * os.tmpname hands on as if usable; failing here makes os.tmpname raise
 * Lua's own error and tmpfile() return NULL with EROFS. These four are
 * all of newlib's tmpnam.c, so none of it is ever linked beside them.
 */
char *_tmpnam_r(struct _reent *r, char *s)
{
	(void)s;
	r->_errno = EROFS;
	return NULL;
}

char *tmpnam(char *s)
{
	return _tmpnam_r(_REENT, s);
}

char *_tempnam_r(struct _reent *r, const char *dir, const char *prefix)
{
	(void)dir;
	(void)prefix;
	r->_errno = EROFS;
	return NULL;
}

char *tempnam(const char *dir, const char *prefix)
{
	return _tempnam_r(_REENT, dir, prefix);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	(void)how;
	(void)set;
	if (old)
		*old = 0;
	return posix_fail(ENOSYS);
}
