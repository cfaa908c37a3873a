/*
 * fuzz_config.c - libFuzzer harness for the rdmsctl config file parser
 * (cli_config_parse in src/cli/config.c, compiled into the harness).
 *
 * Input: the config file. It is parsed for the [default] section and for
 * [profile broker].
 *
 * Checks beyond "no crash, no leak": the result is -1 (with a message and
 * no values), 0 (the section was found) or 1 (it was not; [default] may
 * still have filled in values);
 * every value is non-empty, one line, without NUL and trimmed; "password"
 * is never accepted as a key.
 *
 * Built by `make fuzz`; the seeds in tests/fuzz/corpus/config replay in
 * make check (tests/fuzz/replay.c).
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ABORT_IF(cond) do { if (cond) abort(); } while (0)

/* config.c's loader warns through main.c; the parser itself never does. */
void
out_warn(const char *fmt, ...)
{
	(void)fmt;
	abort();
}

static const char *const keys[] = {
	"host", "user", "auth", "cacert", "password-file", "spn", "keytab", "timeout"
};

static void
one(const uint8_t *data, size_t size, const char *name)
{
	cli_profile p;
	char err[256];
	size_t i, n;
	int rc;

	err[0] = '\0';
	rc = cli_config_parse((const char *)data, size, name, &p, err, sizeof(err));
	FUZZ_ABORT_IF(rc < -1 || rc > 1);
	FUZZ_ABORT_IF(rc == -1 && err[0] == '\0');
	FUZZ_ABORT_IF(rc == -1 && p.found);
	FUZZ_ABORT_IF(rc == 1 && p.found);
	FUZZ_ABORT_IF(rc == 0 && !p.found);
	FUZZ_ABORT_IF(cli_profile_get(&p, "password") != NULL);
	for (i = 0; i < PROFILE_NKEYS; i++) {
		const char *v = cli_profile_get(&p, keys[i]);

		FUZZ_ABORT_IF(v != p.v[i]);
		if (v == NULL)
			continue;
		FUZZ_ABORT_IF(rc == -1);
		n = strlen(v);
		FUZZ_ABORT_IF(n == 0 || n > 4096);
		FUZZ_ABORT_IF(strpbrk(v, "\n") != NULL);
		FUZZ_ABORT_IF(v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t' ||
		    v[n - 1] == '\r');
		FUZZ_ABORT_IF(memmem(data, size, v, n) == NULL);
	}
	cli_profile_free(&p);
	for (i = 0; i < PROFILE_NKEYS; i++)
		FUZZ_ABORT_IF(p.v[i] != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, "default");
	one(data, size, "broker");
	return 0;
}
