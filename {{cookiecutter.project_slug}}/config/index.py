"""``GET /``: in DEBUG, a small HTML index of what this project serves; else a JSON 404.

A developer opening http://localhost:8000/ after ``make run`` finds the reference front end, the
API docs (when the project serves them), the admin, the health check, the email pages and the
endpoint table of ``docs/api.md``. In production there is nothing to show at ``/``: the answer
is the project's usual JSON 404.
"""

import re
from string import Template

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.html import escape, format_html_join

from accounts.errors import MethodNotAllowed
from accounts.middleware import generic_response

API_PAGE = "docs/api.md"
API_SECTION = "# The auth API"
CODE = re.compile(r"`([^`]+)`")
LINKS = [
    ("/demo/", "Reference front end", "every flow of the API in a browser, on a browser session"),
    ("/api/docs", "API documentation", "interactive, from /api/openapi.json"),
    ("/admin/", "Admin", "make superuser creates an account"),
    ("/api/health", "Health check", "database and mail"),
    ("/verify", "Email verification page", "opened by the link in the verify email"),
    ("/reset", "Password reset page", "opened by the link in the reset email"),
    ("/email", "Email change page", "opened by the link sent to the new address"),
]
PAGE = Template("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>$title</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
code{background:#f3f3f3;padding:0 .2rem}</style></head>
<body><h1>$title</h1><p>Development index (DEBUG is on; in production <code>/</code> is a
JSON 404).</p><ul>$links</ul><h2>The auth API</h2>$table</body></html>""")


def serves(path: str) -> bool:
    """Tell whether this project routes ``path`` (the API docs are optional)."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def markdown_cell(text: str) -> str:
    """Render a Markdown table cell: escaped, with its `code` spans kept."""
    return CODE.sub(r"<code>\1</code>", escape(text.strip()))


def api_table() -> str:
    """Return docs/api.md's endpoint table as HTML, or a pointer to the page without one."""
    pointer = f"<p>See {API_PAGE}.</p>"
    try:
        lines = (settings.BASE_DIR / API_PAGE).read_text(encoding="utf-8").splitlines()
        start = lines.index(API_SECTION)
    except (OSError, ValueError):
        return pointer
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("|"):
            rows.append([markdown_cell(cell) for cell in line.strip().strip("|").split(" | ")])
        elif rows:
            break
    if len(rows) < 3:
        return pointer
    head = "".join(f"<th>{cell}</th>" for cell in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows[2:])
    return f"<table><tr>{head}</tr>{body}</table>"


def index(request):
    """Serve the development index in DEBUG; a JSON 404 otherwise."""
    if not settings.DEBUG:
        return generic_response(404)
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(request.method, ["GET", "HEAD"])
    links = format_html_join(
        "",
        '<li><a href="{}">{}</a> <code>{}</code>: {}</li>',
        ((path, name, path, note) for path, name, note in LINKS if serves(path)),
    )
    page = PAGE.substitute(title=escape(settings.SITE_NAME), links=links, table=api_table())
    return HttpResponse(page)
