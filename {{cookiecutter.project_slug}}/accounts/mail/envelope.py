"""The envelope of a queued email: the message as JSON, sealed, bound to its outbox document.

A queued email carries link tokens, so it is stored sealed (``accounts.core.sealing``, AES-GCM)
under a key derived from ``SECRET_KEY`` and bound to the document's ``_id``: a database dump
shows no token, and a sealed message copied into another document does not open (SEC-54).
``accounts.mail.outbox`` queues and delivers envelopes; this module only makes and opens them.
"""

import json

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from accounts.core import sealing

KEY_PURPOSE = "accounts.outbox"


def _keys() -> list[bytes]:
    """Return the sealing key of ``SECRET_KEY``, then those of ``SECRET_KEY_FALLBACKS``.

    Deriving it from the secret key keeps the key in the environment, never beside the
    data, and needs no new setting; the fallbacks let mail queued before a key rotation
    still be opened.
    """
    configured = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [sealing.derive_key(secret, KEY_PURPOSE) for secret in configured if secret]


def _context(message_id) -> str:
    return f"outbox:{message_id}"


def pack(message) -> bytes:
    return json.dumps(
        {
            "subject": message.subject,
            "body": message.body,
            "from_email": message.from_email,
            "to": list(message.to),
            "cc": list(message.cc),
            "bcc": list(message.bcc),
            "reply_to": list(message.reply_to),
            "headers": dict(message.extra_headers),
            "alternatives": [list(a) for a in getattr(message, "alternatives", [])],
        }
    ).encode()


def unseal(document) -> bytes:
    for key in _keys():
        try:
            return sealing.unseal(document["message"], key, context=_context(document["_id"]))
        except sealing.SealError:
            continue
    raise sealing.SealError("no configured key opens this message")


def open_message(document) -> EmailMultiAlternatives:
    """Unseal a queued document back into the email; ``SealError`` if no key opens it."""
    data = json.loads(unseal(document))
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def seal(payload: bytes, message_id) -> bytes:
    """Seal ``payload`` (``pack``'s output, or a task's arguments) for document ``message_id``."""
    return sealing.seal(payload, _keys()[0], context=_context(message_id))
