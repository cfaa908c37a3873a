/*
 * password.c - where rdmsctl gets a password: RDMSCTL_PASSWORD, a password
 * file, or a prompt on the terminal. Never argv (visible in ps).
 *
 * The password lives in one locked buffer that is wiped as soon as the
 * session has copied it, and the process is non-dumpable from the start
 * (cli_harden), so neither the password nor the environment it came from
 * ends up in a core file.
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
#define PW_ENV "RDMSCTL_PASSWORD"

extern char **environ;

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
	/* Non-blocking: a FIFO would otherwise hold the open for ever. */
	if ((fd = open(c->password_file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0)
		return cli_fail(c, RDMS_EIO, "cannot open password file %s: %s", c->password_file,
		    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return cli_fail(c, RDMS_EIO, "password file %s is not a regular file",
		    c->password_file);
	}
	if (st.st_mode & 077)
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

void
cli_harden(void)
{
	/* No core file and no ptrace by the same user (prctl(2)): the
	 * environment may hold RDMSCTL_PASSWORD from the first instruction,
	 * and a password is read later. Done first thing in main(). */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Wipe every RDMSCTL_PASSWORD=... of the environment and drop it from
 * environ. execve(2) accepts the same name more than once; getenv and
 * unsetenv see the first only or drop the pointers only, while
 * /proc/PID/environ shows the bytes where they were, so each copy is
 * zeroed in place. Children do not inherit any of them. */
static void
wipe_env(void)
{
	size_t n = strlen(PW_ENV);
	char **r, **w;

	if (environ == NULL)
		return;
	for (r = w = environ; *r != NULL; r++) {
		if (strncmp(*r, PW_ENV, n) == 0 && (*r)[n] == '=') {
			explicit_bzero(*r, strlen(*r));
			continue;
		}
		*w++ = *r;
	}
	*w = NULL;
}

int
cli_password(cli *c, int required)
{
	char *env = getenv(PW_ENV);
	int rc;

	if (c->password)
		return 0;
	cli_harden();
	/* Lock the page so the password is never swapped out. */
	(void)mlock(pwbuf, sizeof(pwbuf));
	if (env != NULL) {
		snprintf(pwbuf, sizeof(pwbuf), "%s", env);
		wipe_env();
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
	c->password = pwbuf;
	return 0;
}

void
cli_wipe(cli *c)
{
	explicit_bzero(pwbuf, sizeof(pwbuf));
	c->password = NULL;
}
