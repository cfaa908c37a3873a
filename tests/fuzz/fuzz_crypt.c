/*
 * fuzz_crypt.c - libFuzzer harness for the multipart/encrypted decoder of
 * WinRM message encryption (src/lib/crypt.c, MS-WSMV 2.2.9.1.1): the pure,
 * capped parser rdms__crypt_parse, the Content-Type test, and unsealing
 * up to the point where a security context is needed (there is none
 * here, so every body must be refused, never accepted).
 *
 * Input: byte 0 picks a Content-Type to test; the rest is the body.
 *
 * Checks beyond "no crash, no leak": every part lies inside the body and
 * its signature is within the cap; a body of one part framed again by
 * rdms__crypt_frame parses to the same signature, data and Length;
 * rdms__crypt_unseal without a context fails with a message.
 *
 * Built by `make fuzz`; the seeds in tests/fuzz/corpus/crypt replay in
 * make check (tests/fuzz/replay.c). The parser has a harness of its own
 * in tests/crypt/fuzz_crypt_parse.c; this one adds the round trip.
 */
#include "crypt.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ABORT_IF(cond) do { if (cond) abort(); } while (0)

static int
inside(const void *p, size_t n, const uint8_t *lo, size_t lolen)
{
	const uint8_t *q = p;

	return q >= lo && n <= lolen && q - lo <= (ptrdiff_t)(lolen - n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cts[] = {
		RDMS_CRYPT_CONTENT_TYPE,
		"multipart/x-multi-encrypted;protocol=\"application/HTTP-Kerberos-session-encrypted\"",
		"application/soap+xml;charset=UTF-8", "multipart/encrypted", "", "MULTIPART/ENCRYPTED;"
		"PROTOCOL=\"APPLICATION/HTTP-SPNEGO-SESSION-ENCRYPTED\"",
	};
	rdms_crypt_part parts[RDMS_CRYPT_MAX_PARTS], again[1];
	rdms_buf out = RDMS_BUF_INIT, framed = RDMS_BUF_INIT;
	const uint8_t *body;
	char *ct = NULL;
	size_t n = 0, m = 0, i, len;
	int rc;

	if (size == 0)
		return 0;
	(void)rdms__crypt_is_sealed(cts[data[0] % (sizeof(cts) / sizeof(cts[0]))]);
	body = data + 1;
	len = size - 1;
	rc = rdms__crypt_parse((const char *)body, len, parts, RDMS_CRYPT_MAX_PARTS, &n);
	FUZZ_ABORT_IF(rc < 0 && rc != RDMS_ECRYPT && rc != RDMS_ETOOBIG);
	FUZZ_ABORT_IF(n > RDMS_CRYPT_MAX_PARTS);
	if (rc == 0) {
		FUZZ_ABORT_IF(n == 0);
		for (i = 0; i < n; i++) {
			FUZZ_ABORT_IF(parts[i].sig_len > RDMS_CRYPT_MAX_SIG);
			FUZZ_ABORT_IF(!inside(parts[i].sig, parts[i].sig_len, body, len));
			FUZZ_ABORT_IF(!inside(parts[i].data, parts[i].data_len, body, len));
			FUZZ_ABORT_IF(parts[i].length > RDMS_CRYPT_MAX_LEN);
		}
		if (n == 1) {
			FUZZ_ABORT_IF(rdms__crypt_frame(&framed, parts[0].sig, parts[0].sig_len,
			    parts[0].data, parts[0].data_len, parts[0].length) < 0);
			FUZZ_ABORT_IF(rdms__crypt_parse(framed.ptr, framed.len, again, 1, &m) < 0);
			FUZZ_ABORT_IF(m != 1 || again[0].sig_len != parts[0].sig_len ||
			    again[0].data_len != parts[0].data_len ||
			    again[0].length != parts[0].length ||
			    memcmp(again[0].sig, parts[0].sig, parts[0].sig_len) != 0 ||
			    memcmp(again[0].data, parts[0].data, parts[0].data_len) != 0);
			rdms__buf_free(&framed);
		}
	} else {
		FUZZ_ABORT_IF(*rdms_error_last()->message == '\0');
	}
	rc = rdms__crypt_unseal(&out, NULL, (const char *)body, len, 1 << 20, &ct);
	FUZZ_ABORT_IF(rc == 0);
	FUZZ_ABORT_IF(*rdms_error_last()->message == '\0');
	rdms__buf_free(&out);
	free(ct);
	rdms_error_clear();
	return 0;
}
