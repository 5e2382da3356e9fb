// HMAC-SHA256 of Jupyter-sized messages (header, parent header, metadata, content) with
// libsodium (what MessageSigner uses) and with OpenSSL's libcrypto, each starting from a keyed
// state copied per message as MessageSigner does. Thread CPU nanoseconds per message, the
// median of alternating rounds; both digests are checked equal. See README.md.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static unsigned char parts[4][8192];

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 7;
    if (rounds < 1 || rounds > 99 || sodium_init() < 0) return 1;
    unsigned char key[64];
    memset(key, 'k', sizeof key);
    for (int p = 0; p < 4; p++) memset(parts[p], 'a' + p, sizeof parts[p]);
    // A status message, an execute_reply-sized one, and one with a few KB of output.
    const size_t sizes[][4] = {{180, 180, 2, 40}, {250, 250, 2, 400}, {250, 250, 2, 4000}};
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *keyed = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
        OSSL_PARAM_construct_end()};
    if (!keyed || !EVP_MAC_init(keyed, key, sizeof key, params)) return 1;
    crypto_auth_hmacsha256_state sodium_keyed;
    crypto_auth_hmacsha256_init(&sodium_keyed, key, sizeof key);
    for (int s = 0; s < 3; s++) {
        size_t total = 0;
        for (int p = 0; p < 4; p++) total += sizes[s][p];
        int n = 100000 / (1 + (int)total / 256);
        double sodium[99], openssl[99];
        unsigned char a[32], b[32];
        for (int round = 0; round < rounds; round++) {
            double t0 = cpu_seconds();
            for (int i = 0; i < n; i++) {
                crypto_auth_hmacsha256_state state = sodium_keyed;
                for (int p = 0; p < 4; p++) crypto_auth_hmacsha256_update(&state, parts[p], sizes[s][p]);
                crypto_auth_hmacsha256_final(&state, a);
            }
            double t1 = cpu_seconds();
            for (int i = 0; i < n; i++) {
                EVP_MAC_CTX *state = EVP_MAC_CTX_dup(keyed);
                for (int p = 0; p < 4; p++) EVP_MAC_update(state, parts[p], sizes[s][p]);
                size_t length = 0;
                EVP_MAC_final(state, b, &length, sizeof b);
                EVP_MAC_CTX_free(state);
            }
            double t2 = cpu_seconds();
            sodium[round] = (t1 - t0) / n * 1e9;
            openssl[round] = (t2 - t1) / n * 1e9;
            if (memcmp(a, b, 32) != 0) {
                fprintf(stderr, "digests differ\n");
                return 1;
            }
        }
        qsort(sodium, rounds, sizeof(double), compare_doubles);
        qsort(openssl, rounds, sizeof(double), compare_doubles);
        double x = sodium[rounds / 2], y = openssl[rounds / 2];
        printf("message of %4zu bytes: libsodium %6.0f ns, OpenSSL %6.0f ns (%.2fx)\n", total, x, y, y / x);
    }
    return 0;
}
