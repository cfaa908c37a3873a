/*
 * floor.c - what a client pays before its first byte: the dynamic loader
 * maps and relocates the libraries the program needs, and libcurl's global
 * init sets up OpenSSL. scripts/bench.sh links this file twice, with the
 * shared libraries of curl(1) and with those of rdmsctl, in the order their
 * DT_NEEDED entries give, and times both beside the cold invokes.
 */
#include <curl/curl.h>

int
main(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return 1;
	curl_global_cleanup();
	return 0;
}
