/*
 * check_output_budget.c - the CPU budget of one reply covers the output
 * stage too: rdmsctl's printer (src/cli/output.c) stops and reports ECPU,
 * exit 7, once parsing, decoding and printing together have used it up.
 * No timing: the test spends CPU until the thread clock is past the
 * budget, then prints.
 */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/cli/cli.h"
#include "response.h"

/* main.c's printers (main.c has main()). */
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

static long long
cpu_ns(void)
{
	struct timespec ts;

	ck_assert_int_eq(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts), 0);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static char *
array_reply(size_t n, size_t *len)
{
	rdms_buf b = RDMS_BUF_INIT;
	size_t i;

	rdms__buf_puts(&b, "<s:Envelope xmlns:s='" RDMS_NS_SOAP "'><s:Body>"
	    "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" RDMS_RESOURCE_URI_BASE
	    "Win32_RDMSVirtualDesktopCollection'>");
	for (i = 0; i < n; i++)
		rdms__buf_printf(&b, "<p:JobGuids>%zu</p:JobGuids>", i);
	rdms__buf_puts(&b, "<p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>"
	    "</s:Body></s:Envelope>");
	ck_assert(!b.failed);
	return rdms__buf_detach(&b, len);
}

/* Print r as mode; the exit status, stdout in *out. */
static int
print(const rdms_result *r, int mode, char **out)
{
	char *ebuf = NULL;
	size_t olen = 0, elen = 0;
	cli c;
	int status;

	memset(&c, 0, sizeof(c));
	c.label = "rdmsctl";
	c.output = mode;
	c.out = open_memstream(out, &olen);
	c.err = open_memstream(&ebuf, &elen);
	ck_assert(c.out != NULL && c.err != NULL);
	status = out_result(&c, r, 0);
	fclose(c.out);
	fclose(c.err);
	if (mode == OUT_TEXT) {
		free(*out);
		*out = ebuf;
	} else {
		free(ebuf);
	}
	return status;
}

START_TEST(budget_spent_while_printing)
{
	int modes[2] = { OUT_JSON, OUT_TEXT }, m;
	size_t len;
	char *body = array_reply(3000, &len), *out;
	rdms_result *r;
	long long until;

	for (m = 0; m < 2; m++) {
		/* 200 ms covers the parse; then the printer finds it gone. */
		rdms__budget_set_default(200 * 1000000LL);
		ck_assert_int_eq(rdms_response_parse(&r, body, len, NULL), 0);
		rdms__budget_set_default(-1);
		until = cpu_ns() + 250 * 1000000LL;
		while (cpu_ns() < until)
			;
		ck_assert_int_eq(print(r, modes[m], &out), 7);
		ck_assert_msg(strstr(out, "while printing it") != NULL, "%s", out);
		if (modes[m] == OUT_JSON)
			ck_assert_msg(strstr(out, "{\"error\":{\"code\":\"ECPU\",\"exit_status\":7,")
			    == out, "%s", out);
		free(out);
		rdms_result_free(r);
	}
	/* Within the budget the same reply prints whole. */
	ck_assert_int_eq(rdms_response_parse(&r, body, len, NULL), 0);
	ck_assert_int_eq(print(r, OUT_JSON, &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "\"2999\"]"));
	free(out);
	rdms_result_free(r);
	free(body);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("output-budget");
	TCase *tc = tcase_create("budget");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, budget_spent_while_printing);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
