/*
 * curl_dl.c: libcurl loaded at its first use.
 *
 * Only `data import`/`data update` (fetching a price list) and `bench`
 * (a live engine) talk to the network.  Linking libcurl into the binary
 * made every command, `simulate --deterministic` included, pay for
 * loading and relocating libcurl and the 28 shared libraries it pulls in
 * (TLS, HTTP/2, IDN, LDAP, Kerberos...): about half the instructions of a
 * deterministic run.  So the binary is linked without libcurl: this file
 * defines the libcurl functions the commands call, and the first call
 * opens libcurl.so.4 with dlopen() and forwards to it.  The calling code
 * stays plain libcurl.
 *
 * When libcurl cannot be loaded, the first call says so on stderr (once)
 * and every function fails as libcurl does when it cannot allocate:
 * NULL handles, CURLE_FAILED_INIT, CURLUE_OUT_OF_MEMORY, and the
 * commands report their error and exit.
 */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifndef FC_LIBCURL
#define FC_LIBCURL "libcurl.so.4"
#endif

typedef void (*fc_fnptr)(void);

/* The functions the commands use, in one table filled by load(). */
static struct {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *);
	CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
	const char *(*url_strerror)(CURLUcode);
} fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;

/* dlsym() returns an object pointer; POSIX guarantees that it converts to
 * the function's type, and the copy through memcpy says so to the compiler. */
#define SYM(field, name)                                                    \
	do {                                                                \
		void *p_ = dlsym(h, name);                                  \
		if (p_ == NULL)                                             \
			goto missing;                                       \
		memcpy(&fn.field, &p_, sizeof(p_));                         \
	} while (0)

static void
load(void)
{
	void *h = dlopen(FC_LIBCURL, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL) {
		fprintf(stderr, "flatcost: cannot load %s (%s): fetching a price list and bench need libcurl\n",
		    FC_LIBCURL, dlerror());
		return;
	}
	SYM(global_init, "curl_global_init");
	SYM(global_cleanup, "curl_global_cleanup");
	SYM(easy_init, "curl_easy_init");
	SYM(easy_setopt, "curl_easy_setopt");
	SYM(easy_perform, "curl_easy_perform");
	SYM(easy_cleanup, "curl_easy_cleanup");
	SYM(easy_getinfo, "curl_easy_getinfo");
	SYM(easy_strerror, "curl_easy_strerror");
	SYM(multi_init, "curl_multi_init");
	SYM(multi_add_handle, "curl_multi_add_handle");
	SYM(multi_remove_handle, "curl_multi_remove_handle");
	SYM(multi_perform, "curl_multi_perform");
	SYM(multi_poll, "curl_multi_poll");
	SYM(multi_info_read, "curl_multi_info_read");
	SYM(multi_cleanup, "curl_multi_cleanup");
	SYM(slist_append, "curl_slist_append");
	SYM(slist_free_all, "curl_slist_free_all");
	SYM(url, "curl_url");
	SYM(url_cleanup, "curl_url_cleanup");
	SYM(url_set, "curl_url_set");
	SYM(url_strerror, "curl_url_strerror");
	loaded = 1;
	return;
missing:
	fprintf(stderr, "flatcost: %s lacks a function flatcost uses (%s): libcurl 7.66 or later is needed\n",
	    FC_LIBCURL, dlerror());
	dlclose(h);
}

static int
ready(void)
{
	pthread_once(&once, load);
	return loaded;
}

CURLcode
curl_global_init(long flags)
{
	return ready() ? fn.global_init(flags) : CURLE_FAILED_INIT;
}

void
curl_global_cleanup(void)
{
	if (ready())
		fn.global_cleanup();
}

CURL *
curl_easy_init(void)
{
	return ready() ? fn.easy_init() : NULL;
}

/*
 * The option's number says the type of its one argument (curl.h:
 * CURLOPTTYPE_*): long below 10000, an object pointer below 20000, a
 * function pointer below 30000, curl_off_t below 40000, a blob pointer
 * above.  It is read with that type and passed on with it.
 */
CURLcode
curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
	va_list ap;
	CURLcode rc;

	if (!ready())
		return CURLE_FAILED_INIT;
	va_start(ap, opt);
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = fn.easy_setopt(h, opt, va_arg(ap, long));
	else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
		rc = fn.easy_setopt(h, opt, va_arg(ap, void *));
	else if (opt < CURLOPTTYPE_OFF_T)
		rc = fn.easy_setopt(h, opt, va_arg(ap, fc_fnptr));
	else if (opt < CURLOPTTYPE_BLOB)
		rc = fn.easy_setopt(h, opt, va_arg(ap, curl_off_t));
	else
		rc = fn.easy_setopt(h, opt, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode
curl_easy_perform(CURL *h)
{
	return ready() ? fn.easy_perform(h) : CURLE_FAILED_INIT;
}

void
curl_easy_cleanup(CURL *h)
{
	if (ready())
		fn.easy_cleanup(h);
}

/* Every CURLINFO_* takes one pointer to where the answer goes. */
CURLcode
curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
	va_list ap;
	void *p;

	if (!ready())
		return CURLE_FAILED_INIT;
	va_start(ap, info);
	p = va_arg(ap, void *);
	va_end(ap);
	return fn.easy_getinfo(h, info, p);
}

const char *
curl_easy_strerror(CURLcode rc)
{
	return ready() ? fn.easy_strerror(rc) : "libcurl cannot be loaded";
}

CURLM *
curl_multi_init(void)
{
	return ready() ? fn.multi_init() : NULL;
}

CURLMcode
curl_multi_add_handle(CURLM *m, CURL *h)
{
	return ready() ? fn.multi_add_handle(m, h) : CURLM_INTERNAL_ERROR;
}

CURLMcode
curl_multi_remove_handle(CURLM *m, CURL *h)
{
	return ready() ? fn.multi_remove_handle(m, h) : CURLM_INTERNAL_ERROR;
}

CURLMcode
curl_multi_perform(CURLM *m, int *running)
{
	return ready() ? fn.multi_perform(m, running) : CURLM_INTERNAL_ERROR;
}

CURLMcode
curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned int n, int ms, int *ret)
{
	return ready() ? fn.multi_poll(m, extra, n, ms, ret) : CURLM_INTERNAL_ERROR;
}

CURLMsg *
curl_multi_info_read(CURLM *m, int *left)
{
	return ready() ? fn.multi_info_read(m, left) : NULL;
}

CURLMcode
curl_multi_cleanup(CURLM *m)
{
	return ready() ? fn.multi_cleanup(m) : CURLM_INTERNAL_ERROR;
}

struct curl_slist *
curl_slist_append(struct curl_slist *l, const char *s)
{
	return ready() ? fn.slist_append(l, s) : NULL;
}

void
curl_slist_free_all(struct curl_slist *l)
{
	if (ready())
		fn.slist_free_all(l);
}

CURLU *
curl_url(void)
{
	return ready() ? fn.url() : NULL;
}

void
curl_url_cleanup(CURLU *u)
{
	if (ready())
		fn.url_cleanup(u);
}

CURLUcode
curl_url_set(CURLU *u, CURLUPart part, const char *s, unsigned int flags)
{
	return ready() ? fn.url_set(u, part, s, flags) : CURLUE_OUT_OF_MEMORY;
}

const char *
curl_url_strerror(CURLUcode rc)
{
	return ready() ? fn.url_strerror(rc) : "libcurl cannot be loaded";
}
