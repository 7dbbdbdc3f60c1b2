/*
 * chargen.h - the character generator stream of RFC 864, which the
 * chargen service (port 19) writes and a client can check byte by
 * byte: lines of 72 printable ASCII characters (0x20-0x7e) then CR LF,
 * each line starting one character further along the 95 printables.
 * The stream repeats every 95 lines.
 */
#ifndef ECHO_CHARGEN_H
#define ECHO_CHARGEN_H

#define CHARGEN_LINE   74 /* 72 characters, CR, LF */
#define CHARGEN_PERIOD (95 * CHARGEN_LINE)

/* The byte at offset off of the stream. */
static inline unsigned char chargen_byte(unsigned long long off)
{
	unsigned long long line = off / CHARGEN_LINE;
	unsigned int col = (unsigned int)(off % CHARGEN_LINE);

	if (col == 72)
		return '\r';
	if (col == 73)
		return '\n';
	return (unsigned char)(' ' + (line + col) % 95);
}

#endif
