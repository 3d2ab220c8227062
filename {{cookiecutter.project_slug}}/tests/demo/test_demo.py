"""``GET /demo/``: the reference front end, in DEBUG only, under a strict CSP, with no CDN; the
same page at ``/social``, where a social sign-in comes back."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import Resolver404, resolve

from accounts.demo.views import FILES


class Page(HTMLParser):
    """What a page loads and runs: its scripts, style sheets, inline code and styles."""

    def __init__(self):
        super().__init__()
        self.scripts, self.sheets, self.inline, self.styled = [], [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs or any(name.startswith("on") for name in attrs):
            self.styled.append((tag, attrs))
        if tag == "script":
            self.scripts.append(attrs.get("src"))
            self._in_script = True
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.sheets.append(attrs["href"])
        if tag == "style":
            self.inline.append("<style>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


@pytest.mark.parametrize(
    "path", ["/demo/", "/demo", "/demo/demo.js", "/demo/demo.css", "/social", "/social/"]
)
def test_the_demo_is_a_json_404_outside_debug(client, path):
    response = client.get(path)
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


def test_the_demo_page_loads_only_its_own_files_under_a_strict_csp(client, debug):
    response = client.get("/demo/")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe" not in policy and "connect-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy and "form-action 'none'" in policy
    page = Page()
    page.feed(response.content.decode())
    assert page.scripts == ["/demo/demo.js"] and page.sheets == ["/demo/demo.css"]
    assert page.inline == [] and page.styled == []  # nothing the policy would refuse
    assert b'<meta name="api-base" content="">' in response.content


def test_the_social_landing_is_the_demo_page(client, debug):
    # {FRONTEND_URL}/social#code=...: when this server is the front end, the demo finishes it.
    page, demo = client.get("/social"), client.get("/demo/")
    assert page.status_code == 200 and page.content == demo.content
    assert page["Content-Security-Policy"] == demo["Content-Security-Policy"]


def test_the_demo_may_call_an_api_on_another_origin(client, debug):
    debug.DEMO_API_URL = "https://api.example.com"
    response = client.get("/demo/")
    assert "connect-src 'self' https://api.example.com;" in response["Content-Security-Policy"]
    assert b'content="https://api.example.com"' in response.content
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    ("name", "content_type"), [("demo.js", "text/javascript"), ("demo.css", "text/css")]
)
def test_the_demo_serves_its_script_and_style_sheet(client, debug, name, content_type):
    response = client.get(f"/demo/{name}")
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert b"".join(response.streaming_content) == (FILES / name).read_bytes()


def test_no_other_file_is_served(client, debug):
    for name in ("index.html", "..%2Fviews.py", "demo.js.map"):
        assert client.get(f"/demo/{name}").status_code == 404
    assert client.post("/demo/").status_code == 405


def test_the_demo_fetches_nothing_from_elsewhere():
    for name in ("index.html", "demo.js", "demo.css"):
        text = (FILES / name).read_text()
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), name
        assert "@import" not in text and "url(" not in text, name


def test_the_demo_calls_only_endpoints_of_the_contract():
    script = (FILES / "demo.js").read_text()
    calls = re.findall(r'call\("(GET|POST|PUT|PATCH|DELETE)", [`"]([^`"]+)[`"]', script)
    assert len(calls) > 25
    for method, path in calls:
        path = re.sub(r"\$\{[^}]*provider[^}]*\}", "<provider>", path)
        path = re.sub(r"\$\{[^}]*\}", "<id>", path)
        try:
            resolve(f"/api/auth/{path.replace('<id>', 'x').replace('<provider>', 'google')}")
        except Resolver404:
            pytest.fail(f"demo.js calls {method} {path}, which is not an endpoint")


def test_the_debug_index_links_the_demo(client, debug):
    assert b'<a href="/demo/">Reference front end</a>' in client.get("/").content
