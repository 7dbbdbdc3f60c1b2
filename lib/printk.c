/*
 * printk.c - formatted output to the console.
 *
 * Output is gathered in a small buffer and written to the console ring
 * in pieces, so one printk costs a few ring updates, not one per byte.
 */
#include <xenlet/console.h>
#include <xenlet/printk.h>

struct printk_buf {
	char data[128];
	size_t len;
};

static void printk_put(void *ctx, const char *s, size_t n)
{
	struct printk_buf *b = ctx;

	while (n > 0) {
		size_t room = sizeof(b->data) - b->len;
		size_t chunk = n < room ? n : room;
		size_t i;

		for (i = 0; i < chunk; i++)
			b->data[b->len + i] = s[i];
		b->len += chunk;
		s += chunk;
		n -= chunk;
		if (b->len == sizeof(b->data)) {
			console_write(b->data, b->len);
			b->len = 0;
		}
	}
}

int vprintk(const char *fmt, va_list ap)
{
	struct printk_buf b = { .len = 0 };
	int n = vformat(printk_put, &b, fmt, ap);

	console_write(b.data, b.len);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
