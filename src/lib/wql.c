/*
 * wql.c - WQL built from user input: string literals quoted and escaped,
 * names checked, numbers checked, so a value can never end the literal
 * and add a condition of its own (WQL reference, "WQL-Supported Data
 * Types": strings in single or double quotes, backslash escapes).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
rdms_wql_quote(char **out, const char *value)
{
	rdms_buf b = RDMS_BUF_INIT;
	char *chk = NULL;
	const char *p;
	int rc;

	if (out == NULL || value == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_wql_quote: NULL argument");
	*out = NULL;
	/* UTF-8 without C0 controls, as any text rdmsctl sends. */
	if ((rc = rdms_value_normalize(&chk, RDMS_TYPE_STRING, value)) < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", rdms_error_last()->message);
		return rdms__error(rc, "WQL value: %s", msg);
	}
	free(chk);
	/* No line breaks or tabs either: a name never holds one, and a
	 * query is one line in every log it reaches. */
	if (strpbrk(value, "\t\r\n") != NULL)
		return rdms__error(RDMS_EUSAGE, "WQL value: a line break or tab cannot be part "
		    "of a name or a value to compare");
	rdms__buf_puts(&b, "'");
	for (p = value; *p; p++) {
		if (*p == '\\' || *p == '\'')
			rdms__buf_puts(&b, "\\");
		rdms__buf_put(&b, p, 1);
	}
	rdms__buf_puts(&b, "'");
	if ((*out = rdms__buf_detach(&b, NULL)) == NULL)
		return rdms__error_oom();
	return 0;
}

static int
is_number_type(rdms_type t)
{
	return t >= RDMS_TYPE_UINT8 && t <= RDMS_TYPE_REAL64;
}

static int
condition(rdms_buf *b, const char *cls, const char *name, const char *value)
{
	const char *ctype = rdms__property_type(cls, name);
	rdms_type t = ctype && !strchr(ctype, '[') ? rdms_type_from_name(ctype)
	    : RDMS_TYPE_UNKNOWN;
	char *lit = NULL;
	int rc;

	if ((rc = rdms__check_ncname(name, "WQL property")) < 0)
		return rc;
	if (ctype == NULL && rdms__class_properties_known(cls))
		return rdms__error(RDMS_EUSAGE, "%s has no property \"%s\" to filter on "
		    "(names are case-sensitive)", cls, name);
	if (value == NULL)
		return rdms__buf_printf(b, "%s IS NULL", name) < 0 ? rdms__error_oom() : 0;
	if (is_number_type(t) || t == RDMS_TYPE_BOOLEAN) {
		/* Normalised by the type's own check: digits, a sign, or
		 * true/false; nothing that could carry WQL syntax. */
		if ((rc = rdms_value_normalize(&lit, t, value)) < 0) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", rdms_error_last()->message);
			return rdms__error(rc, "%s: %s", name, msg);
		}
		if (t == RDMS_TYPE_BOOLEAN) {
			char *u = rdms__strdup(strcmp(lit, "true") == 0 ? "TRUE" : "FALSE");

			free(lit);
			if ((lit = u) == NULL)
				return rdms__error_oom();
		}
	} else if ((rc = rdms_wql_quote(&lit, value)) < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", rdms_error_last()->message);
		return rdms__error(rc, "%s: %s", name, msg);
	}
	rdms__buf_printf(b, "%s = %s", name, lit);
	free(lit);
	return b->failed ? rdms__error_oom() : 0;
}

int
rdms_wql_select(char **out, const char *cls, const rdms_params *eq, const char *where)
{
	rdms_buf b = RDMS_BUF_INIT;
	size_t i, n = rdms_params_count(eq);
	int rc;

	if (out == NULL || cls == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_wql_select: NULL argument");
	*out = NULL;
	if ((rc = rdms__check_ncname(cls, "WQL class")) < 0)
		return rc;
	if (where && *where == '\0')
		where = NULL;
	rdms__buf_printf(&b, "SELECT * FROM %s", cls);
	for (i = 0; i < n; i++) {
		rdms__buf_puts(&b, i == 0 ? " WHERE " : " AND ");
		if ((rc = condition(&b, cls, rdms_params_name(eq, i),
		    rdms_params_value(eq, i))) < 0)
			goto fail;
	}
	if (where) {
		char *chk = NULL;

		if ((rc = rdms_value_normalize(&chk, RDMS_TYPE_STRING, where)) < 0)
			goto fail;
		free(chk);
		rdms__buf_puts(&b, n == 0 ? " WHERE (" : " AND (");
		rdms__buf_puts(&b, where);
		rdms__buf_puts(&b, ")");
	}
	if ((*out = rdms__buf_detach(&b, NULL)) == NULL)
		return rdms__error_oom();
	return 0;
fail:
	rdms__buf_free(&b);
	return rc;
}
