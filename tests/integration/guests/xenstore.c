/*
 * xenstore - the XenStore client against the real xenstored: the
 * guest's own keys, error values, directories, permissions, many
 * requests in flight, two conflicting transactions, and a watch that
 * dom0 fires (tests/integration/cases/xenstore.sh).
 */
#include <xen/errno.h>
#include <xenlet/heap.h>
#include <xenlet/string.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>
#include <xenlet/xenstore.h>

static int failures;

static void check(int ok, const char *what)
{
	printk("xs: %s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

static void own_keys(void)
{
	char *name = NULL, *vm = NULL;
	unsigned long domid = 0;

	check(xs_read(XBT_NIL, "name", &name, NULL) == 0, "read name");
	check(xs_read_ulong(XBT_NIL, "domid", 0xffff, &domid) == 0,
	      "read domid");
	check(xs_read(XBT_NIL, "vm", &vm, NULL) == 0, "read vm");
	printk("xs: name=%s domid=%lu vm=%s\n", name ? name : "?", domid,
	       vm ? vm : "?");
	kfree(name);
	kfree(vm);
}

static void errors(void)
{
	char *v;
	int rc;

	rc = xs_read(XBT_NIL, "data/no/such/key", &v, NULL);
	printk("xs: read of a missing key: %d\n", rc);
	check(rc == -XEN_ENOENT, "missing key is -ENOENT");
	rc = xs_write(XBT_NIL, "/local/domain/0/xenlet-test", "x");
	printk("xs: write into dom0's directory: %d\n", rc);
	check(rc == -XEN_EACCES, "dom0's keys are -EACCES");
}

static int has_name(char **names, int n, const char *want)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], want) == 0)
			return 1;
	return 0;
}

static void tree(void)
{
	char **names, *v = NULL, home[32];
	struct xs_perm perms[4];
	unsigned long domid = 0;
	int n = 0, rc;

	check(xs_mkdir(XBT_NIL, "data/tree") == 0, "mkdir");
	check(xs_write(XBT_NIL, "data/tree/a", "1") == 0, "write a");
	check(xs_write(XBT_NIL, "data/tree/b", "2") == 0, "write b");
	rc = xs_directory(XBT_NIL, "data/tree", &names, &n);
	check(rc == 0 && n == 2 && has_name(names, n, "a") &&
		      has_name(names, n, "b"),
	      "directory lists a and b");
	if (rc == 0)
		kfree(names);
	xs_read_ulong(XBT_NIL, "domid", 0xffff, &domid);
	snprintk(home, sizeof(home), "/local/domain/%lu", domid);
	rc = xs_directory(XBT_NIL, home, &names, &n);
	check(rc == 0 && has_name(names, n, "name") &&
		      has_name(names, n, "control"),
	      "own directory has name and control");
	if (rc == 0)
		kfree(names);
	rc = xs_get_perms(XBT_NIL, "data/tree/a", perms, 4);
	printk("xs: perms of data/tree/a: %d entries, first %c%u\n", rc,
	       rc > 0 ? perms[0].perm : '?', rc > 0 ? perms[0].domid : 0);
	check(rc >= 1, "get perms");
	if (rc >= 1) {
		/* Keep ownership, let dom0... and everyone read it. */
		perms[0].perm = XS_PERM_READ;
		check(xs_set_perms(XBT_NIL, "data/tree/a", perms, 1) == 0,
		      "set perms");
		rc = xs_get_perms(XBT_NIL, "data/tree/a", perms, 4);
		check(rc >= 1 && perms[0].perm == XS_PERM_READ,
		      "perms read back");
	}
	check(xs_rm(XBT_NIL, "data/tree") == 0, "rm");
	check(xs_read(XBT_NIL, "data/tree/a", &v, NULL) == -XEN_ENOENT,
	      "gone after rm");
}

/* --- many requests in flight from many threads --------------------------- */

#define WORKERS 8
#define ROUNDS	25

static void worker(void *arg)
{
	long id = (long)arg;
	char path[32], want[32];
	int i, bad = 0;

	for (i = 0; i < ROUNDS; i++) {
		char *got = NULL;

		snprintk(path, sizeof(path), "data/w%ld", id);
		snprintk(want, sizeof(want), "%ld-%d", id, i);
		if (xs_write(XBT_NIL, path, want) < 0 ||
		    xs_read(XBT_NIL, path, &got, NULL) < 0 ||
		    strcmp(got, want) != 0)
			bad++;
		kfree(got);
	}
	thread_exit(bad);
}

