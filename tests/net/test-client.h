/*
 * test-client.h - what the test clients of librdms (tests/net/rdms-call,
 * tests/e2e/multi) read from their command line: the auth mode by name
 * and a password from a file, never from argv.
 */
#ifndef RDMS_TEST_CLIENT_H
#define RDMS_TEST_CLIENT_H

#include <stdio.h>
#include <string.h>

#include "rdms.h"

/* -a negotiate|kerberos|ntlm|basic|none; anything else is Negotiate. */
static inline rdms_auth
test_auth(const char *name)
{
	return strcmp(name, "kerberos") == 0 ? RDMS_AUTH_KERBEROS
	       : strcmp(name, "ntlm") == 0 ? RDMS_AUTH_NTLM
	       : strcmp(name, "basic") == 0 ? RDMS_AUTH_BASIC
	       : strcmp(name, "none") == 0 ? RDMS_AUTH_NONE : RDMS_AUTH_NEGOTIATE;
}

/* The first line of path, in a static buffer the caller wipes after use;
 * NULL when it cannot be read. */
static inline char *
test_read_password(const char *path)
{
	static char buf[512];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

#endif
