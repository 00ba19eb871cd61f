#ifndef DWH_CCURL_SHIM_H
#define DWH_CCURL_SHIM_H

#include <curl/curl.h>

/* curl_easy_setopt is variadic: Swift calls these typed wrappers instead. */
static inline CURLcode dwh_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dwh_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dwh_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dwh_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dwh_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*dwh_curl_data_callback)(char *, size_t, size_t, void *);
static inline CURLcode dwh_curl_setopt_callback(CURL *h, CURLoption o, dwh_curl_data_callback v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode dwh_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }

#endif
