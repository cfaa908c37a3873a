/*
 * replay.c - run a fuzz harness's seed corpus as an ordinary test, without
 * libFuzzer: every file of tests/fuzz/corpus/FUZZ_CORPUS (or of the files
 * and directories named on the command line, e.g. a crash to reproduce)
 * goes through LLVMFuzzerTestOneInput once. A harness signals a finding by
 * aborting (or, in a sanitizer build, by the sanitizer's report).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_CORPUS
#error "compile with -DFUZZ_CORPUS=\"name\""
#endif

#define INPUT_MAX (4u * 1024 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	unsigned char *buf;
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if ((buf = malloc(INPUT_MAX)) == NULL) {
		fclose(f);
		fprintf(stderr, "replay: out of memory\n");
		return -1;
	}
	n = fread(buf, 1, INPUT_MAX, f);
	fclose(f);
	/* A copy of exactly n bytes, so ASan sees any read past the input. */
	{
		unsigned char *exact = malloc(n ? n : 1);

		if (exact == NULL) {
			free(buf);
			return -1;
		}
		memcpy(exact, buf, n);
		free(buf);
		(void)LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	return 0;
}

static int
run_path(const char *path, size_t *count)
{
	char sub[4096];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int rc = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (run_file(path) < 0)
			return -1;
		(*count)++;
		return 0;
	}
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL && rc == 0) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) >= sizeof(sub)) {
			fprintf(stderr, "replay: path too long in %s\n", path);
			rc = -1;
			break;
		}
		rc = run_path(sub, count);
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *top = getenv("RDMS_TOP_SRCDIR");
	char dir[4096];
	size_t count = 0;
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (run_path(argv[i], &count) < 0)
				return 1;
	} else {
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", top ? top : ".",
		    FUZZ_CORPUS);
		if (run_path(dir, &count) < 0)
			return 1;
	}
	if (count == 0) {
		fprintf(stderr, "replay %s: no inputs\n", FUZZ_CORPUS);
		return 1;
	}
	printf("replay %s: %zu inputs, no finding\n", FUZZ_CORPUS, count);
	return 0;
}
