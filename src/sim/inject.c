/*
 * inject.c - fault injection: one active kind with an optional argument
 * and a count of /wsman requests it applies to (negative: until changed).
 * Set by --inject and at run time by POST /_sim/inject.
 */
#include "sim.h"

#include <stdlib.h>
#include <string.h>

static const char *const names[SIM_INJ_COUNT_] = {
	[SIM_INJ_NONE] = "none",
	[SIM_INJ_DELAY] = "delay",
	[SIM_INJ_DROP] = "drop",
	[SIM_INJ_EMPTY500] = "empty500",
	[SIM_INJ_HTML] = "html",
	[SIM_INJ_LOOP401] = "loop401",
	[SIM_INJ_RELATESTO] = "relatesto",
	[SIM_INJ_UTF16] = "utf16",
	[SIM_INJ_GARBAGE_TOKEN] = "garbage-token",
	[SIM_INJ_NO_RETURNVALUE] = "no-returnvalue",
	[SIM_INJ_TWO_RETURNVALUES] = "two-returnvalues",
	[SIM_INJ_SLOW] = "slow",
	[SIM_INJ_BADXML] = "badxml",
	[SIM_INJ_NOMUTUAL] = "no-mutual",
	[SIM_INJ_TAMPER] = "tamper",
};

static struct sim_inject active = { SIM_INJ_NONE, 0, -1 };

const char *
sim_inject_name(enum sim_inject_kind k)
{
	return k < SIM_INJ_COUNT_ && names[k] ? names[k] : "?";
}

int
sim_inject_parse(const char *spec, struct sim_inject *out)
{
	size_t nl = strcspn(spec, "=:");
	int i;

	out->kind = SIM_INJ_NONE;
	out->arg = 0;
	out->remaining = -1;
	for (i = 0; i < SIM_INJ_COUNT_; i++)
		if (strlen(names[i]) == nl && strncmp(spec, names[i], nl) == 0)
			break;
	if (i == SIM_INJ_COUNT_)
		return -1;
	out->kind = (enum sim_inject_kind)i;
	if (spec[nl]) {
		char *end = NULL;
		unsigned long v = strtoul(spec + nl + 1, &end, 10);

		if (*end || v > 600000)
			return -1;
		out->arg = (unsigned)v;
	} else if (out->kind == SIM_INJ_DELAY)
		out->arg = 1000;
	else if (out->kind == SIM_INJ_SLOW)
		out->arg = 20;
	return 0;
}

void
sim_inject_set(const struct sim_inject *in)
{
	sim_lock();
	active = *in;
	if (active.remaining == 0)
		active.remaining = -1;
	sim_unlock();
}

void
sim_inject_take(struct sim_inject *out)
{
	sim_lock();
	*out = active;
	if (active.kind != SIM_INJ_NONE && active.remaining > 0 && --active.remaining == 0) {
		active.kind = SIM_INJ_NONE;
		active.remaining = -1;
	}
	sim_unlock();
}
