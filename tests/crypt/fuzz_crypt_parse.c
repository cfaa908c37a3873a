/*
 * fuzz_crypt_parse.c - libFuzzer harness for the multipart/encrypted
 * parser of crypt.c (MS-WSMV 2.2.9.1.1.2), a pure function.
 *
 * Not built by default. With clang, from a configured build directory:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DRDMS_BUILDING -D_GNU_SOURCE \
 *     -I. -I../include -I../src/lib ../tests/crypt/fuzz_crypt_parse.c ../src/lib/crypt.c \
 *     ../src/lib/error.c ../src/lib/buf.c -lgssapi_krb5 -o fuzz_crypt_parse
 *   ./fuzz_crypt_parse ../tests/crypt/corpus
 * The seed corpus also replays in make check (check_crypt, corpus_replay).
 *
 * The first input byte caps the number of parts, so the cap is reached.
 */
#include "crypt.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rdms_crypt_part parts[RDMS_CRYPT_MAX_PARTS];
	size_t max, n = 0, i, total = 0;
	char *copy;

	if (size == 0)
		return 0;
	max = 1 + data[0] % RDMS_CRYPT_MAX_PARTS;
	/* An exact-size copy, so a read past the end is caught. */
	if ((copy = malloc(size - 1 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	if (rdms__crypt_parse(copy, size - 1, parts, max, &n) == 0) {
		if (n == 0 || n > max)
			abort();
		for (i = 0; i < n; i++) {
			const char *s = (const char *)parts[i].sig, *d = (const char *)parts[i].data;

			if (s < copy || d != s + parts[i].sig_len || d + parts[i].data_len > copy + size - 1 ||
			    parts[i].data_len < parts[i].length || parts[i].sig_len == 0)
				abort();
			total += parts[i].data_len;
		}
		if (total > size)
			abort();
	}
	rdms_error_clear();
	free(copy);
	return 0;
}
