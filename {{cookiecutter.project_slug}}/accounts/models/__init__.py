"""The app's models: the user, and the small records that live beside it.

``user`` (the account, with its login sessions, second factors, passkeys and linked provider
accounts in the same document, and the seed's Python API), ``profile`` (what
``User.PROFILE_FIELDS`` means: each value checked by its model field), ``link_token`` (one-time
email links), ``mfa_challenge`` (the second step of a login), ``passkey_challenge`` (a passkey
ceremony's challenge), ``social_ticket`` (the one-time secrets of a redirect to a sign-in
provider), ``throttle_counter`` and ``outbox_message``. Every name is importable from here, as
Django and the seed expect: ``from accounts.models import User``.
"""

from accounts.models.link_token import LinkToken
from accounts.models.mfa_challenge import MfaChallenge
from accounts.models.outbox_message import OutboxMessage
from accounts.models.passkey_challenge import PasskeyChallenge
from accounts.models.social_ticket import SocialTicket
from accounts.models.throttle_counter import ThrottleCounter
from accounts.models.user import (
    SEED_FLOWS,
    User,
    UserManager,
    password_rehashed,
    sessions_invalidated,
)

__all__ = [
    "SEED_FLOWS",
    "LinkToken",
    "MfaChallenge",
    "OutboxMessage",
    "PasskeyChallenge",
    "SocialTicket",
    "ThrottleCounter",
    "User",
    "UserManager",
    "password_rehashed",
    "sessions_invalidated",
]
