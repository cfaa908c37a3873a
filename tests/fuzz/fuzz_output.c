/*
 * fuzz_output.c - libFuzzer harness for the output stage: a reply is
 * decoded and printed the way rdmsctl prints it, as text and as JSON
 * (src/cli/output.c), into memory. Built by `make fuzz` (tests/fuzz/fuzz.sh);
 * the seed corpus (tests/fuzz/corpus/output) replays in make check.
 *
 * The first input byte picks the output mode (bit 0: JSON), whether the
 * reply is read as an answer to a Get (bit 1) and the Content-Type charset
 * (bits 2-3); the rest is the body.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"
#include "response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* main.c's two message printers (main.c itself has main()). */
void
cli_warn(cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->err, "%s: ", c->label);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
}

void
out_warn(const char *fmt, ...)
{
	(void)fmt;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cts[] = {
		NULL, "application/soap+xml;charset=UTF-8", "application/soap+xml;charset=UTF-16",
		"application/soap+xml",
	};
	rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;
	struct rdms_request req;
	rdms_result *r = NULL;
	char *obuf = NULL, *ebuf = NULL;
	size_t olen = 0, elen = 0;
	cli c;
	int rc, status;

	if (size == 0)
		return 0;
	memset(&c, 0, sizeof(c));
	c.label = "rdmsctl";
	c.output = data[0] & 1 ? OUT_JSON : OUT_TEXT;
	o.content_type = cts[(data[0] >> 2) & 3];
	if (data[0] & 2) {
		memset(&req, 0, sizeof(req));
		req.kind = RDMS_RESULT_GET;
		o.request = &req;
	}
	if ((c.out = open_memstream(&obuf, &olen)) == NULL ||
	    (c.err = open_memstream(&ebuf, &elen)) == NULL)
		abort();
	rc = rdms_response_parse(&r, (const char *)data + 1, size - 1, &o);
	status = out_result(&c, r, rc);
	/* Every outcome is an exit status of the table, never 0 for a
	 * failed parse. */
	if (status < 0 || status > 7 || (rc < 0 && rc != RDMS_EFAULT && status == 0))
		abort();
	rdms_result_free(r);
	fclose(c.out);
	fclose(c.err);
	/* JSON mode prints one line of JSON, whatever happened. */
	if (c.output == OUT_JSON) {
		json_error_t e;
		json_t *v = json_loadb(obuf, olen, 0, &e);

		if (v == NULL)
			abort();
		json_decref(v);
	}
	free(obuf);
	free(ebuf);
	return 0;
}
