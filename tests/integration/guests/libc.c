/*
 * libc - a plain C program using only the C library (newlib) on
 * xenlet's POSIX layer. Each check prints one line that the libc case
 * compares with what it expects (or computes on its own side).
 *
 *   extra = "-n 7 -v rest"   getopt's input; add -a to end with abort()
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static void check_getopt(int argc, char **argv, int *abort_at_end)
{
	int c, n = -1, v = 0;

	while ((c = getopt(argc, argv, "n:va")) != -1) {
		if (c == 'n')
			n = atoi(optarg);
		else if (c == 'v')
			v = 1;
		else if (c == 'a')
			*abort_at_end = 1;
	}
	printf("getopt: n=%d v=%d rest=%s\n", n, v,
	       optind < argc ? argv[optind] : "(none)");
}

static void check_formats(void)
{
	printf("format: %f %.3e %lld %llu %5.2f%%\n", 3.14159, 12345.678,
	       -9007199254740993LL, 18446744073709551615ULL, 99.5);
	printf("strtod: %.6f %.1f\n", strtod("2.5e3", NULL),
	       strtod("-0.125", NULL));
}

/*
 * C99's length modifiers and conversions, as any program printing a
 * size_t uses them: known answers (what glibc prints), one line each.
 * The char-sized scanf target sits between guard bytes: a %hhd that
 * stored an int would overwrite them.
 */
static void check_c99_formats(void)
{
	struct {
		signed char c;
		char guard[7];
	} hh = { 0, "guard!" };
	size_t z = 0;
	long long ll = 0;
	int n;

	printf("c99 ints: %zu %zd %jd %ju %td\n", (size_t)7, (ssize_t)-7,
	       INTMAX_MIN, UINTMAX_MAX, (ptrdiff_t)-3);
	printf("c99 short: %hhd %hhu %hd %lld %llu\n", 300, 511, 70000,
	       -9000000000LL, 9000000000ULL);
	printf("c99 float: %a %a %e %g %g %p\n", 1.0, 3.0, 12345.678, 0.0001234,
	       1e20, (void *)0x1234);
	n = sscanf("18446744073709551615 -5 -9000000000", "%zu %hhd %lld", &z,
		   &hh.c, &ll);
	printf("c99 sscanf: %d %zu %d %lld %s\n", n, z, hh.c, ll, hh.guard);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void check_qsort(void)
{
	static int v[5000];
	unsigned int seed = 12345;
	int i, ok = 1;

	for (i = 0; i < 5000; i++)
		v[i] = (int)(rand_r(&seed) % 100000) - 50000;
	qsort(v, 5000, sizeof(v[0]), cmp_int);
	for (i = 1; i < 5000; i++)
		if (v[i - 1] > v[i])
			ok = 0;
	printf("qsort: %s\n", ok ? "sorted" : "NOT SORTED");
}

/* Random allocations filled with a pattern, checked and freed in random
 * order: the sum written must equal the sum read back. */
static void check_malloc(void)
{
	enum { SLOTS = 256, ROUNDS = 20000 };
	static unsigned char *p[SLOTS];
	static size_t len[SLOTS];
	unsigned long written = 0, read = 0;
	unsigned int seed = 777;
	int r, s;
	size_t i;

	for (r = 0; r < ROUNDS; r++) {
		s = rand_r(&seed) % SLOTS;
		if (p[s]) {
			for (i = 0; i < len[s]; i++)
				read += p[s][i];
			free(p[s]);
			p[s] = NULL;
			continue;
		}
		len[s] = 1 + rand_r(&seed) % (r % 10 == 0 ? 40000 : 600);
		p[s] = malloc(len[s]);
		if (p[s] == NULL) {
			printf("malloc: FAILED at round %d\n", r);
			return;
		}
		for (i = 0; i < len[s]; i++) {
			p[s][i] = (unsigned char)(rand_r(&seed) & 0xff);
			written += p[s][i];
		}
	}
	for (s = 0; s < SLOTS; s++) {
		for (i = 0; p[s] && i < len[s]; i++)
			read += p[s][i];
		free(p[s]);
	}
	printf("malloc: checksum %s (%lu)\n",
	       read == written ? "matches" : "MISMATCH", written);
}

static void check_time(void)
{
	struct timespec a, b, d = { 0, 100 * 1000 * 1000 };
	char buf[64];
	time_t now = time(NULL);
	struct tm *tm = localtime(&now);
	long long ms;

	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", tm);
	printf("time: %lld %s\n", (long long)now, buf);
	clock_gettime(CLOCK_MONOTONIC, &a);
	nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000LL + (b.tv_nsec - a.tv_nsec) / 1000000;
	printf("monotonic: 100 ms sleep %s\n",
	       ms >= 100 && ms < 1000 ? "ok" : "WRONG");
}

/* --- threads: four workers add their share of 1..N under a mutex ------- */

#define N	100000
#define WORKERS 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;
static long long total;
static int finished;

static void *worker(void *arg)
{
	long w = (long)arg;
	long long part = 0;
	long i;

	for (i = w + 1; i <= N; i += WORKERS) {
		part += i;
		if (i % 5000 == 0)
			sched_yield();
	}
	pthread_mutex_lock(&lock);
	total += part;
	finished++;
	pthread_cond_signal(&all_done);
	pthread_mutex_unlock(&lock);
	return (void *)(w * 10);
}

static void *detached_worker(void *arg)
{
	(*(int *)arg)++;
	return NULL;
}

/*
 * 1000 detached threads one after another, each with a 64 KiB stack:
 * 64 MiB in all, twice this guest's memory, so their stacks must be
 * given back when they end, without a join.
 */
static void check_detached(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int i, ran = 0, created = 0;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < 1000; i++) {
		if (pthread_create(&t, &attr, detached_worker, &ran) != 0)
			break;
		created++;
		sched_yield(); /* let it run and end */
	}
	printf("pthreads: %d detached created, %d ran\n", created, ran);
}

