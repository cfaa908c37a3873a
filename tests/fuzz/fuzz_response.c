/*
 * fuzz_response.c - libFuzzer harness for the response decoder.
 *
 * Not built by default. With clang, from a configured build directory:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DRDMS_BUILDING -D_GNU_SOURCE \
 *     -I. -I../include -I../src/lib $(xml2-config --cflags) ../tests/fuzz/fuzz_response.c \
 *     ../src/lib/xml.c ../src/lib/xml-limits.c ../src/lib/item.c ../src/lib/response.c ../src/lib/fault.c \
 *     ../src/lib/error.c ../src/lib/buf.c ../src/lib/catalog.c ../src/lib/value.c \
 *     $(xml2-config --libs) -o fuzz_response
 *   ./fuzz_response ../tests/fuzz/corpus/response
 * The seed corpus also replays in make check (check_response_hostile).
 *
 * The first input byte picks the Content-Type charset and whether a
 * request is checked, so both the decoders and the request checks are
 * reached.
 */
#include "response.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cts[] = {
		NULL, "application/soap+xml;charset=UTF-8", "application/soap+xml;charset=UTF-16",
		"application/soap+xml;charset=UTF-16LE", "application/soap+xml;charset=UTF-16BE",
		"text/html", "application/soap+xml", "text/xml; charset=\"utf-8\"",
	};
	struct rdms_request req;
	rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;
	rdms_result *r = NULL;
	uint32_t rv;
	size_t i;

	if (size == 0)
		return 0;
	o.content_type = cts[data[0] & 7];
	if (data[0] & 8) {
		memset(&req, 0, sizeof(req));
		req.message_id = "uuid:9778AACE-7D7A-4705-820F-CD6A6E92301C";
		req.action = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"
		    "Win32_RDMSVirtualDesktopCollection/ProvisioningJobCancel";
		req.method = "ProvisioningJobCancel";
		req.kind = (data[0] >> 4) % 6;
		o.request = &req;
	}
	o.max_size = 0;   /* the default cap: 16 MiB, as rdmsctl uses */
	(void)rdms_response_parse(&r, (const char *)data + 1, size - 1, &o);
	if (r != NULL) {
		(void)rdms_result_return_value(r, &rv);
		for (i = 0; i < rdms_result_count(r); i++)
			(void)rdms_item_text(rdms_result_at(r, i));
		rdms_result_free(r);
	}
	return 0;
}
