/*
 * http.h - what the HTTP layer of rdms-sim (http.c, serve.c, admin.c) shares.
 */
#ifndef RDMS_SIM_HTTP_H
#define RDMS_SIM_HTTP_H

#include "sim.h"

struct MHD_Connection;

struct sim_conn {
	unsigned long id, nreq;
	int tls, loopback;
	size_t machine;                 /* the farm machine of the listener */
	char peer[64];
	struct sim_auth auth;
	size_t stat_slot;
	int has_slot;
};

#define SIM_MAX_WWW 4

/* One HTTP reply being built. */
struct sim_http_out {
	unsigned int status;
	char *body;
	size_t len;
	const char *ctype;
	char *www[SIM_MAX_WWW];
	size_t nwww;
	const char *allow;
	int close;
	const char *note;
	const char *auth_state;
	const char *action;
	char action_buf[256];
	const char *crypt;              /* see sim_log_entry */
	size_t plain_len, reply_plain_len;
	char effect[512];               /* what the call changed in the farm */
	char start[40];                 /* when the request was complete */
	char delay_from[40], delay_to[40];      /* around --reply-delay */
};

/* log.c: an ISO 8601 UTC time with microseconds */
void sim_log_now(char *buf, size_t n);

void sim_out_reset(struct sim_http_out *o);
void sim_out_www(struct sim_http_out *o, const char *scheme, const char *token);
void sim_out_401(struct sim_http_out *o, const char *note);
/* Move b's contents into the reply. */
void sim_out_take(struct sim_http_out *o, unsigned int status, const char *ctype, rdms_buf *b);

/* serve.c: POST /wsman */
void sim_wsman(struct MHD_Connection *c, struct sim_conn *sc, const char *body, size_t len,
               const struct sim_inject *inj, struct sim_http_out *o);

/* admin.c: /_sim/ endpoints and counters (caller holds sim_lock for count) */
void sim_stats_count(struct sim_conn *sc);
void sim_admin(struct MHD_Connection *c, struct sim_conn *sc, const char *url,
               const char *method, const rdms_buf *body, struct sim_http_out *o);

#define SIM_CT_SOAP "application/soap+xml;charset=UTF-8"

#endif
