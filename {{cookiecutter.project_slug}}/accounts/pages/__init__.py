"""The pages email links open: ``/verify``, ``/reset`` and ``/email``, templates and a little JS.

Owns: ``views`` (the three pages and their script) and ``templates/accounts/pages/``. The
pages call the API from the browser (``accounts.auth``, ``accounts.lifecycle``); this package
imports neither.

May import: the primitives (``accounts.conf``). Nothing imports it but the project's URLs.
"""
