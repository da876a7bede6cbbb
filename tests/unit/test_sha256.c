/* SPDX-License-Identifier: MIT */
/* tests/unit/test_sha256.c: tw_sha256_hex against the FIPS 180-4 / NIST example vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tradewar/tradewar.h"

static void check(const char *msg, size_t len, const char *expected)
{
    char hex[65];
    tw_sha256_hex(msg, len, hex);
    assert_string_equal(hex, expected);
}

static void test_vectors(void **state)
{
    (void)state;
    /* NIST CSRC "SHA256.pdf" examples: one block, two blocks; and the empty message. */
    check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_million_a(void **state)
{
    (void)state;
    /* FIPS 180-2 appendix B.3: one million 'a'. */
    char *m = malloc(1000000);
    assert_non_null(m);
    memset(m, 'a', 1000000);
    check(m, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_vectors),
                                       cmocka_unit_test(test_million_a)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
