/*
 * gai_strerror.c - what getaddrinfo's and getnameinfo's EAI_* codes
 * mean, in glibc's words, so a program prints what it would on Linux.
 */
#include <netdb.h>
#include <stddef.h>

static const char *const gai_text[] = {
	[-EAI_BADFLAGS] = "Bad value for ai_flags",
	[-EAI_NONAME] = "Name or service not known",
	[-EAI_AGAIN] = "Temporary failure in name resolution",
	[-EAI_FAIL] = "Non-recoverable failure in name resolution",
	[-EAI_NODATA] = "No address associated with hostname",
	[-EAI_FAMILY] = "ai_family not supported",
	[-EAI_SOCKTYPE] = "ai_socktype not supported",
	[-EAI_SERVICE] = "Servname not supported for ai_socktype",
	[-EAI_ADDRFAMILY] = "Address family for hostname not supported",
	[-EAI_MEMORY] = "Memory allocation failure",
	[-EAI_SYSTEM] = "System error",
	[-EAI_OVERFLOW] = "Argument buffer overflow",
};

const char *gai_strerror(int err)
{
	unsigned int i = -(unsigned int)err;

	if (err < 0 && i < sizeof(gai_text) / sizeof(gai_text[0]) &&
	    gai_text[i] != NULL)
		return gai_text[i];
	return "Unknown error";
}
