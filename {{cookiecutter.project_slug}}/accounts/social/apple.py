"""Sign in with Apple's client secret: a short-lived JWT signed with the team's key (ES256).

Apple gives no fixed secret. The web client proves itself at the token endpoint with a JWT
that the team's private key (a ``.p8`` file from the Apple Developer console, the ``key_id``
its id) signs: issued by the team, about the client (``sub``), for Apple (``aud``). Apple
accepts a lifetime of up to six months; one is made for each code exchange instead, and lives
five minutes, so a leaked one is soon worthless and there is no expiry to watch.
"""

from joserfc import jwt
from joserfc.jwk import ECKey

from accounts import clock

AUDIENCE = "https://appleid.apple.com"
LIFETIME = 300  # seconds


def client_secret(client_id: str, team_id: str, key_id: str, private_key: str) -> str:
    """Return a client secret for ``client_id``, signed with the team's key ``key_id``."""
    now = int(clock.now().timestamp())
    claims = {"iss": team_id, "iat": now, "exp": now + LIFETIME, "aud": AUDIENCE, "sub": client_id}
    key = ECKey.import_key(private_key)
    return jwt.encode({"alg": "ES256", "kid": key_id}, claims, key, algorithms=["ES256"])
