/*
 * data_fetch.c: the body of `data import`'s source, read whole from a
 * file or fetched over http(s) through libcurl (curl_dl.c opens it).
 */
#include "data_fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define FETCH_CONNECT_S 10L
#define FETCH_TOTAL_S 120L
#define FETCH_MAX_BYTES (256L << 20)

static size_t
buf_write(char *data, size_t size, size_t nmemb, void *u)
{
	struct data_buf *b = u;
	size_t len = size * nmemb;
	char *np;

	if (b->n + len + 1 > (size_t)FETCH_MAX_BYTES) {
		b->too_big = 1;
		return 0;
	}
	if (b->n + len + 1 > b->cap) {
		size_t cap = (b->n + len + 1) * 2;
		if ((np = fc_realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return 0;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, len);
	b->n += len;
	b->p[b->n] = '\0';
	return len;
}

static int
is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* Reads a file or fetches a URL (libcurl, with timeouts) into b. */
/* A local file that fopen() refused, in the shape and with the exit status
 * of a scenario that cannot be opened: a name that is no file is the
 * user's mistake (2), another failure the system's (3). */
static int
open_failed(const char *src, int e)
{
	struct fc_diags d;
	struct fc_loc l = { NULL, 0, 0, 0 };
	enum fc_status st;

	fc_diags_init(&d);
	l.file = fc_diags_intern(&d, src);
	st = d.oom ? FC_ENOMEM : fc_error(&d, l, "cannot open: %s", strerror(e));
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st == FC_EINVAL && !(e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG || e == ELOOP))
		st = FC_EIO;
	return cli_failed(st);
}

int
data_read_source(const char *src, int hetzner, struct data_buf *b)
{
	FILE *f;
	char chunk[65536], errbuf[CURL_ERROR_SIZE] = "", auth[512];
	size_t n;
	CURL *h;
	CURLcode rc;
	long code = 0;
	struct curl_slist *hdr = NULL;
	const char *tok = getenv("HCLOUD_TOKEN");
	struct stat sb;

	memset(b, 0, sizeof(*b));
	if (!is_url(src)) {
		if ((f = fopen(src, "rb")) == NULL)
			return open_failed(src, errno);
		if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_size >= (off_t)FETCH_MAX_BYTES) {
			cli_err("%s: %lld bytes, larger than the %ld MiB a price catalog may be; nothing imported",
			    src, (long long)sb.st_size, FETCH_MAX_BYTES >> 20);
			fclose(f);
			return EXIT_USAGE;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			if (buf_write(chunk, 1, n, b) != n)
				break;
		if (ferror(f) || n > 0) {
			if (n > 0 && b->too_big)
				cli_err("%s: larger than the %ld MiB a price catalog may be; nothing imported",
				    src, FETCH_MAX_BYTES >> 20);
			else if (n > 0)
				cli_err("%s: out of memory", src);
			else
				cli_err("cannot read %s: %s", src, strerror(errno));
			fclose(f);
			fc_free(b->p);
			memset(b, 0, sizeof(*b));
			return cli_exit_status(FC_EIO);
		}
		fclose(f);
		return EXIT_OK;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (h = curl_easy_init()) == NULL)
		return cli_oom();
	curl_easy_setopt(h, CURLOPT_URL, src);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, FETCH_CONNECT_S);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, FETCH_TOTAL_S);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, buf_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "flatcost/" FC_VERSION);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)FETCH_MAX_BYTES - 1);
	if (hetzner && tok && *tok) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
		hdr = curl_slist_append(hdr, auth);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	curl_global_cleanup();
	if (rc != CURLE_OK || code >= 400) {
		if (rc == CURLE_FILESIZE_EXCEEDED || b->too_big)
			cli_err("cannot fetch %s: the answer is larger than the %ld MiB a price catalog may be",
			    src, FETCH_MAX_BYTES >> 20);
		else if (b->oom)
			cli_err("cannot fetch %s: out of memory", src);
		else if (rc != CURLE_OK)
			cli_err("cannot fetch %s: %s", src, errbuf[0] ? errbuf : curl_easy_strerror(rc));
		else
			cli_err("cannot fetch %s: the server answered HTTP %ld", src, code);
		fc_free(b->p);
		memset(b, 0, sizeof(*b));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
