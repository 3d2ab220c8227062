"""Drive one URL for a while and count the answers: ``wrk`` when installed, else threads.

Every request carries a token, taken in turn from the benchmark's accounts, so the
database serves a different document each time (``bare`` ignores it): as a bearer token
(``Authorization: Bearer <token>``) or, for a browser client, as its session cookie
(``Cookie: __Host-auth_session=<token>``).
"""

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# wrk runs this in each of its threads: rotate through the tokens file given after "--",
# sending each in the header named next, after the prefix named last.
WRK_SCRIPT = """
local tokens = {}
local counter = 0
local header, prefix = "Authorization", "Bearer "
function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  header, prefix = args[2], args[3]
  counter = math.random(#tokens)
end
function request()
  counter = counter % #tokens + 1
  return wrk.format(nil, nil, {[header] = prefix .. tokens[counter]})
end
"""
BEARER = ("Authorization", "Bearer ")


def cookie(name: str) -> tuple[str, str]:
    """The header and prefix that send a token as the cookie ``name``."""
    return ("Cookie", f"{name}=")


@dataclass
class Result:
    requests_per_second: float
    errors: int


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run(
    url: str,
    tokens: list[str],
    seconds: float,
    connections: int,
    threads: int,
    header: tuple[str, str] = BEARER,
) -> Result:
    """Load ``url`` for ``seconds``; return requests per second and non-2xx answers.

    ``header`` is the header each token goes in and its prefix: ``BEARER``, or ``cookie()``.
    """
    if have_wrk():
        return _run_wrk(url, tokens, seconds, connections, threads, header)
    return _run_threads(url, tokens, seconds, connections, header)


def _run_wrk(url, tokens, seconds, connections, threads, header) -> Result:
    with tempfile.TemporaryDirectory() as directory:
        script, token_file = Path(directory, "tokens.lua"), Path(directory, "tokens.txt")
        script.write_text(WRK_SCRIPT)
        token_file.write_text("\n".join(tokens) + "\n")
        output = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "-s",
                str(script),
            ]
            + [url, "--", str(token_file), *header],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    failed = re.search(r"Socket errors:.*", output)
    if rate is None:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    return Result(float(rate.group(1)), int(errors.group(1)) if errors else 0 + bool(failed))


def _run_threads(url, tokens, seconds, connections, header) -> Result:
    """The bundled client: ``connections`` threads, one keep-alive connection each."""
    parts = urlsplit(url)
    deadline = time.monotonic() + seconds
    counts = [[0, 0] for _ in range(connections)]

    def worker(number):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        index = number * 7919
        while time.monotonic() < deadline:
            index += 1
            token = tokens[index % len(tokens)]
            connection.request("GET", parts.path, headers={header[0]: header[1] + token})
            response = connection.getresponse()
            response.read()
            counts[number][0 if 200 <= response.status < 300 else 1] += 1
        connection.close()

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    return Result(sum(ok + bad for ok, bad in counts) / elapsed, sum(bad for _, bad in counts))
