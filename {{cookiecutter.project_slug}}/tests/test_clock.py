"""One timestamp precision everywhere: milliseconds, as MongoDB stores dates."""

import re

from accounts.clock import iso, now

ISO_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")


def test_the_clock_gives_whole_milliseconds():
    assert now().microsecond % 1000 == 0


def test_iso_always_has_three_decimals(clock):
    assert ISO_MILLIS.match(iso(clock.now()))  # whole seconds still get ".000"


def test_put_verify_and_get_me_report_the_same_instant(api, token, mailoutbox):
    # The real clock, not the fixture: the bug was microseconds in one answer only.
    from tests.conftest import link_token_from

    api.post("verify", token=token)
    verified = api.put(f"verify?a={link_token_from(mailoutbox[-1])}").json()["email_verified_at"]
    assert ISO_MILLIS.match(verified)
    assert api.get("me", token=token).json()["email_verified_at"] == verified


def test_login_expiry_has_the_same_precision(api, user):
    assert ISO_MILLIS.match(api.login().json()["expires_at"])
