"""Hypothesis throws hostile input at every endpoint and method: never a 5xx (SEC-31)."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

ENDPOINTS = [
    *["register", "login", "logout", "logout-all", "me", "verify", "reset", "password"],
    *["login/mfa", "mfa/totp", "mfa/recovery-codes"],
    *["email", "sessions", "sessions/x"],
]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
FIELDS = [
    *["username", "email", "password", "new_password", "current_password", "a", "$ne", "$gt"],
    *["mfa_token", "code", "recovery_code"],
    "new_email",
]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)
objects = st.dictionaries(st.sampled_from(FIELDS), values, max_size=6)
bodies = st.one_of(
    objects.map(lambda o: json.dumps(o).encode()),
    values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
content_types = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "text/plain", "", "multipart/form-data"]
)
headers = st.one_of(
    st.none(), st.text(max_size=60).filter(lambda h: "\n" not in h and "\r" not in h)
)
queries = st.one_of(
    st.just(""), st.text(max_size=30).map(lambda a: "?" + json.dumps({"a": a})[1:-1])
)


@pytest.mark.django_db
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    method=st.sampled_from(METHODS),
    body=bodies,
    content_type=content_types,
    authorization=headers,
    query=queries,
    slash=st.booleans(),
)
def test_sec31_no_input_gets_a_5xx_or_a_non_json_error(
    client, endpoint, method, body, content_type, authorization, query, slash
):
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    path = f"/api/auth/{endpoint}{'/' if slash else ''}{query}"
    response = client.generic(method, path, body, content_type=content_type, **extra)
    assert response.status_code < 500, (method, path, body, response.content)
    if response.status_code >= 400:
        error = response.json()
        assert {"error", "code"} <= set(error) <= {"error", "code", "errors"}


@pytest.mark.django_db
@given(
    path=st.sampled_from(["me", "email", "sessions", "sessions/"]) | st.text(max_size=30),
    method=st.sampled_from(METHODS),
    body=bodies,
    content_type=content_types,
)
def test_sec31_no_input_with_a_live_token_gets_a_5xx(
    client, token, path, method, body, content_type
):
    """The same, past authentication: the lifecycle endpoints and odd session ids."""
    if not path.startswith(("me", "email", "sessions")):
        path = f"sessions/{path}"
    response = client.generic(
        method, f"/api/auth/{path}", body, content_type=content_type, HTTP_AUTHORIZATION=token
    )
    assert response.status_code < 500, (method, path, body, response.content)
    if response.status_code >= 400:
        assert {"error", "code"} <= set(response.json())
