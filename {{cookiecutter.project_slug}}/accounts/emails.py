"""``EmailTypes`` under the seed's import path: ``from accounts.emails import EmailTypes``.

The emails themselves live in ``accounts.mail.emails``; this module only keeps the public name.
"""

from accounts.mail.emails import EmailTypes

__all__ = ["EmailTypes"]
