import base64

import pyotp
import pytest

from azad.demo.totp import demo_secret, otpauth_uri, seconds_left, totp_code


@pytest.mark.parametrize("at", [0, 59, 1111111109, 1234567890, 2000000000, 1763780000.5])
def test_it_computes_the_same_codes_as_pyotp(at):
    secret = demo_secret("mufettis")
    assert totp_code(secret, at) == pyotp.TOTP(secret).at(at)


def test_it_computes_the_rfc_6238_sha1_test_vector():
    # RFC 6238 appendix B: secret "12345678901234567890", T = 59 -> 94287082 (8 digits); 6 digits: 287082.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp_code(secret, 59) == "287082"


def test_it_derives_a_fixed_secret_per_username():
    assert demo_secret("admin") == demo_secret("admin")
    assert demo_secret("admin") != demo_secret("koordinator")
    assert len(demo_secret("admin")) == 32


def test_it_builds_an_otpauth_uri_that_authenticator_apps_read():
    secret = demo_secret("operator")
    parsed = pyotp.parse_uri(otpauth_uri(secret, "operator"))
    assert parsed.secret == secret
    assert parsed.issuer == "Azad"
    assert parsed.name == "operator"


def test_it_counts_the_seconds_left_in_the_step():
    assert seconds_left(60) == 30
    assert seconds_left(89) == 1
