/*
 * poll.c - poll() and select() over the descriptor table.
 *
 * Each file reports the events ready now (ops->poll). If none is ready
 * the caller sleeps on one wait queue that every file wakes when its
 * readiness may have changed (fd_poll_wake), then checks all again:
 * simple, and correct for the handful of descriptors a guest has.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/select.h>
#include <xenlet/fd.h>
#include <xenlet/posix.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>

extern struct waitq fd_poll_waitq; /* fd.c */

/* Fill revents; returns how many entries have some. */
static int poll_scan(struct pollfd *fds, nfds_t nfds)
{
	int ready = 0;
	nfds_t i;

	for (i = 0; i < nfds; i++) {
		struct file *f = fd_get(fds[i].fd);
		int ev;

		if (fds[i].fd < 0) { /* POSIX: ignored */
			fds[i].revents = 0;
			continue;
		}
		if (f == NULL)
			ev = POLLNVAL;
		else if (f->ops->poll == NULL)
			ev = POLLIN | POLLOUT; /* never blocks */
		else
			ev = f->ops->poll(f);
		fds[i].revents =
			ev & (fds[i].events | POLLERR | POLLHUP | POLLNVAL);
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

/* timeout_ns < 0: wait for ever. */
static int poll_ns(struct pollfd *fds, nfds_t nfds, int64_t timeout_ns)
{
	uint64_t deadline = 0;
	int ready;

	if (timeout_ns > 0)
		deadline = xen_system_time_ns() + (uint64_t)timeout_ns;
	for (;;) {
		ready = poll_scan(fds, nfds);
		if (ready > 0 || timeout_ns == 0)
			return ready;
		if (deadline && xen_system_time_ns() >= deadline)
			return 0;
		waitq_wait(&fd_poll_waitq, deadline);
	}
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	if (nfds > FD_MAX * 4)
		return posix_fail(EINVAL);
	return poll_ns(fds, nfds,
		       timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000000);
}

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	struct pollfd fds[FD_MAX];
	int64_t timeout_ns = -1;
	nfds_t n = 0;
	int fd, ready = 0;

	/* An fd_set holds FD_SETSIZE (newlib: 64) descriptors; poll()
	 * reaches them all. */
	if (nfds < 0 || nfds > FD_MAX || nfds > FD_SETSIZE)
		return posix_fail(EINVAL);
	if (tv != NULL) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0)
			return posix_fail(EINVAL);
		timeout_ns = (int64_t)tv->tv_sec * 1000000000 +
			     (int64_t)tv->tv_usec * 1000;
	}
	for (fd = 0; fd < nfds; fd++) {
		short ev = 0;

		if (rd && FD_ISSET(fd, rd))
			ev |= POLLIN;
		if (wr && FD_ISSET(fd, wr))
			ev |= POLLOUT;
		if (ex && FD_ISSET(fd, ex))
			ev |= POLLPRI;
		if (ev == 0)
			continue;
		if (fd_get(fd) == NULL)
			return posix_fail(EBADF);
		fds[n++] = (struct pollfd){ .fd = fd, .events = ev };
	}
	if (poll_ns(fds, n, timeout_ns) < 0)
		return -1;
	if (rd)
		FD_ZERO(rd);
	if (wr)
		FD_ZERO(wr);
	if (ex)
		FD_ZERO(ex);
	for (nfds_t i = 0; i < n; i++) {
		if (rd && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
			FD_SET(fds[i].fd, rd);
			ready++;
		}
		if (wr && (fds[i].revents & (POLLOUT | POLLERR))) {
			FD_SET(fds[i].fd, wr);
			ready++;
		}
		if (ex && (fds[i].revents & POLLPRI)) {
			FD_SET(fds[i].fd, ex);
			ready++;
		}
	}
	return ready;
}