static void in_flight(void)
{
	struct thread *t[WORKERS];
	int bad = 0;
	long i;

	for (i = 0; i < WORKERS; i++)
		t[i] = thread_create("worker", worker, (void *)i, 0);
	for (i = 0; i < WORKERS; i++)
		bad += thread_join(t[i]);
	printk("xs: %d threads x %d write+read: %d wrong\n", WORKERS, ROUNDS,
	       bad);
	check(bad == 0, "requests in flight");
}

/* --- two conflicting transactions ------------------------------------------ */

/*
 * A and B both read data/counter inside their transactions before
 * either writes; A commits first, so B's commit must fail with EAGAIN
 * and B's second try (which reads A's value) lands.
 */
struct txn_arg {
	const char *who;
	struct semaphore *mine, *other;
	int attempts;
};

static struct semaphore a_read, b_read, a_done;

static int increment(xs_transaction_t t, void *p)
{
	struct txn_arg *a = p;
	unsigned long v = 0;
	int rc;

	a->attempts++;
	rc = xs_read_ulong(t, "data/counter", 1000, &v);
	if (rc < 0 && rc != -XEN_ENOENT)
		return rc;
	if (a->attempts == 1) { /* force the interleaving, first try only */
		sem_up(a->mine);
		sem_down(a->other, 0);
	}
	return xs_write_ulong(t, "data/counter", v + 1);
}

static void txn_thread(void *p)
{
	struct txn_arg *a = p;
	int tries, rc = xs_transaction_run(increment, a, 5, &tries);

	printk("xs: transaction %s: %d after %d tries\n", a->who, rc, tries);
	if (a->mine == &a_read)
		sem_up(&a_done);
	thread_exit(rc == 0 ? tries : -1);
}

static void transactions(void)
{
	struct txn_arg a = { "A", &a_read, &b_read, 0 };
	struct txn_arg b = { "B", &b_read, &a_done, 0 };
	struct thread *ta, *tb;
	unsigned long v = 0;
	int ra, rb;

	sem_init(&a_read, 0);
	sem_init(&b_read, 0);
	sem_init(&a_done, 0);
	xs_rm(XBT_NIL, "data/counter");
	ta = thread_create("txn-a", txn_thread, &a, 0);
	tb = thread_create("txn-b", txn_thread, &b, 0);
	ra = thread_join(ta);
	rb = thread_join(tb);
	xs_read_ulong(XBT_NIL, "data/counter", 1000, &v);
	printk("xs: transactions: A tries %d, B tries %d, counter %lu\n", ra,
	       rb, v);
	check(ra == 1 && rb == 2 && v == 2, "conflict retried, both landed");
}

/* --- a watch fired by dom0 ------------------------------------------------- */

static void watch(void)
{
	struct xs_watch w;
	uint64_t deadline = xen_system_time_ns() + 60 * NSEC_PER_SEC;
	char *path, *v;
	int rc;

	xs_rm(XBT_NIL, "data/ping");
	rc = xs_watch(&w, "data/ping", NULL, NULL);
	check(rc == 0, "watch set");
	if (rc < 0)
		return;
	/* xenstored fires every new watch once at once. */
	rc = xs_watch_wait(&w, &path, deadline);
	check(rc == 0, "initial watch event");
	if (rc == 0)
		kfree(path);
	printk("xs: watch: ready\n");
	for (;;) {
		rc = xs_watch_wait(&w, &path, deadline);
		if (rc < 0)
			break;
		kfree(path);
		if (xs_read(XBT_NIL, "data/ping", &v, NULL) == 0) {
			printk("xs: watch: got %s\n", v);
			kfree(v);
			break;
		}
	}
	check(rc == 0, "watch fired by dom0");
	xs_unwatch(&w, "data/ping");
}

int main(int argc, char **argv)
{
	struct xs_stats s;

	(void)argc;
	(void)argv;
	own_keys();
	errors();
	tree();
	in_flight();
	transactions();
	watch();
	xs_get_stats(&s);
	printk("xs: %lu requests, %lu replies, %lu events, %lu dropped, "
	       "%lu malformed\n",
	       s.requests, s.replies, s.events, s.dropped, s.malformed);
	printk("xs: %d failures\n", failures);
	return failures == 0 ? 0 : 1;
}
