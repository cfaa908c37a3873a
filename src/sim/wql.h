/*
 * wql.h - the WQL subset of rdms-sim (wql.c).
 */
#ifndef RDMS_SIM_WQL_H
#define RDMS_SIM_WQL_H

#include "sim.h"

struct sim_wql;

/* 0 and *out, or -1 for a query that does not parse (WMI: invalid query). */
int sim_wql_parse(const char *text, struct sim_wql **out);
void sim_wql_free(struct sim_wql *q);
const char *sim_wql_class(const struct sim_wql *q);
/* -1 when the query names a property the class does not have. */
int sim_wql_check(const struct sim_wql *q, const struct sim_view *v);
int sim_wql_match(const struct sim_wql *q, const struct sim_view *v, json_t *inst);

#endif
