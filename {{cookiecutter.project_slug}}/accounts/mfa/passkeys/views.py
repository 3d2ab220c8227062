"""HTTP views of passkeys: parse and type-check, call ``passkeys.flows``, answer.

``passkeys/register`` (POST options, PUT the new passkey) and ``DELETE passkeys/<id>`` need a
re-authenticated session, or the right ``current_password`` in the body
(``accounts.sessions.reauth``, SEC-55); ``GET passkeys`` and ``PATCH passkeys/<id>`` a token.
``login/passkey`` (POST options, PUT the answer) logs in with a passkey alone and answers
through ``accounts.sessions.http.session_response``, as every login does.
"""

from django.http import HttpResponse, JsonResponse

from accounts.core.http import api_view
from accounts.core.payload import body_json, object_field, read_json, string_field
from accounts.mfa.passkeys import credentials, flows
from accounts.sessions import reauth
from accounts.sessions.decorators import authenticate_request, authenticated
from accounts.sessions.http import session_response


def _name(data: dict, *, required: bool) -> str:
    name = string_field(data, "name", max_length=1024, required=required)
    return credentials.clean_name(name) if name else credentials.DEFAULT_NAME


@api_view("POST", "PUT")
@authenticated
def register(request):
    if request.method == "POST":
        user = reauth.require(request, body_json(request))
        return JsonResponse({"options": flows.registration_options(user)})
    data = read_json(request)
    credential = object_field(data, "credential")
    name = _name(data, required=False)
    user = reauth.require(request, data)
    passkey, codes = flows.register(user, credential, name)
    if codes is not None:  # the account's first second factor: its recovery codes, once
        passkey = {**passkey, "recovery_codes": codes}
    return JsonResponse(passkey, status=201)


@api_view("GET")
def passkeys(request):
    user = authenticate_request(request)
    return JsonResponse({"passkeys": flows.list_passkeys(user)})


@api_view("PATCH", "DELETE")
def passkey(request, passkey_id):
    user = authenticate_request(request)
    data = body_json(request)
    flows.own(user, passkey_id)  # first: another account's id answers as an unknown one
    if request.method == "PATCH":
        return JsonResponse(flows.rename(user, passkey_id, _name(data, required=True)))
    reauth.require(request, data)
    flows.remove(user, passkey_id)
    return HttpResponse(status=204)


@api_view("POST", "PUT")
def login(request):
    if request.method == "POST":
        return JsonResponse({"options": flows.login_options()})
    credential = object_field(read_json(request), "credential")
    return session_response(request, flows.login(credential))
