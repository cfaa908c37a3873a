/*
 * password.c - where rdmsctl gets a password: RDMSCTL_PASSWORD, a password
 * file, or a prompt on the terminal. Never argv (visible in ps).
 *
 * The password lives in one locked buffer that is wiped as soon as the
 * session has copied it, and the process is made non-dumpable while it
 * holds one, so it does not end up in a core file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

#define PW_MAX 1024

static char pwbuf[PW_MAX];

static void
strip_eol(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
}

/* --password-file -: one line from standard input, read a byte at a time
 * so that what follows (batch - reads the same stream) stays unread. */
static int
from_stdin(cli *c)
{
	size_t n = 0;
	ssize_t r;
	char ch;

	while (n + 1 < sizeof(pwbuf)) {
		r = read(STDIN_FILENO, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return cli_fail(c, RDMS_EIO, "cannot read the password from standard input: %s",
			    strerror(errno));
		if (r == 0 || ch == '\n')
			break;
		pwbuf[n++] = ch;
	}
	pwbuf[n] = '\0';
	strip_eol(pwbuf);
	if (n == 0)
		return cli_fail(c, RDMS_ENOCRED, "--password-file -: no password on standard input");
	return 0;
}

static int
from_file(cli *c)
{
	struct stat st;
	ssize_t n;
	int fd;

	if (strcmp(c->password_file, "-") == 0)
		return from_stdin(c);
	if ((fd = open(c->password_file, O_RDONLY | O_CLOEXEC)) < 0)
		return cli_fail(c, RDMS_EIO, "cannot open password file %s: %s", c->password_file,
		    strerror(errno));
	if (fstat(fd, &st) == 0 && (st.st_mode & 077))
		out_warn("warning: password file %s is readable by other users; chmod 600 it",
		    c->password_file);
	n = read(fd, pwbuf, sizeof(pwbuf) - 1);
	close(fd);
	if (n < 0)
		return cli_fail(c, RDMS_EIO, "cannot read password file %s: %s", c->password_file,
		    strerror(errno));
	pwbuf[n] = '\0';
	strip_eol(pwbuf);
	return 0;
}

static int
from_tty(cli *c)
{
	struct termios old, quiet;
	FILE *tty;
	int fd, ok;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 || !isatty(fd)) {
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if ((tty = fdopen(fd, "r+")) == NULL) {
		close(fd);
		return 1;
	}
	/* No stdio buffer: it would keep a copy of the password. */
	setvbuf(tty, NULL, _IONBF, 0);
	/* Echo goes off before the prompt is shown (as readpassphrase(3)
	 * does): an answer typed the moment the prompt appears must neither be
	 * echoed nor flushed away. */
	tcgetattr(fd, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	tcsetattr(fd, TCSAFLUSH, &quiet);
	fprintf(tty, "Password for %s: ", c->user ? c->user : "the server");
	fflush(tty);
	ok = fgets(pwbuf, sizeof(pwbuf), tty) != NULL;
	tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	if (!ok)
		return -1;
	strip_eol(pwbuf);
	return 0;
}

int
cli_password(cli *c, int required)
{
	char *env = getenv("RDMSCTL_PASSWORD");
	int rc;

	if (c->password)
		return 0;
	/* Lock the page so the password is never swapped out. */
	(void)mlock(pwbuf, sizeof(pwbuf));
	if (env != NULL) {
		snprintf(pwbuf, sizeof(pwbuf), "%s", env);
		/* Children must not inherit it, and /proc/self/environ must not keep it
		 * (nor show that there was one): getenv points into "NAME=value",
		 * which is wiped whole once unsetenv has dropped the entry. */
		size_t n = strlen(env) + sizeof("RDMSCTL_PASSWORD");

		unsetenv("RDMSCTL_PASSWORD");
		explicit_bzero(env - sizeof("RDMSCTL_PASSWORD"), n);
	} else if (c->password_file) {
		if ((rc = from_file(c)) != 0)
			return rc;
	} else if (required) {
		rc = from_tty(c);
		if (rc > 0 && required == CLI_PASSWORD_IF_TTY)
			return 0;
		if (rc > 0)
			return cli_fail(c, RDMS_ENOCRED, "%s needs a password and there is no terminal "
			    "to ask on: set RDMSCTL_PASSWORD or pass --password-file FILE (- for "
			    "standard input)", c->auth == RDMS_AUTH_BASIC ? "Basic authentication"
			    : c->auth == RDMS_AUTH_NTLM ? "NTLM" : "this call");
		if (rc < 0)
			return cli_fail(c, RDMS_ENOCRED, "no password read from the terminal");
	} else {
		return 0;
	}
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	c->password = pwbuf;
	return 0;
}

void
cli_wipe(cli *c)
{
	explicit_bzero(pwbuf, sizeof(pwbuf));
	c->password = NULL;
}
