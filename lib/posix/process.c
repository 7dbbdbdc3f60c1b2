/*
 * process.c - the guest as one process: _exit, getpid, kill, sbrk, and
 * the process calls a guest cannot do (fork, exec, wait, files by name),
 * which fail with the errno POSIX gives for "not supported here".
 */
#include <errno.h>
#include <signal.h>
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

/* --- no file system (yet): names do not exist ---------------------------- */

int (*fd_open_dev)(const char *path, int flags);

int open(const char *path, int flags, ...)
{
	int fd;

	if (fd_open_dev == NULL || strncmp(path, "/dev/", 5) != 0)
		return posix_fail(ENOENT);
	fd = fd_open_dev(path, flags);
	return fd < 0 ? posix_fail(-fd) : fd;
}

int stat(const char *path, struct stat *st)
{
	(void)path;
	(void)st;
	return posix_fail(ENOENT);
}

int lstat(const char *path, struct stat *st)
{
	return stat(path, st);
}

int link(const char *old, const char *new)
{
	(void)old;
	(void)new;
	return posix_fail(ENOSYS);
}

int unlink(const char *path)
{
	(void)path;
	return posix_fail(ENOENT);
}

int mkdir(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	return posix_fail(ENOSYS);
}

int rename(const char *old, const char *new)
{
	(void)old;
	(void)new;
	return posix_fail(ENOENT);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	(void)how;
	(void)set;
	if (old)
		*old = 0;
	return posix_fail(ENOSYS);
}
