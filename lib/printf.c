/*
 * printf.c - the format engine behind printk and snprintk.
 *
 * One pass over the format string: literal text goes to the sink as is;
 * each conversion is parsed into a struct spec, its argument fetched,
 * and the field built in a small buffer and padded. Output is produced
 * through a sink so that the same code serves the console (which must
 * never drop bytes) and fixed-size buffers (which truncate).
 */
#include <stdint.h>
#include <xenlet/printk.h>

struct spec {
	int left;  /* '-': pad on the right */
	int plus;  /* '+': sign on non-negative numbers */
	int space; /* ' ': space on non-negative numbers */
	int alt;   /* '#': 0x prefix, leading octal 0 */
	int zero;  /* '0': pad numbers with zeros */
	int width;
	int prec; /* -1: none given */
	int size; /* sizeof the integer argument */
	char conv;
};

/* Counts what it emits, so callers can return the C99 length. */
struct out {
	format_sink_t sink;
	void *ctx;
	int count;
};

static void emit(struct out *o, const char *s, size_t n)
{
	if (n == 0)
		return;
	o->sink(o->ctx, s, n);
	o->count += (int)n;
}

static void emit_repeat(struct out *o, char c, int n)
{
	char pad[16];
	int i;

	for (i = 0; i < (int)sizeof(pad); i++)
		pad[i] = c;
	while (n > 0) {
		int chunk = n < (int)sizeof(pad) ? n : (int)sizeof(pad);
		emit(o, pad, (size_t)chunk);
		n -= chunk;
	}
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse flags, width, precision and length; returns the conversion. */
static const char *parse_spec(const char *p, struct spec *s, va_list *ap)
{
	*s = (struct spec){ .prec = -1, .size = sizeof(int) };

	for (;; p++) {
		if (*p == '-')
			s->left = 1;
		else if (*p == '+')
			s->plus = 1;
		else if (*p == ' ')
			s->space = 1;
		else if (*p == '#')
			s->alt = 1;
		else if (*p == '0')
			s->zero = 1;
		else
			break;
	}
	if (*p == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) { /* C99: a negative width is '-' */
			s->left = 1;
			s->width = -s->width;
		}
		p++;
	} else {
		while (is_digit(*p))
			s->width = s->width * 10 + (*p++ - '0');
	}
	if (*p == '.') {
		p++;
		s->prec = 0;
		if (*p == '*') {
			s->prec = va_arg(*ap, int);
			if (s->prec < 0) /* C99: as if omitted */
				s->prec = -1;
			p++;
		} else {
			while (is_digit(*p))
				s->prec = s->prec * 10 + (*p++ - '0');
		}
	}
	switch (*p) {
	case 'h':
		s->size = (p[1] == 'h') ? sizeof(char) : sizeof(short);
		p += (p[1] == 'h') ? 2 : 1;
		break;
	case 'l':
		s->size = (p[1] == 'l') ? sizeof(long long) : sizeof(long);
		p += (p[1] == 'l') ? 2 : 1;
		break;
	case 'z':
		s->size = sizeof(size_t);
		p++;
		break;
	case 'j':
		s->size = sizeof(intmax_t);
		p++;
		break;
	case 't':
		s->size = sizeof(ptrdiff_t);
		p++;
		break;
	}
	s->conv = *p;
	return p;
}

/* Fetch an integer argument of the spec's size, as 64 bits. */
static uint64_t fetch_unsigned(const struct spec *s, va_list *ap)
{
	if (s->size == sizeof(long long))
		return va_arg(*ap, unsigned long long);
	if (s->size == sizeof(short))
		return (unsigned short)va_arg(*ap, unsigned int);
	if (s->size == sizeof(char))
		return (unsigned char)va_arg(*ap, unsigned int);
	return va_arg(*ap, unsigned int);
}

static int64_t fetch_signed(const struct spec *s, va_list *ap)
{
	if (s->size == sizeof(long long))
		return va_arg(*ap, long long);
	if (s->size == sizeof(short))
		return (short)va_arg(*ap, int);
	if (s->size == sizeof(char))
		return (signed char)va_arg(*ap, int);
	return va_arg(*ap, int);
}

/* Emit prefix, zeros and digits, padded to the field width. */
static void emit_number(struct out *o, const struct spec *s, const char *prefix,
			const char *digits, int ndigits)
{
	int plen = 0, zeros = 0, pad;

	while (prefix[plen])
		plen++;
	if (s->prec > ndigits)
		zeros = s->prec - ndigits;
	pad = s->width - plen - zeros - ndigits;
	if (s->zero && !s->left && s->prec < 0 && pad > 0) {
		zeros += pad; /* '0' flag: zeros go after the sign */
		pad = 0;
	}
	if (!s->left)
		emit_repeat(o, ' ', pad);
	emit(o, prefix, (size_t)plen);
	emit_repeat(o, '0', zeros);
	emit(o, digits, (size_t)ndigits);
	if (s->left)
		emit_repeat(o, ' ', pad);
}

