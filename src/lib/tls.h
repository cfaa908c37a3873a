/*
 * tls.h - the CA store: loaded once per process for each CA source
 * (--cacert FILE, or libcurl's default bundle and directory) and shared by
 * every connection of every session and thread.
 */
#ifndef RDMS_TLS_H
#define RDMS_TLS_H

#include <curl/curl.h>

/* Point the TLS verification of handle c at the shared store for cacert
 * (NULL: libcurl's default CA bundle and directory), loading it on first
 * use. Peer and host name verification stay libcurl's; only where the
 * trusted certificates come from changes. insecure: no CA is loaded at
 * all. Call once per handle, before the first transfer; only for https. */
int rdms__tls_ca_setup(CURL *c, const char *cacert, int insecure);

/* Release the stores (when the library is shut down). Handles that still
 * use a store keep their own reference. */
void rdms__tls_ca_cleanup(void);

#endif
