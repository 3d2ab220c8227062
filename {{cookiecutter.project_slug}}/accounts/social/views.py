"""HTTP views of social login: the providers, both flows, linking and the identity list.

Thin: read and type-check the input, call ``accounts.social.flows`` or ``.redirect``, shape the
answer. Errors become JSON in the middleware, except on the two pages a browser is sent to
(``start`` and ``callback``): there every failure past the request's own mistakes (an
unknown provider, a malformed ``next``) sends it on to the front end's ``/social#error=<code>``,
a page that can tell the user what went wrong.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict

from accounts import clock, conf
from accounts.core.audit import security_event
from accounts.core.http import api_view
from accounts.core.payload import body_json, read_json, string_field
from accounts.errors import AuthError, MfaRequired, NotAuthenticated, NotFound
from accounts.models import SocialTicket
from accounts.sessions import browser, reauth
from accounts.sessions.decorators import authenticate_request
from accounts.sessions.http import challenge_response, session_response
from accounts.social import flows, identities, providers, redirect
from accounts.social.id_tokens import MAX_LENGTH as ID_TOKEN_MAX

NONCE_MAX = 256


def _front_end(fields: dict) -> HttpResponseRedirect:
    """Send the browser to the front end's ``/social`` page, ``fields`` in the fragment."""
    fragment = urlencode({name: value for name, value in fields.items() if value})
    response = HttpResponseRedirect(f"{conf.get('FRONTEND_URL').rstrip('/')}/social#{fragment}")
    response["Referrer-Policy"] = "no-referrer"
    return response


def _failed(request, error: AuthError, provider_id: str) -> HttpResponseRedirect:
    security_event("social_redirect_failed", provider=provider_id[:32], code=error.code)
    return _front_end({"error": error.code})


def _id_token_fields(data: dict) -> tuple[str, str]:
    id_token = string_field(data, "id_token", max_length=ID_TOKEN_MAX)
    return id_token, string_field(data, "nonce", max_length=NONCE_MAX, required=False)


def _logged_in(request, user):
    try:
        issued = flows.log_in(user)
    except MfaRequired as challenge:  # the account has a second factor: that step next
        return challenge_response(request, challenge)
    return session_response(request, issued)


@api_view("GET")
def provider_list(request):
    return JsonResponse({"providers": flows.provider_list()})


@api_view("GET")
def start(request, provider):
    chosen = providers.get(provider)  # an unknown id, like a bad `next`, is the caller's bug: JSON
    next_path = string_field(request.GET, "next", max_length=200, required=False)
    client_state = string_field(request.GET, "client_state", max_length=64, required=False)
    redirect.check_start(chosen, next_path, client_state)
    try:
        url, key = redirect.start(
            request,
            chosen,
            next_path=next_path,
            client_state=client_state,
            ticket=request.GET.get("ticket", ""),
        )
    except AuthError as error:  # the provider is down, the ticket used: tell the user
        return _failed(request, error, provider)
    response = HttpResponseRedirect(url)
    form_post = chosen.response_mode == "form_post"  # a cross-site POST brings it back
    response.set_cookie(
        redirect.COOKIE,
        key,
        max_age=redirect.STATE_TTL,
        path=redirect.COOKIE_PATH,
        secure=form_post or request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="None" if form_post else "Lax",
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


def _provider_answer(request) -> QueryDict:
    """Return the provider's answer: the query, or a form POST's fields (Apple's form_post)."""
    if request.method != "POST":
        return request.GET
    if request.content_type != "application/x-www-form-urlencoded":
        return QueryDict()
    try:
        return request.POST
    except SuspiciousOperation:  # too big, too many fields: no answer a provider sends
        return QueryDict()


@api_view("GET", "POST")
def callback(request, provider):
    chosen = providers.get(provider)
    answer = _provider_answer(request)
    try:
        fields = redirect.callback(request, chosen, answer, request.COOKIES.get(redirect.COOKIE))
        response = _front_end(fields)
    except AuthError as error:
        response = _failed(request, error, provider)
    response.delete_cookie(redirect.COOKIE, path=redirect.COOKIE_PATH)
    return response


def _asking_session(request):
    """Return the session posting a code, or ``None``: a link's or re-authentication's code
    applies only to the session that asked for it.

    A token in the header must be good (a 401 otherwise). A browser session's cookie goes
    through the same check, CSRF header included, but a cookie whose session has ended
    (logged out elsewhere) is no session at all: a sign-in's code still signs in.
    """
    if request.META.get("HTTP_AUTHORIZATION", "").strip():
        authenticate_request(request)
        return request.auth_session
    if not browser.token_from_cookie(request):
        return None
    try:
        authenticate_request(request)
    except NotAuthenticated:
        return None
    return request.auth_session


@api_view("POST")
def exchange(request):
    session = _asking_session(request)
    code = string_field(read_json(request), "code", max_length=256)
    intent, user, profile, provider_id = redirect.exchange(request, code, session)
    if intent == SocialTicket.LOGIN:
        return _logged_in(request, user)
    chosen = providers.get(provider_id)
    if intent == SocialTicket.LINK:
        identity, created = flows.link(request.user, chosen, profile)
        return JsonResponse(identities.public(identity), status=201 if created else 200)
    until = flows.reauthenticate(request, chosen, profile)
    return JsonResponse({"reauthenticated_until": clock.iso(until)})


@api_view("POST")
def token(request, provider):
    chosen = providers.get(provider)
    id_token, nonce = _id_token_fields(read_json(request))
    user = flows.sign_in(chosen, flows.profile_from_id_token(chosen, id_token, nonce))
    return _logged_in(request, user)


@api_view("POST")
def link(request, provider):
    authenticate_request(request)  # a 401 before anything else
    chosen = providers.get(provider)
    data = body_json(request)
    user = reauth.require(request, data)
    if data.get("id_token") is None:
        return JsonResponse({"authorization_url": redirect.ticket_url(request, chosen, "link")})
    id_token, nonce = _id_token_fields(data)
    profile = flows.profile_from_id_token(chosen, id_token, nonce)
    identity, created = flows.link(user, chosen, profile)
    return JsonResponse(identities.public(identity), status=201 if created else 200)


@api_view("POST")
def reauthenticate(request, provider):
    authenticate_request(request)
    chosen = providers.get(provider)
    data = body_json(request)
    if data.get("id_token") is None:
        return JsonResponse({"authorization_url": redirect.ticket_url(request, chosen, "reauth")})
    id_token, nonce = _id_token_fields(data)
    since = clock.now().timestamp() - conf.get("AUTH_REAUTH_SECONDS")
    profile = flows.profile_from_id_token(chosen, id_token, nonce, issued_after=since)
    until = flows.reauthenticate(request, chosen, profile)
    return JsonResponse({"reauthenticated_until": clock.iso(until)})


@api_view("GET")
def identity_list(request):
    user = authenticate_request(request)
    return JsonResponse({"identities": flows.identities_of(user)})


@api_view("DELETE")
def identity(request, identity_id):
    user = authenticate_request(request)
    if not 0 < len(identity_id) <= 64:
        raise NotFound()
    reauth.require(request, body_json(request))
    flows.unlink(user, identity_id)
    return HttpResponse(status=204)
