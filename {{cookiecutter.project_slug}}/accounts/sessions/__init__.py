"""Login sessions: tokens issued at login, kept in the user's document, read once per request.

Owns: ``tokens`` (issue, authenticate, list and revoke sessions; one ``find_one`` per
authenticated request), ``decorators`` (``@authenticated``, ``authenticate_request``),
``flows`` (logout, logout-all, the API's session list and revocation), ``views``
(``logout``, ``logout-all``, ``sessions``, ``sessions/<id>``) and ``openapi`` (their
declarations).

May import: the models, the storage and the primitives. Never another feature: every
feature that logs someone in or needs the caller's user imports this package.
"""
