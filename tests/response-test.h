/*
 * response-test.h - helpers shared by the response decoder's test programs.
 */
#ifndef RDMS_RESPONSE_TEST_H
#define RDMS_RESPONSE_TEST_H

#include "response.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>

#define SOAP12 RDMS_NS_SOAP
#define WSMAN  RDMS_NS_WSMAN
#define WSA    RDMS_NS_WSA
#define WSEN   RDMS_NS_WSEN
#define FAULT_ACTION "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"
#define WSA_FAULT    "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault"
#define WSEN_FAULT   "http://schemas.xmlsoap.org/ws/2004/09/enumeration/fault"
#define WMI_BASE     "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/"

static char captures[4096];   /* $RDMS_CAPTURES/responses (optional, extra check) */
static char fixtures[4096];   /* $RDMS_TEST_DATA/responses (the project's own) */

static inline int
have_captures(void)
{
	const char *c = getenv("RDMS_CAPTURES");
	struct stat sb;

	if (c == NULL || *c == '\0')
		return 0;
	snprintf(captures, sizeof(captures), "%s/responses", c);
	return stat(captures, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static inline char *
slurp(const char *path, size_t *len)
{
	struct stat sb;
	char *buf;
	FILE *f = fopen(path, "rb");

	ck_assert_msg(f != NULL, "cannot open %s: %s", path, strerror(errno));
	ck_assert_int_eq(fstat(fileno(f), &sb), 0);
	buf = malloc((size_t)sb.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, (size_t)sb.st_size, f);
	ck_assert_uint_eq(*len, (size_t)sb.st_size);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* The file in dir whose name starts with "NNN-". */
static inline char *
numbered(const char *dir, const char *num, size_t *len)
{
	char path[4096 + 260];
	struct dirent *e;
	DIR *d = opendir(dir);

	ck_assert_msg(d != NULL, "cannot list %s", dir);
	path[0] = '\0';
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, num, 3) == 0 && e->d_name[3] == '-')
			snprintf(path, sizeof(path), "%.4000s/%.250s", dir, e->d_name);
	closedir(d);
	ck_assert_msg(path[0] != '\0', "no file %s- in %s", num, dir);
	return slurp(path, len);
}

static inline char *
capture(const char *num, size_t *len)
{
	return numbered(captures, num, len);
}

/* tests/data/responses/NNN-*: written for the project, described in
 * tests/data/responses/INDEX.md. */
static inline char *
fixture(const char *num, size_t *len)
{
	const char *d = getenv("RDMS_TEST_DATA");

	ck_assert_msg(d != NULL, "RDMS_TEST_DATA is not set (make check sets it)");
	snprintf(fixtures, sizeof(fixtures), "%.4000s/responses", d);
	return numbered(fixtures, num, len);
}

static inline char *
hostile(const char *name, size_t *len)
{
	char path[4096 + 260];

	ck_assert_ptr_nonnull(getenv("RDMS_TEST_DATA"));
	snprintf(path, sizeof(path), "%.4000s/hostile/%.250s", getenv("RDMS_TEST_DATA"), name);
	return slurp(path, len);
}

static inline rdms_result *
parse_buf(const char *what, char *buf, size_t len, int want_rc, const rdms_parse_options *o)
{
	rdms_result *r = NULL;
	int rc = rdms_response_parse(&r, buf, len, o);

	ck_assert_msg(rc == want_rc, "%s: rc %s, want %s: %s", what, rdms_err_name(rc),
	    rdms_err_name(want_rc), rdms_error_last()->message);
	ck_assert_ptr_nonnull(r);
	free(buf);
	return r;
}

/* A capture of ../shared/captures/responses, by number. */
static inline rdms_result *
parse_num(const char *num, int want_rc, const rdms_parse_options *o)
{
	size_t len;
	char *buf = capture(num, &len);

	return parse_buf(num, buf, len, want_rc, o);
}

/* One of the project's fixtures, by number. */
static inline rdms_result *
parse_fix(const char *num, int want_rc, const rdms_parse_options *o)
{
	size_t len;
	char *buf = fixture(num, &len);

	return parse_buf(num, buf, len, want_rc, o);
}

/* The thread's last error message contains needle. */
static inline void
assert_msg_has(const char *needle)
{
	const char *m = rdms_error_last()->message;

	ck_assert_msg(strstr(m, needle) != NULL, "message \"%s\" lacks \"%s\"", m, needle);
}

static inline void
str_eq(const char *got, const char *want)
{
	if (want == NULL)
		ck_assert_msg(got == NULL, "got \"%s\", want NULL", got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0, "got \"%s\", want \"%s\"",
		    got ? got : "(null)", want);
}

static inline void
str_prefix(const char *got, const char *want)
{
	ck_assert_msg(got != NULL && strncmp(got, want, strlen(want)) == 0,
	    "got \"%s\", want it to start with \"%s\"", got ? got : "(null)", want);
}

/* Text of the j-th out item named name (it must be there). */
static inline const char *
out(const rdms_result *r, const char *name, size_t j)
{
	const rdms_item *it = rdms_result_out(r, name, j);

	ck_assert_msg(it != NULL, "no item %s[%zu]", name, j);
	return rdms_item_text(it);
}

/* Text of an instance's property name (it must be there). */
static inline const char *
prop(const rdms_item *inst, const char *name)
{
	const rdms_item *it = rdms_item_find(inst, name);

	ck_assert_msg(it != NULL, "no property %s", name);
	return rdms_item_text(it);
}

/* How many children of it are xsi:nil. */
static inline size_t
count_nil(const rdms_item *it)
{
	size_t i, n = 0;

	for (i = 0; i < rdms_item_child_count(it); i++)
		n += rdms_item_is_nil(rdms_item_child(it, i)) != 0;
	return n;
}

/* Run a suite, release libxml2's globals (valgrind counts them), and give
 * main's exit status. */
static inline int
run_suite(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	xmlCleanupParser();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
