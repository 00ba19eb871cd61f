#ifndef DWH_CLIBCRYPTO_SHIM_H
#define DWH_CLIBCRYPTO_SHIM_H

/* OpenSSL's libcrypto, which libcurl's development package brings: only its digests. */
#include <openssl/evp.h>

#endif
