/*
 * string.c - the memory and string functions the compiler and the
 * kernel need in a freestanding build. gcc may emit calls to memcpy,
 * memmove, memset and memcmp itself, for struct copies and
 * initialisation.
 */
#include <xenlet/string.h>

/*
 * memcpy and memset move 8 bytes a step (rep movsq, rep stosq), then
 * the last 0 to 7 bytes one a step: on hardware as fast as the byte
 * forms (what Linux's memcpy did before fast-string CPUs), and 8 times
 * fewer steps under an emulator such as the test host's QEMU, which
 * runs each step of a rep instruction as a pass of its own.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t words = n / 8, bytes = n % 8;

	asm volatile("rep movsq"
		     : "+D"(dst), "+S"(src), "+c"(words)
		     :
		     : "memory");
	asm volatile("rep movsb"
		     : "+D"(dst), "+S"(src), "+c"(bytes)
		     :
		     : "memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n-- > 0) /* overlapping, destination above: copy backwards */
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	size_t words = n / 8, bytes = n % 8;
	unsigned long fill = 0x0101010101010101ul * (unsigned char)c;

	asm volatile("rep stosq"
		     : "+D"(dst), "+c"(words)
		     : "a"(fill)
		     : "memory");
	asm volatile("rep stosb"
		     : "+D"(dst), "+c"(bytes)
		     : "a"(fill)
		     : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n > 0; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}
