/*
 * time.c - clocks and sleeping: gettimeofday, clock_gettime,
 * clock_getres, nanosleep, sleep, usleep, times.
 *
 * CLOCK_MONOTONIC is Xen system time (nanoseconds since the host
 * booted); CLOCK_REALTIME is Xen's wall clock (system time plus the
 * boot time Xen keeps in shared_info, see xen/time.c). Nothing here sets
 * the clock: a guest cannot.
 */
#include <errno.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include <xenlet/posix.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>

/* times() and clock() count in these ticks: newlib's CLOCKS_PER_SEC. */
#define TICKS_PER_SEC 1000

static void ns_to_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	switch (clock) {
	case CLOCK_REALTIME:
		ns_to_timespec(xen_wallclock_ns(), ts);
		return 0;
	case CLOCK_MONOTONIC:
		ns_to_timespec(xen_system_time_ns(), ts);
		return 0;
	}
	return posix_fail(EINVAL);
}

int clock_getres(clockid_t clock, struct timespec *res)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return posix_fail(EINVAL);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1; /* extrapolated from the TSC */
	}
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	uint64_t ns = xen_wallclock_ns();

	(void)tz; /* obsolete: always UTC */
	if (tv) {
		tv->tv_sec = (time_t)(ns / NSEC_PER_SEC);
		tv->tv_usec = (suseconds_t)(ns % NSEC_PER_SEC / 1000);
	}
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (req == NULL || req->tv_sec < 0 || req->tv_nsec < 0 ||
	    req->tv_nsec >= (long)NSEC_PER_SEC)
		return posix_fail(EINVAL);
	thread_sleep((uint64_t)req->tv_sec * NSEC_PER_SEC +
		     (uint64_t)req->tv_nsec);
	if (rem) /* no signals interrupt a sleep */
		rem->tv_sec = rem->tv_nsec = 0;
	return 0;
}

unsigned int sleep(unsigned int seconds)
{
	thread_sleep((uint64_t)seconds * NSEC_PER_SEC);
	return 0;
}

int usleep(useconds_t us)
{
	thread_sleep((uint64_t)us * 1000);
	return 0;
}

/* The whole guest is one process: its CPU time is the time its vCPU
 * has run, as Xen counts it, from the first call (xenlet keeps no
 * per-thread accounting). Not the time since boot: that would count
 * the time the guest slept, and the time Xen ran other domains. */
clock_t times(struct tms *t)
{
	static uint64_t start;
	uint64_t now = xen_running_ns();
	clock_t ticks;

	if (start == 0)
		start = now;
	ticks = (clock_t)((now - start) / (NSEC_PER_SEC / TICKS_PER_SEC));
	if (t) {
		t->tms_utime = ticks;
		t->tms_stime = 0;
		t->tms_cutime = 0;
		t->tms_cstime = 0;
	}
	return ticks;
}
