/*
 * envelope-test.h - the fixed options, parameter lists and captures
 * directory the envelope tests share (the header-shape comparison is in
 * envelope-shape.h).
 */
#ifndef RDMS_ENVELOPE_TEST_H
#define RDMS_ENVELOPE_TEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "internal.h"
#include "envelope-shape.h"

#define URI_VDC RDMS_RESOURCE_URI_BASE "Win32_RDMSVirtualDesktopCollection"

static inline rdms_request_options
fixed_opts(void)
{
	rdms_request_options o = RDMS_REQUEST_OPTIONS_INIT;

	o.to = "https://broker.corp:5986/wsman";
	o.message_id = "uuid:11111111-2222-3333-4444-555555555555";
	return o;
}

static inline rdms_params *
params_of(const char *a, const char *b)
{
	rdms_params *p;

	ck_assert_int_eq(rdms_params_new(&p), 0);
	if (a)
		ck_assert_int_eq(rdms_params_add_arg(p, a), 0);
	if (b)
		ck_assert_int_eq(rdms_params_add_arg(p, b), 0);
	return p;
}

static inline void
expect_usage(int rc, const char *needle)
{
	ck_assert_int_eq(rc, RDMS_EUSAGE);
	ck_assert_msg(strstr(rdms_error_last()->message, needle) != NULL,
	    "message \"%s\" lacks \"%s\"", rdms_error_last()->message, needle);
}

static inline const char *
captures(void)
{
	const char *d = getenv("RDMS_CAPTURES");
	static char probe[4096];

	if (d == NULL)
		return NULL;
	snprintf(probe, sizeof(probe), "%s/INDEX.md", d);
	return access(probe, R_OK) == 0 ? d : NULL;
}

#endif
