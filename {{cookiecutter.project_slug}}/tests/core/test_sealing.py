"""accounts.core.sealing: sealed data opens only with its key and its purpose (SEC-51, SEC-54)."""

import pytest

from accounts.core.sealing import SealError, derive_key, seal, unseal

KEY = derive_key("k" * 43, "tests")


def test_a_sealed_value_opens_with_its_key_and_purpose_and_hides_the_plaintext():
    sealed = seal(b"JBSWY3DPEHPK3PXP", KEY, context="totp")
    assert b"JBSWY3DPEHPK3PXP" not in sealed.encode()
    assert unseal(sealed, KEY, context="totp") == b"JBSWY3DPEHPK3PXP"
    assert seal(b"JBSWY3DPEHPK3PXP", KEY, context="totp") != sealed  # a fresh nonce each time


@pytest.mark.parametrize(
    ("key", "context"),
    [
        (derive_key("k" * 43, "other purpose"), "totp"),
        (derive_key("x" * 43, "tests"), "totp"),
        (KEY, "outbox"),
    ],
    ids=["key-for-another-purpose", "another-secret", "another-context"],
)
def test_a_sealed_value_does_not_open_elsewhere(key, context):
    with pytest.raises(SealError):
        unseal(seal(b"secret", KEY, context="totp"), key, context=context)


@pytest.mark.parametrize("value", ["", "v1.", "v1.!!", "v2.AAAA", "plain text", "v1." + "A" * 40])
def test_malformed_values_raise_seal_error(value):
    with pytest.raises(SealError):
        unseal(value, KEY, context="totp")


def test_no_key_configured_is_an_error_not_an_empty_key():
    with pytest.raises(SealError):
        derive_key("", "tests")
