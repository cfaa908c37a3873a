/*
 * config.c - host profiles from ~/.config/rdmsctl/config (or RDMSCTL_CONFIG).
 *
 *   # comment
 *   [default]                 used when no -P is given, and under every
 *   auth = kerberos           profile for what it leaves out
 *
 *   [profile broker]          selected with -P broker
 *   host = broker.corp
 *   user = CORP\admin
 *   cacert = /etc/ssl/corp-ca.pem
 *   password-file = ~/.config/rdmsctl/broker.pw
 *
 * Flags given on the command line override the profile. A profile that
 * names a password file is only used when neither the config file can be
 * changed by others nor the password file read by them.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define CONFIG_MAX  (64 * 1024)
#define LINE_MAX_   4096

static const char *const keys[] = {
	"host", "user", "auth", "cacert", "password-file", "spn", "keytab", "timeout", NULL
};

static char *
trim(char *s, char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*end = '\0';
	return s;
}

void
cli_profile_free(cli_profile *p)
{
	size_t i;

	for (i = 0; i < PROFILE_NKEYS; i++) {
		free(p->v[i]);
		p->v[i] = NULL;
	}
	p->found = 0;
}

const char *
cli_profile_get(const cli_profile *p, const char *key)
{
	size_t i;

	for (i = 0; keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return p->v[i];
	return NULL;
}

int
cli_config_parse(const char *text, size_t len, const char *name, cli_profile *p,
                 char *err, size_t errlen)
{
	char line[LINE_MAX_ + 1];
	const char *pos = text, *end = text + len, *nl;
	int lineno = 0, in = 0, named = 0;
	int from_named[PROFILE_NKEYS] = { 0 };
	size_t n, i;

	memset(p, 0, sizeof(*p));
	if (len > CONFIG_MAX) {
		snprintf(err, errlen, "larger than %d bytes", CONFIG_MAX);
		return -1;
	}
	while (pos < end) {
		char *s, *eq, *k, *v;

		lineno++;
		nl = memchr(pos, '\n', (size_t)(end - pos));
		n = (size_t)((nl ? nl : end) - pos);
		if (n > LINE_MAX_) {
			snprintf(err, errlen, "line %d: longer than %d bytes", lineno, LINE_MAX_);
			goto fail;
		}
		if (memchr(pos, '\0', n) != NULL) {
			snprintf(err, errlen, "line %d: contains a NUL byte", lineno);
			goto fail;
		}
		memcpy(line, pos, n);
		line[n] = '\0';
		pos = nl ? nl + 1 : end;
		s = trim(line, line + n);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']'), *sect;

			if (close == NULL || close[1] != '\0') {
				snprintf(err, errlen, "line %d: a section is [default] or [profile NAME]",
				    lineno);
				goto fail;
			}
			sect = trim(s + 1, close);
			if (strncmp(sect, "profile", 7) == 0 && (sect[7] == ' ' || sect[7] == '\t'))
				sect = trim(sect + 8, sect + strlen(sect));
			/* [default] fills in what the named profile leaves out. */
			named = strcmp(sect, name) == 0;
			in = named || strcmp(sect, "default") == 0;
			if (named)
				p->found = 1;
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			snprintf(err, errlen, "line %d: expected KEY = VALUE", lineno);
			goto fail;
		}
		k = trim(s, eq);
		v = trim(eq + 1, eq + 1 + strlen(eq + 1));
		if (strcmp(k, "password") == 0) {
			snprintf(err, errlen, "line %d: a password does not belong in the config file; "
			    "name a file with password-file = PATH (mode 600)", lineno);
			goto fail;
		}
		for (i = 0; keys[i] && strcmp(keys[i], k) != 0; i++)
			;
		if (keys[i] == NULL) {
			snprintf(err, errlen, "line %d: unknown key \"%.64s\" (known: host, user, auth, "
			    "cacert, password-file, spn, keytab, timeout)", lineno, k);
			goto fail;
		}
		if (!in || *v == '\0' || (from_named[i] && !named))
			continue;
		from_named[i] = named;
		free(p->v[i]);
		if ((p->v[i] = strdup(v)) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	return p->found ? 0 : 1;
fail:
	cli_profile_free(p);
	return -1;
}

