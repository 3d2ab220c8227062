"""``python -m bench`` (``make bench``): print requests per second and the ratios.

With ``MONGODB_URI`` unset, an in-memory SecantusDB is started for the run (``.devdb/`` is
not touched); with it set, a throwaway database on that server is used and dropped.
"""

import argparse
import contextlib
import http.client
import io
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench import load

PROJECT_DIR = Path(__file__).resolve().parent.parent
# name, path, and whether the token goes as the browser session cookie (else as a bearer)
ENDPOINTS = [
    ("bare view", "/api/bench/bare", False),
    ("floor: one find_one", "/api/bench/floor", False),
    ("GET /api/auth/me", "/api/auth/me", False),
    ("GET /api/auth/me (cookie)", "/api/auth/me", True),
]


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--accounts", default="100,10000", help="sizes, comma-separated")
    parser.add_argument("--seconds", type=float, default=4, help="per round of an endpoint")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per endpoint and size")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args(argv)
    args.sizes = sorted(int(size) for size in args.accounts.split(","))
    return args


def _with_database(uri: str, name: str) -> str:
    parts = urllib.parse.urlsplit(uri)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _start_gunicorn(uri: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "MONGODB_URI": uri,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "1",  # as in production: the session cookie is __Host-
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"]
    return subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdin=subprocess.DEVNULL)


def _wait_until_serving(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("bench: gunicorn exited at start")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/bench/bare")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("bench: gunicorn did not answer within 30 s")


def _stop_on_signal(signum, frame):
    raise KeyboardInterrupt


# What the last lines mean: the same ratio (GET me against the floor, one indexed find_one) at
# the largest and the smallest number of accounts, divided one by the other.
GROWTH_NOTE = (
    "(How GET me's cost grows with the accounts, beside one indexed find_one's: about 1.00 means\n"
    " it grows no faster, the look-up is indexed; a collection scan would fall toward\n"
    " {small:,}/{large:,} of that, a hundredfold fewer requests at 10,000 accounts. Noise on a\n"
    " busy machine moves it by 0.1 or 0.2: run again before you worry.)"
)


def _table(rows: list[tuple[int, str, float, float, int]]) -> str:
    lines = [
        "| accounts | endpoint | req/s | vs floor |",
        "| ---: | --- | ---: | ---: |",
    ]
    for size, name, rate, ratio, errors in rows:
        note = f" ({errors} errors)" if errors else ""
        lines.append(f"| {size:,} | {name} | {rate:,.0f}{note} | {ratio:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    signal.signal(signal.SIGTERM, _stop_on_signal)  # clean up gunicorn and the database too
    from devdb.server import EmbeddedServer, free_port

    server = None
    base = os.environ.get("MONGODB_URI")
    if not base:
        server = EmbeddedServer().start()
        base = server.uri
    uri = _with_database(base, f"bench_{secrets.token_hex(4)}")
    os.environ.update(MONGODB_URI=uri, DJANGO_SETTINGS_MODULE="bench.settings")
    gunicorn = None
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from accounts import store
        from accounts.sessions import browser
        from bench import seed

        with contextlib.redirect_stdout(io.StringIO()):  # djongo prints notes while migrating
            call_command("migrate", verbosity=0)
        # WhiteNoise (as in production) warns at start in each worker when STATIC_ROOT is not
        # there; the benchmark serves no static file, so an empty one (git-ignored) will do.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        port = free_port()
        gunicorn = _start_gunicorn(uri, port, args.workers)
        _wait_until_serving(gunicorn, port)
        client = "wrk" if load.have_wrk() else "bundled Python client (apt-get install wrk)"
        print(
            f"bench: gunicorn {args.workers} sync workers, {client}, {args.connections} "
            f"connections, {args.rounds} rounds of {args.seconds:g} s per endpoint, database {uri}",
            file=sys.stderr,
        )
        rows, tokens = [], []
        for size in args.sizes:
            tokens += seed.add_accounts(len(tokens), size)
            load.run(f"http://127.0.0.1:{port}/api/auth/me", tokens, 3, args.connections, 1)
            # Rounds interleave the endpoints, so a busy moment on the machine hits all
            # three alike; each endpoint's figure is the median of its rounds.
            samples = {name: [] for name, _, _ in ENDPOINTS}
            for _ in range(args.rounds):
                for name, path, by_cookie in ENDPOINTS:
                    url = f"http://127.0.0.1:{port}{path}"
                    cookie = load.cookie(f"__Host-{browser.COOKIE}")  # Secure, as served
                    header = cookie if by_cookie else load.BEARER
                    samples[name].append(
                        load.run(url, tokens, args.seconds, args.connections, args.threads, header)
                    )
            rates = {}
            for name, results in samples.items():
                rate = statistics.median(r.requests_per_second for r in results)
                rates[name] = (rate, sum(r.errors for r in results))
                print(f"bench: {size:,} accounts, {name}: {rate:,.0f} req/s", file=sys.stderr)
            floor = rates["floor: one find_one"][0] or 1
            rows += [
                (size, name, rate, rate / floor, errors) for name, (rate, errors) in rates.items()
            ]
        print(_table(rows))
        growth = []
        for client in ("GET /api/auth/me", "GET /api/auth/me (cookie)"):
            me = [ratio for size, name, rate, ratio, errors in rows if name == client]
            if len(me) > 1:
                growth.append(
                    f"{client} vs floor at {args.sizes[-1]:,} accounts / at "
                    f"{args.sizes[0]:,}: {me[-1] / me[0]:.2f}"
                )
        if growth:
            print("\n" + "\n".join(growth))
            print(GROWTH_NOTE.format(small=args.sizes[0], large=args.sizes[-1]))
        return 0
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=10)
        if server is None and "django" in sys.modules:  # a throwaway database on your server
            from accounts import store

            store.database().client.drop_database(store.database().name)
        if server is not None:
            server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