static void check_pthreads(void)
{
	pthread_t t[WORKERS];
	long rets = 0;
	long w;

	for (w = 0; w < WORKERS; w++)
		if (pthread_create(&t[w], NULL, worker, (void *)w) != 0)
			printf("pthread_create FAILED\n");
	pthread_mutex_lock(&lock);
	while (finished < WORKERS)
		pthread_cond_wait(&all_done, &lock);
	pthread_mutex_unlock(&lock);
	for (w = 0; w < WORKERS; w++) {
		void *r;

		pthread_join(t[w], &r);
		rets += (long)r;
	}
	printf("pthreads: sum %lld, returns %ld\n", total, rets);
}

/* Each call comes before its errno is read: the order in which a
 * function's arguments are evaluated is unspecified. */
static void check_unsupported(void)
{
	int pid;
	FILE *f;

	errno = 0;
	pid = fork();
	printf("fork: %d %s\n", pid,
	       errno == ENOSYS ? "ENOSYS" : strerror(errno));
	errno = 0;
	f = fopen("/etc/passwd", "r");
	printf("fopen: %s %s\n", f ? "opened" : "NULL",
	       errno == ENOENT ? "ENOENT" : strerror(errno));
}

static void check_system(void)
{
	unsigned char e[32];
	struct utsname u;
	int i, nonzero = 0;

	if (getentropy(e, sizeof(e)) == 0)
		for (i = 0; i < 32; i++)
			nonzero += e[i] != 0;
	printf("getentropy: %s\n", nonzero > 20 ? "ok" : "WEAK");
	uname(&u);
	printf("uname: %s %s, pagesize %ld\n", u.sysname, u.machine,
	       sysconf(_SC_PAGESIZE));
	printf("env: GREETING=%s\n",
	       getenv("GREETING") ? getenv("GREETING") : "(unset)");
}

static void check_stdin(void)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	char line[128];

	printf("poll before input: %d\n", poll(&pfd, 1, 0));
	printf("READY: type a line\n");
	if (fgets(line, sizeof(line), stdin) == NULL) {
		printf("fgets: FAILED\n");
		return;
	}
	line[strcspn(line, "\n")] = '\0';
	printf("got line: [%s]\n", line);
}

static void bye1(void)
{
	printf("atexit 1\n");
}

static void bye2(void)
{
	printf("atexit 2\n");
}

static void bye3(void)
{
	/* Fully buffered from here: only exit's flush can show this. */
	setvbuf(stdout, NULL, _IOFBF, 4096);
	printf("atexit 3\n");
}

int main(int argc, char **argv)
{
	int abort_at_end = 0;

	atexit(bye1);
	atexit(bye2);
	atexit(bye3);
	check_getopt(argc, argv, &abort_at_end);
	check_formats();
	check_c99_formats();
	check_qsort();
	check_malloc();
	check_pthreads();
	check_detached();
	check_unsupported();
	check_system();
	check_time();
	if (abort_at_end) {
		printf("aborting\n");
		abort();
	}
	check_stdin();
	return 0;
}