/* "~/x" relative to $HOME; the result is malloc'd. */
static char *
expand(const char *path)
{
	const char *home = getenv("HOME");
	char *out;

	if (path[0] != '~' || path[1] != '/' || home == NULL)
		return strdup(path);
	if ((out = malloc(strlen(home) + strlen(path))) == NULL)
		return NULL;
	sprintf(out, "%s%s", home, path + 1);
	return out;
}

static char *
config_path(void)
{
	const char *env = getenv("RDMSCTL_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *out;

	if (env)
		return strdup(env);
	if (xdg && *xdg) {
		if ((out = malloc(strlen(xdg) + sizeof("/rdmsctl/config"))) != NULL)
			sprintf(out, "%s/rdmsctl/config", xdg);
		return out;
	}
	if (home == NULL)
		return NULL;
	if ((out = malloc(strlen(home) + sizeof("/.config/rdmsctl/config"))) != NULL)
		sprintf(out, "%s/.config/rdmsctl/config", home);
	return out;
}

int
cli_config_load(cli *c, const char *profile)
{
	char *path = config_path(), *text = NULL, err[256];
	const char *name = profile ? profile : "default";
	struct stat st;
	ssize_t n;
	int fd = -1, rc = 2;

	if (path == NULL)
		return profile ? (out_warn("no config file: HOME is not set"), 2) : 0;
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer for ever (open(2)); a device could do anything. Only a
	 * regular file is read, and for one O_NONBLOCK changes nothing. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0) {
		if (errno == ENOENT && profile == NULL) {
			rc = 0;
			goto done;
		}
		out_warn("cannot open config file %s: %s", path, strerror(errno));
		goto done;
	}
	if (fstat(fd, &st) < 0) {
		out_warn("cannot read config file %s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		out_warn("config file %s is not a regular file (%s); point RDMSCTL_CONFIG at one",
		    path, S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISCHR(st.st_mode) ||
		    S_ISBLK(st.st_mode) ? "a device" : S_ISDIR(st.st_mode) ? "a directory" :
		    S_ISSOCK(st.st_mode) ? "a socket" : "not a file");
		goto done;
	}
	if ((text = malloc(CONFIG_MAX + 1)) == NULL) {
		out_warn("out of memory");
		goto done;
	}
	if ((n = read(fd, text, CONFIG_MAX + 1)) < 0) {
		out_warn("cannot read config file %s: %s", path, strerror(errno));
		goto done;
	}
	switch (cli_config_parse(text, (size_t)n, name, &c->profile, err, sizeof(err))) {
	case -1:
		out_warn("config file %s: %s", path, err);
		goto done;
	case 1:
		if (profile) {
			out_warn("config file %s has no profile \"%s\"", path, profile);
			goto done;
		}
		break;
	}
	if (cli_profile_get(&c->profile, "password-file")) {
		struct stat pst;
		char *pw = expand(cli_profile_get(&c->profile, "password-file"));

		if (st.st_mode & 022) {
			out_warn("config file %s names a password file but others can change it "
			    "(mode %03o); chmod go-w %s", path, (unsigned)(st.st_mode & 0777), path);
			free(pw);
			goto done;
		}
		if (pw && stat(pw, &pst) == 0 && (pst.st_mode & 077)) {
			out_warn("password file %s is readable by others (mode %03o); chmod 600 %s",
			    pw, (unsigned)(pst.st_mode & 0777), pw);
			free(pw);
			goto done;
		}
		free(c->profile_password_file);
		c->profile_password_file = pw;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	free(text);
	free(path);
	return rc;
}
