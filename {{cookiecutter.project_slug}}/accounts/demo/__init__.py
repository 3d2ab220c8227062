"""The reference front end, ``GET /demo/`` (DEBUG only): every flow of the API from a browser.

Owns: ``views`` (the page, its script and its style sheet) and ``templates/accounts/demo/``
(``index.html``, ``demo.js``, ``demo.css``: no build step, no dependency, no CDN). The page
calls the API from the browser, with a browser session (``accounts.sessions.browser``); this
package imports no feature. It is also the front end's ``/social`` page, where a social
sign-in comes back (``config/urls.py``): ``demo.js`` finishes the round trip there.

May import: the primitives (``accounts.conf``, ``accounts.errors``). Nothing imports it but
the project's URLs.
"""
