/*
 * fuzz_args.c - libFuzzer harness for what a user types on the command
 * line: typed values (rdms_value_normalize), NAME=VALUE arguments
 * (rdms_params_add_arg), endpoints (rdms_endpoint_url) and the Invoke,
 * Get and Enumerate envelopes built from them (rdms_request_*).
 *
 * Input: three control bytes, then lines:
 *   byte 0  bit 0 raw (no catalogue checks), bit 1 take class and method
 *           from the catalogue by index (bytes 1 and 2) instead of lines
 *           2 and 3, bits 2-7 the rdms_type for line 0
 *   line 0  a value for rdms_value_normalize
 *   line 1  a host or URL for rdms_endpoint_url (the envelope's To)
 *   line 2  class, line 3 method
 *   more    "s" + KEY=VALUE a selector, "n" + NAME a null, else NAME=VALUE
 *
 * Checks beyond "no crash, no leak": normalising is idempotent; an
 * endpoint URL maps to itself; a built envelope is exactly its length
 * and well-formed XML that the hardened parser accepts (nothing typed by
 * a user can break the markup).
 *
 * Built by `make fuzz`; the seeds in tests/fuzz/corpus/args replay in
 * make check (tests/fuzz/replay.c).
 */
#include "internal.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ABORT_IF(cond) do { if (cond) abort(); } while (0)
#define MAX_LINES 64

static void
check_value(rdms_type t, const char *text)
{
	char *a = NULL, *b = NULL;

	if (rdms_value_normalize(&a, t, text) < 0) {
		FUZZ_ABORT_IF(a != NULL);
		FUZZ_ABORT_IF(*rdms_error_last()->message == '\0');
		return;
	}
	FUZZ_ABORT_IF(a == NULL);
	FUZZ_ABORT_IF(rdms_value_normalize(&b, t, a) < 0);
	FUZZ_ABORT_IF(strcmp(a, b) != 0);
	free(a);
	free(b);
}

static char *
check_url(const char *in)
{
	char *a = NULL, *b = NULL;

	if (rdms_endpoint_url(&a, in) < 0) {
		FUZZ_ABORT_IF(a != NULL);
		return NULL;
	}
	FUZZ_ABORT_IF(strncmp(a, "http://", 7) != 0 && strncmp(a, "https://", 8) != 0);
	FUZZ_ABORT_IF(rdms_endpoint_url(&b, a) < 0);
	FUZZ_ABORT_IF(strcmp(a, b) != 0);
	free(b);
	return a;
}

static void
check_request(rdms_request *r, int rc)
{
	struct _xmlDoc *doc = NULL;
	const char *body;
	size_t len = 0;

	if (rc < 0) {
		FUZZ_ABORT_IF(r != NULL);
		FUZZ_ABORT_IF(*rdms_error_last()->message == '\0');
		return;
	}
	body = rdms_request_body(r, &len);
	FUZZ_ABORT_IF(body == NULL || strlen(body) != len);
	FUZZ_ABORT_IF(rdms__xml_parse(&doc, body, len, 0, "application/soap+xml;charset=UTF-8")
	    != 0);
	xmlFreeDoc(doc);
	rdms_request_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_params *sel = NULL, *par = NULL;
	const char *line[MAX_LINES], *cls, *method;
	rdms_request *r = NULL;
	char *text, *p, *end, *url = NULL;
	size_t nl = 0, i;
	int rc;

	if (size < 3 || size > 65536)
		return 0;
	if ((text = malloc(size - 3 + 1)) == NULL)
		return 0;
	memcpy(text, data + 3, size - 3);
	text[size - 3] = '\0';
	for (p = text, end = text + (size - 3); p <= end && nl < MAX_LINES;) {
		char *e = memchr(p, '\n', (size_t)(end - p));

		if (e == NULL)
			e = end;
		*e = '\0';
		line[nl++] = p;
		p = e + 1;
	}
	while (nl < 4)
		line[nl++] = "";

	check_value((rdms_type)((data[0] >> 2) % (RDMS_TYPE_CHAR16 + 1)), line[0]);
	url = check_url(line[1]);

	if (rdms_params_new(&sel) < 0 || rdms_params_new(&par) < 0)
		goto out;
	for (i = 4; i < nl; i++) {
		size_t before;

		if (line[i][0] == 's') {
			before = rdms_params_count(sel);
			rc = rdms_params_add_arg(sel, line[i] + 1);
			FUZZ_ABORT_IF(rdms_params_count(sel) != before + (rc == 0));
		} else if (line[i][0] == 'n') {
			before = rdms_params_count(par);
			rc = rdms_params_add_null(par, line[i] + 1);
			FUZZ_ABORT_IF(rdms_params_count(par) != before + (rc == 0));
		} else {
			before = rdms_params_count(par);
			rc = rdms_params_add_arg(par, line[i]);
			FUZZ_ABORT_IF(rdms_params_count(par) != before + (rc == 0));
			if (rc == 0)
				FUZZ_ABORT_IF(strchr(rdms_params_name(par, before), '=') != NULL);
		}
	}

	cls = line[2];
	method = line[3];
	if (data[0] & 2) {
		const rdms_class *c = rdms_catalog_class_at(data[1] % rdms_catalog_class_count());

		cls = rdms_class_name(c);
		method = rdms_class_method_count(c)
		    ? rdms_method_name(rdms_class_method_at(c, data[2] % rdms_class_method_count(c)))
		    : "Nothing";
	}
	ro.raw = data[0] & 1;
	ro.to = url;
	ro.message_id = "uuid:9778AACE-7D7A-4705-820F-CD6A6E92301C";
	ro.timeout_sec = data[1];
	ro.max_envelope = data[2];

	rc = rdms_request_invoke(&r, cls, method, sel, par, &ro);
	check_request(r, rc);
	r = NULL;
	rc = rdms_request_get(&r, cls, sel, &ro);
	check_request(r, rc);
	r = NULL;
	rc = rdms_request_enumerate(&r, cls, data[2], &ro);
	check_request(r, rc);
out:
	rdms_params_free(sel);
	rdms_params_free(par);
	free(url);
	free(text);
	rdms_error_clear();
	return 0;
}
