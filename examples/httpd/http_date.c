/*
 * http_date.c - HTTP-dates (RFC 7231 7.1.1.1) for Last-Modified, Date
 * and If-Modified-Since: "Sun, 06 Nov 1994 08:49:37 GMT", always UTC.
 *
 * The calendar arithmetic is done here rather than with gmtime/timegm
 * (newlib has no timegm): days since 1970-01-01 to and from a proleptic
 * Gregorian date, by whole 400-year eras of 146097 days.
 */
#include <string.h>
#include "http.h"

static const char days[7][4] = {
	"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"
}; /* 1970-01-01: Thu */
static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Days from 1970-01-01 to y-m-d (m 1..12), counting years from March so
 * that the leap day ends the year. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void http_date_format(int64_t t, char out[HTTP_DATE_LEN + 1])
{
	int64_t z, s, y;
	int m, d;

	/* Years 0..9999 fit the four digits of the format. */
	if (t < -62167219200LL)
		t = -62167219200LL;
	if (t > 253402300799LL)
		t = 253402300799LL;
	z = (t >= 0 ? t : t - 86399) / 86400;
	s = t - z * 86400;
	civil_from_days(z, &y, &m, &d);
	memcpy(out, days[((z % 7) + 7) % 7], 3);
	memcpy(out + 3, ", ", 2);
	put2(out + 5, d);
	out[7] = ' ';
	memcpy(out + 8, months[m - 1], 3);
	out[11] = ' ';
	put2(out + 12, (int)(y / 100));
	put2(out + 14, (int)(y % 100));
	out[16] = ' ';
	put2(out + 17, (int)(s / 3600));
	out[19] = ':';
	put2(out + 20, (int)(s / 60 % 60));
	out[22] = ':';
	put2(out + 23, (int)(s % 60));
	memcpy(out + 25, " GMT", 5);
}

/* n digits at p, or -1. */
static int digits(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int month_of(const char *p)
{
	for (int i = 0; i < 12; i++)
		if (memcmp(p, months[i], 3) == 0)
			return i + 1;
	return -1;
}

int http_date_parse(const char *s, size_t len, int64_t *t)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };
	int d, m, y, hh, mm, ss, cm, cd;
	int64_t z, cy;

	if (len != HTTP_DATE_LEN || memcmp(s + 3, ", ", 2) != 0 ||
	    s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
	    s[22] != ':' || memcmp(s + 25, " GMT", 4) != 0)
		return -1;
	d = digits(s + 5, 2);
	m = month_of(s + 8);
	y = digits(s + 12, 4);
	hh = digits(s + 17, 2);
	mm = digits(s + 20, 2);
	ss = digits(s + 23, 2);
	if (d < 1 || m < 0 || y < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
	    ss < 0 || ss > 60 || d > mdays[m - 1])
		return -1;
	z = days_from_civil(y, m, d);
	civil_from_days(z, &cy, &cm, &cd);
	if (cd != d)
		return -1; /* 29 Feb of a common year */
	if (memcmp(s, days[((z % 7) + 7) % 7], 3) != 0)
		return -1; /* the weekday must agree */
	*t = z * 86400 + hh * 3600 + mm * 60 + (ss == 60 ? 59 : ss);
	return 0;
}
