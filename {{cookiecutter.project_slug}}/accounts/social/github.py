"""GitHub: OAuth 2.0 and no OpenID Connect, so who signed in comes from its API.

After the code exchange, two calls with the access token: ``GET /user`` gives the account's
numeric ``id``, the identity's subject (a ``login`` can be renamed, then taken by someone
else; the id never changes), and ``GET /user/emails`` (the ``user:email`` scope) gives the
address marked both ``primary`` and ``verified``. GitHub verifies addresses itself, so that
one counts as verified; an account without one has no address to offer.
"""

from accounts.social import outbound
from accounts.social.errors import ProviderError
from accounts.social.profiles import Profile

API_VERSION = "2022-11-28"


def _get(url: str, access_token: str):
    headers = {
        "Authorization": f"Bearer {access_token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": API_VERSION,
    }
    return outbound.get_json(url, headers)


def profile(provider, access_token: str) -> Profile:
    """Return the profile of the GitHub account ``access_token`` was issued for."""
    base = provider.endpoints["api_url"].rstrip("/")
    status, user = _get(f"{base}/user", access_token)
    user_id = user.get("id") if status == 200 and isinstance(user, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise ProviderError()
    status, emails = _get(f"{base}/user/emails", access_token)
    listed = emails if status == 200 and isinstance(emails, list) else []
    primary = next(
        (
            entry["email"]
            for entry in listed
            if isinstance(entry, dict)
            and entry.get("primary") is True
            and entry.get("verified") is True
            and isinstance(entry.get("email"), str)
        ),
        "",
    )
    login, name = user.get("login"), user.get("name")
    return Profile(
        provider=provider.id,
        subject=str(user_id),
        email=primary,
        email_verified=bool(primary),
        username=login if isinstance(login, str) else "",
        name=name if isinstance(name, str) else "",
    )
