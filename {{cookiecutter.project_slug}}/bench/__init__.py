"""``make bench``: how fast an authenticated request is, next to what it cannot beat.

Serves the project with gunicorn (2 sync workers) on the embedded database, with two views
added for the benchmark only (``bench.urls``, never in the project's own URLs):

- ``bare``: a JSON answer through the same middleware, no database;
- ``floor``: the same, plus one ``find_one`` by primary key (the least ``GET me`` can cost);

then drives ``GET /api/auth/me``, ``bare`` and ``floor`` with ``wrk`` (``apt-get install
wrk``) or, without it, a small bundled client, at 100 and at 10,000 accounts, each with
a live session inserted directly (no bcrypt). ``python -m bench --help`` for the knobs.
"""
