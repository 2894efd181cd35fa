#include "CSHA1.h"

static inline uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

void crossdock_sha1_blocks_portable(uint32_t state[5], const uint8_t *data, size_t blocks) {
    uint32_t w[80];
    for (; blocks > 0; blocks--, data += 64) {
        for (int i = 0; i < 16; i++) {
            w[i] = (uint32_t)data[4 * i] << 24 | (uint32_t)data[4 * i + 1] << 16 | (uint32_t)data[4 * i + 2] << 8 |
                   (uint32_t)data[4 * i + 3];
        }
        for (int i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) {
                f = (b & c) | (~b & d);
                k = 0x5A827999;
            } else if (i < 40) {
                f = b ^ c ^ d;
                k = 0x6ED9EBA1;
            } else if (i < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8F1BBCDC;
            } else {
                f = b ^ c ^ d;
                k = 0xCA62C1D6;
            }
            uint32_t t = rotl(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = rotl(b, 30);
            b = a;
            a = t;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

static int has_sha_extensions(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    int sse41 = (ecx >> 19) & 1, ssse3 = (ecx >> 9) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return sse41 && ssse3 && ((ebx >> 29) & 1);
}

/// Four rounds; the round function's selector must be a constant.
#define ROUNDS4(abcd, e, group)                                         \
    switch ((group) / 5) {                                              \
    case 0: abcd = _mm_sha1rnds4_epu32(abcd, e, 0); break;              \
    case 1: abcd = _mm_sha1rnds4_epu32(abcd, e, 1); break;              \
    case 2: abcd = _mm_sha1rnds4_epu32(abcd, e, 2); break;              \
    default: abcd = _mm_sha1rnds4_epu32(abcd, e, 3); break;             \
    }

__attribute__((target("sha,sse4.1,ssse3")))
static void sha1_blocks_sha_ni(uint32_t state[5], const uint8_t *data, size_t blocks) {
    // Words in big-endian order with the first one in the highest lane, as the instructions want.
    const __m128i reverse = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)state), 0x1B);
    __m128i e0 = _mm_set_epi32((int)state[4], 0, 0, 0);
    for (; blocks > 0; blocks--, data += 64) {
        const __m128i abcd_start = abcd, e_start = e0;
        // message[g % 4] holds words 4g...4g+3 of the schedule once group g is reached.
        __m128i message[4];
        __m128i before = abcd;  // abcd before the previous group's rounds
        for (int group = 0; group < 20; group++) {
            __m128i words;
            if (group < 4) {
                words = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * group)), reverse);
            } else {
                // W[t] = rotl(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16], 1), four at a time.
                __m128i mixed = _mm_sha1msg1_epu32(message[group % 4], message[(group + 1) % 4]);
                mixed = _mm_xor_si128(mixed, message[(group + 2) % 4]);
                words = _mm_sha1msg2_epu32(mixed, message[(group + 3) % 4]);
            }
            message[group % 4] = words;
            __m128i e = group == 0 ? _mm_add_epi32(e0, words) : _mm_sha1nexte_epu32(before, words);
            before = abcd;
            ROUNDS4(abcd, e, group);
        }
        e0 = _mm_sha1nexte_epu32(before, e_start);
        abcd = _mm_add_epi32(abcd, abcd_start);
    }
    _mm_storeu_si128((__m128i *)state, _mm_shuffle_epi32(abcd, 0x1B));
    state[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}

static int hardware = -1;

int crossdock_sha1_uses_hardware(void) {
    int known = __atomic_load_n(&hardware, __ATOMIC_RELAXED);
    if (known < 0) {
        known = has_sha_extensions();  // every thread finds the same answer
        __atomic_store_n(&hardware, known, __ATOMIC_RELAXED);
    }
    return known;
}

void crossdock_sha1_blocks(uint32_t state[5], const uint8_t *data, size_t blocks) {
    if (crossdock_sha1_uses_hardware()) {
        sha1_blocks_sha_ni(state, data, blocks);
    } else {
        crossdock_sha1_blocks_portable(state, data, blocks);
    }
}
#else
int crossdock_sha1_uses_hardware(void) { return 0; }

void crossdock_sha1_blocks(uint32_t state[5], const uint8_t *data, size_t blocks) {
    crossdock_sha1_blocks_portable(state, data, blocks);
}
#endif