static void format_integer(struct out *o, const struct spec *s, va_list *ap)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	const char *digitset = (s->conv == 'X') ? upper : lower;
	unsigned base = 10;
	char buf[24]; /* 2^64 in octal needs 22 digits */
	char *d = buf + sizeof(buf);
	const char *prefix = "";
	struct spec t = *s;
	uint64_t v;

	if (s->conv == 'd' || s->conv == 'i') {
		int64_t sv = fetch_signed(s, ap);
		v = sv < 0 ? -(uint64_t)sv : (uint64_t)sv;
		if (sv < 0)
			prefix = "-";
		else if (s->plus)
			prefix = "+";
		else if (s->space)
			prefix = " ";
	} else {
		v = fetch_unsigned(s, ap);
		if (s->conv == 'o')
			base = 8;
		else if (s->conv == 'x' || s->conv == 'X')
			base = 16;
	}
	while (v != 0) {
		*--d = digitset[v % base];
		v /= base;
	}
	/* A zero value prints "0", except with an explicit precision of 0. */
	if (d == buf + sizeof(buf) && s->prec != 0)
		*--d = '0';
	if (s->alt && base == 16 && d != buf + sizeof(buf) && *d != '0')
		prefix = (s->conv == 'X') ? "0X" : "0x";
	if (s->alt && base == 8 && (d == buf + sizeof(buf) || *d != '0'))
		*--d = '0'; /* '#' with 'o': the first digit is a zero */
	emit_number(o, &t, prefix, d, (int)(buf + sizeof(buf) - d));
}

static void format_pointer(struct out *o, const struct spec *s, va_list *ap)
{
	uintptr_t v = (uintptr_t)va_arg(*ap, void *);
	struct spec t = *s;
	char buf[16];
	char *d = buf + sizeof(buf);

	if (v == 0) { /* as glibc prints it */
		t.prec = -1;
		t.zero = 0;
		emit_number(o, &t, "", "(nil)", 5);
		return;
	}
	while (v != 0) {
		*--d = "0123456789abcdef"[v & 15];
		v >>= 4;
	}
	emit_number(o, &t, "0x", d, (int)(buf + sizeof(buf) - d));
}

static void format_string(struct out *o, const struct spec *s, const char *str)
{
	int len = 0, pad;

	if (str == NULL)
		str = "(null)";
	/* With a precision, read no further than it: str may not end. */
	while ((s->prec < 0 || len < s->prec) && str[len])
		len++;
	pad = s->width - len;
	if (!s->left)
		emit_repeat(o, ' ', pad);
	emit(o, str, (size_t)len);
	if (s->left)
		emit_repeat(o, ' ', pad);
}

int vformat(format_sink_t sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { .sink = sink, .ctx = ctx };
	struct spec s;
	va_list args;
	const char *p;
	char c;

	va_copy(args, ap);
	for (p = fmt; *p; p++) {
		const char *lit = p;

		while (*p && *p != '%')
			p++;
		emit(&o, lit, (size_t)(p - lit));
		if (*p == '\0')
			break;
		p = parse_spec(p + 1, &s, &args);
		switch (s.conv) {
		case 'd':
		case 'i':
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			format_integer(&o, &s, &args);
			break;
		case 'c':
			c = (char)va_arg(args, int);
			s.prec = 1;
			format_string(&o, &s, &c);
			break;
		case 's':
			format_string(&o, &s, va_arg(args, const char *));
			break;
		case 'p':
			format_pointer(&o, &s, &args);
			break;
		case '%':
			emit(&o, "%", 1);
			break;
		case '\0': /* a lone '%' at the end */
			p--;
			break;
		default: /* unknown: print it as written */
			emit(&o, "%", 1);
			emit(&o, p, 1);
			break;
		}
	}
	va_end(args);
	return o.count;
}

/* A sink that fills a fixed buffer and drops what does not fit. */
struct buf_sink {
	char *buf;
	size_t size;
	size_t len;
};

static void buf_put(void *ctx, const char *s, size_t n)
{
	struct buf_sink *b = ctx;
	size_t i;

	for (i = 0; i < n; i++, b->len++)
		if (b->size && b->len < b->size - 1)
			b->buf[b->len] = s[i];
}

int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { .buf = buf, .size = size };
	int n = vformat(buf_put, &b, fmt, ap);

	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int snprintk(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintk(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
