/*
 * error.c - the error table and the thread's last error.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define RDMS_ERR_MSG_MAX 1024

typedef struct {
	rdms_error pub;
	char msg[RDMS_ERR_MSG_MAX];
} error_state;

static _Thread_local error_state last_error;

#define RDMS_ERR(name, num, exitcode, msg) { RDMS_##name, #name, msg, exitcode },
static const struct {
	int code;
	const char *name;
	const char *msg;
	int exit_status;
} error_table[] = {
#include "rdms-errors.h"
};
#undef RDMS_ERR

static int
lookup(int code)
{
	size_t i;

	for (i = 0; i < sizeof(error_table) / sizeof(error_table[0]); i++)
		if (error_table[i].code == code)
			return (int)i;
	return -1;
}

const char *
rdms_strerror(int code)
{
	int i;

	if (code == RDMS_OK)
		return "success";
	i = lookup(code);
	return i < 0 ? "unknown error" : error_table[i].msg;
}

const char *
rdms_err_name(int code)
{
	int i;

	if (code == RDMS_OK)
		return "OK";
	i = lookup(code);
	return i < 0 ? "EUNKNOWN" : error_table[i].name;
}

int
rdms_exit_status(int code)
{
	int i;

	if (code == RDMS_OK)
		return 0;
	i = lookup(code);
	return i < 0 ? 1 : error_table[i].exit_status;
}

const rdms_error *
rdms_error_last(void)
{
	if (last_error.pub.message == NULL) {
		last_error.msg[0] = '\0';
		last_error.pub.message = last_error.msg;
	}
	return &last_error.pub;
}

void
rdms_error_clear(void)
{
	memset(&last_error.pub, 0, sizeof(last_error.pub));
	last_error.msg[0] = '\0';
	last_error.pub.message = last_error.msg;
}

int
rdms__error(int code, const char *fmt, ...)
{
	va_list ap;

	rdms_error_clear();
	last_error.pub.code = code;
	if (fmt == NULL) {
		snprintf(last_error.msg, sizeof(last_error.msg), "%s", rdms_strerror(code));
	} else {
		va_start(ap, fmt);
		vsnprintf(last_error.msg, sizeof(last_error.msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

int
rdms__error_oom(void)
{
	return rdms__error(RDMS_ENOMEM, "out of memory");
}

void
rdms__error_http(long status)
{
	last_error.pub.http_status = status;
}

void
rdms__error_wsman(uint32_t code)
{
	last_error.pub.has_wsman_code = 1;
	last_error.pub.wsman_code = code;
}

void
rdms__error_wmi(uint32_t code)
{
	last_error.pub.has_wmi_code = 1;
	last_error.pub.wmi_code = code;
}

void
rdms__error_fault(const rdms_fault *f)
{
	const char *text = f->message ? f->message : f->reason;

	if (f->subcode && text)
		rdms__error(RDMS_EFAULT, "server fault %s: %s", f->subcode, text);
	else if (text)
		rdms__error(RDMS_EFAULT, "server fault: %s", text);
	else
		rdms__error(RDMS_EFAULT, "server fault %s", f->code ? f->code : "(no code)");
	last_error.pub.http_status = f->http_status;
	if (f->has_wsman_code)
		rdms__error_wsman(f->wsman_code);
	if (f->has_wmi_code)
		rdms__error_wmi(f->wmi_code);
}
