/* Seeded, deterministic input mutations shared by the fuzz tests
 * (test_io_fuzz.c, test_fuzz_dicom.c, test_text_fuzz.c): a splitmix64
 * random sequence, the RADX_FUZZ_SCALE iteration scaling, byte buffers with
 * spare room, truncations and random edits (bit flips, overwrites with a
 * random or a "special" byte, deletions, duplications).
 *
 * Header-only (static inline): tests/CMakeLists.txt compiles a fixed list
 * of tests/util sources into radx_testutil. */
#ifndef RADX_TEST_FUZZ_MUTATE_H
#define RADX_TEST_FUZZ_MUTATE_H

#include "testutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- random sequence */

typedef struct fuzz_rng {
    uint64_t state;
} fuzz_rng;

/* splitmix64 (Steele, Lea & Flood 2014): a fixed sequence per seed, so
 * every run tries the same inputs. */
static inline uint64_t fuzz_next(fuzz_rng *rng)
{
    uint64_t z = (rng->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform-enough in [0, n) (modulo bias is irrelevant here); 0 for n = 0. */
static inline size_t fuzz_below(fuzz_rng *rng, size_t n) { return n ? (size_t)(fuzz_next(rng) % n) : 0; }

/* ---------------------------------------------------------------- scaling */

/* RADX_FUZZ_SCALE (a positive fraction of the iterations, e.g. 0.05 under
 * valgrind), else 1. */
static inline double fuzz_scale_from_env(void)
{
    const char *env = getenv("RADX_FUZZ_SCALE");
    return env && atof(env) > 0 ? atof(env) : 1.0;
}

/* `full` iterations scaled, at least one. */
static inline int fuzz_iterations(int full, double scale)
{
    int n = (int)(full * scale);
    return n < 1 ? 1 : n;
}

/* ---------------------------------------------------------------- buffers */

/* Spare bytes after the data: room for the duplications of fuzz_mutate
 * (at most 4 per call). */
enum { FUZZ_SPARE = 64 };

typedef struct fuzz_buffer {
    unsigned char *bytes;
    size_t size;
} fuzz_buffer;

static inline fuzz_buffer fuzz_copy(const unsigned char *bytes, size_t size)
{
    fuzz_buffer b = {malloc(size + FUZZ_SPARE), size};
    assert_non_null(b.bytes);
    if (size) memcpy(b.bytes, bytes, size);
    return b;
}

/* The bytes of a seed file (the test fails when it cannot be read). */
static inline fuzz_buffer fuzz_read_seed(const char *path)
{
    size_t n = 0;
    char *text = radx_test_read_file(path, &n);
    if (!text) fail_msg("cannot read seed %s", path);
    fuzz_buffer b = fuzz_copy((unsigned char *)text, n);
    free(text);
    return b;
}

/* ---------------------------------------------------------------- mutations */

/* Tries one mutated input (writes it and reads it back); `context` is the
 * test's. */
typedef void (*fuzz_try_fn)(void *context, const unsigned char *bytes, size_t size);

/* Bytes an edit may write in place of one: 0x00 and 0xff by default. */
typedef struct fuzz_specials {
    const unsigned char *bytes;
    size_t n;
} fuzz_specials;

/* 1 to 4 random edits in place: flip one bit, overwrite a byte with a
 * random one or with one of `specials`, delete 1 to 8 bytes, duplicate a
 * byte (b needs FUZZ_SPARE spare bytes). */
static inline void fuzz_mutate(fuzz_rng *rng, fuzz_buffer *b, fuzz_specials specials)
{
    static const unsigned char zero_and_ones[] = {0x00, 0xff};
    if (!specials.n) specials = (fuzz_specials){zero_and_ones, sizeof zero_and_ones};
    int edits = 1 + (int)fuzz_below(rng, 4);
    for (int e = 0; e < edits && b->size > 0; e++) {
        size_t at = fuzz_below(rng, b->size);
        switch (fuzz_below(rng, 5)) {
        case 0: b->bytes[at] ^= (unsigned char)(1u << fuzz_below(rng, 8)); break;
        case 1: b->bytes[at] = (unsigned char)fuzz_next(rng); break;
        case 2: b->bytes[at] = specials.bytes[fuzz_below(rng, specials.n)]; break;
        case 3: { /* delete a few bytes */
            size_t n = 1 + fuzz_below(rng, 8);
            if (at + n > b->size) n = b->size - at;
            memmove(b->bytes + at, b->bytes + at + n, b->size - at - n);
            b->size -= n;
            break;
        }
        default: /* duplicate a byte */
            memmove(b->bytes + at + 1, b->bytes + at, b->size - at);
            b->size++;
            break;
        }
    }
}

/* `count` (scaled) randomly edited copies of `original`, each tried. */
static inline void fuzz_random_mutations(fuzz_rng *rng, const fuzz_buffer *original, int count, double scale,
                                         fuzz_specials specials, fuzz_try_fn try_input, void *context)
{
    for (int i = 0; i < fuzz_iterations(count, scale); i++) {
        fuzz_buffer b = fuzz_copy(original->bytes, original->size);
        fuzz_mutate(rng, &b, specials);
        try_input(context, b.bytes, b.size);
        free(b.bytes);
    }
}

/* The first n bytes of `original` for about `count` (scaled) lengths
 * n = 0, step, 2 step, ... below its size. */
static inline void fuzz_truncations(const fuzz_buffer *original, int count, double scale, fuzz_try_fn try_input,
                                    void *context)
{
    size_t step = original->size / (size_t)fuzz_iterations(count, scale) + 1;
    for (size_t n = 0; n < original->size; n += step) try_input(context, original->bytes, n);
}

/* Every length in [from, to) below the size (around a header's end). */
static inline void fuzz_truncations_between(const fuzz_buffer *original, size_t from, size_t to,
                                            fuzz_try_fn try_input, void *context)
{
    for (size_t n = from; n < to && n < original->size; n++) try_input(context, original->bytes, n);
}

#endif
