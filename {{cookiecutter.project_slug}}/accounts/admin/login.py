"""The admin's login in two steps: the password, then the second factor (SEC-56).

Django's admin logs in on the password alone, and ``authenticate()`` refuses an account
with a second factor (``accounts.backends``). So the admin's login is its own, in the
admin's look:

1. ``/admin/login/`` (``password_step``): the password, checked as the API's login checks
   it (``accounts.security.credentials``: the same throttles, a throttled try answers 429).
   For an account with a second factor it logs nobody in: the session keeps a *pending
   login* (``accounts.admin.pending``: the account, bound to its password fingerprint, for
   five minutes) under a new session key, and the browser goes on to step 2. With
   ``AUTH_ADMIN_REQUIRE_MFA`` on, staff without a second factor stop at step 1, told how to
   turn one on, and a session they already hold no longer opens the admin.
2. ``/admin/login/second-factor/`` (``second_factor_step``): a TOTP code or a recovery
   code, checked by ``accounts.mfa.flows.verify_second_factor`` (throttled per account; a
   used recovery code is mailed). Right: Django's ``login()``. ``MAX_WRONG_CODES`` wrong
   codes, a new password or the end of the five minutes end the pending login.

``next`` goes along both steps and is followed only when it stays on this site.

The ways through step 2 are ``accounts.admin.second_factors``, where a passkey joins them.
"""

from pathlib import Path
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as django_login
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import conf
from accounts.admin.pending import (
    begin_pending_login,
    count_wrong_code,
    end_pending_login,
    pending_user,
)
from accounts.admin.second_factors import SECOND_FACTORS, SecondFactorForm
from accounts.backends import ThrottledModelBackend
from accounts.core.audit import security_event
from accounts.errors import InvalidCredentials, Throttled
from accounts.security import credentials

try:
    from django.contrib.auth.decorators import login_not_required
except ImportError:  # Django < 5.1 (the djongo variant): no LoginRequiredMiddleware to exempt from

    def login_not_required(view):
        return view


BACKEND = f"{ThrottledModelBackend.__module__}.{ThrottledModelBackend.__qualname__}"
SECOND_STEP_TEMPLATE = "accounts/admin/second_factor.html"
PASSKEY_SCRIPT = Path(__file__).resolve().parent / "admin_passkey.js"
NO_SECOND_FACTOR = (
    "This site asks staff for a second factor, and this account has none. Turn on "
    "two-factor authentication with the API first: POST /api/auth/mfa/totp, add the secret "
    "to an authenticator app, then PUT /api/auth/mfa/totp with a code from it. Then log in here."
)


# --- Step 1: the password ---------------------------------------------------------------
class PasswordStepForm(AdminAuthenticationForm):
    """The admin's login form: the password checked as the API checks it, never logged in here.

    It does not call ``authenticate()``, which refuses accounts with a second factor: step 1
    must tell a right password from a wrong one for them too.
    """

    throttled = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                user = credentials.authenticate_user(username, password, self.request)
            except InvalidCredentials:
                raise self.get_invalid_login_error() from None
            except Throttled as exc:
                self.throttled = exc
                raise ValidationError(
                    "Too many login attempts. Try again in %(seconds)s seconds.",
                    code="throttled",
                    params={"seconds": exc.retry_after},
                ) from None
            user.backend = BACKEND  # as authenticate() would set it, for Django's login()
            self.user_cache = user
            self.confirm_login_allowed(user)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)  # active and staff, else "invalid login"
        if conf.get("AUTH_ADMIN_REQUIRE_MFA") and not user.has_second_factor:
            security_event("admin_login_refused_no_second_factor", user=user.pk)
            raise ValidationError(NO_SECOND_FACTOR, code="second_factor_required")


class PasswordStep(LoginView):
    """Django's ``LoginView``, except that a right password with a second factor waits for it."""

    def form_valid(self, form):
        user = form.get_user()
        if not user.has_second_factor:
            security_event("login_ok", user=user.pk, via="admin")
            return super().form_valid(form)
        begin_pending_login(self.request, user)
        return HttpResponseRedirect(second_step_url(self.get_redirect_url() or index_url()))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.throttled.retry_after)
        return response


@never_cache
@login_not_required
def password_step(request, extra_context=None):
    """Show and check step 1: ``AdminSite.login`` with ``PasswordStep`` for Django's view."""
    site = admin.site
    if request.method == "GET" and site.has_permission(request):
        return HttpResponseRedirect(index_url())
    context = {
        **site.each_context(request),
        "title": gettext_lazy("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        context[REDIRECT_FIELD_NAME] = index_url()
    context.update(extra_context or {})
    request.current_app = site.name
    view = PasswordStep.as_view(
        extra_context=context,
        authentication_form=PasswordStepForm,
        template_name=site.login_template or "admin/login.html",
    )
    return view(request)


# --- Step 2: the second factor ---------------------------------------------------------
@never_cache
@login_not_required
@sensitive_post_parameters()
@csrf_protect
@require_http_methods(["GET", "POST"])
def second_factor_step(request):
    """Show and check step 2; log in once a second factor is right."""
    site = admin.site
    target = redirect_target(request)
    if request.method == "POST" and "cancel" in request.POST:
        end_pending_login(request)
        return HttpResponseRedirect(login_url(target))
    user = pending_user(request)
    if user is None:
        messages.info(request, "Log in with your password first (a login waits five minutes).")
        return HttpResponseRedirect(login_url(target))
    factors = [factor for factor in SECOND_FACTORS if factor.available(user)]
    form = SecondFactorForm(user, factors, request.POST if request.method == "POST" else None)
    if form.is_valid():
        end_pending_login(request)
        django_login(request, user, backend=BACKEND)
        security_event("login_ok", user=user.pk, via="admin", mfa=form.used.name)
        return HttpResponseRedirect(target)
    if form.wrong_code and not count_wrong_code(request):
        end_pending_login(request)
        messages.error(request, "Too many wrong codes for one login: log in again.")
        return HttpResponseRedirect(login_url(target))
    context = {
        **site.each_context(request),
        "title": "Two-factor authentication",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "form": form,
        "account": user.get_username(),
        REDIRECT_FIELD_NAME: target,
    }
    request.current_app = site.name
    response = TemplateResponse(request, SECOND_STEP_TEMPLATE, context)
    if form.throttled is not None:
        response.status_code = 429
        response["Retry-After"] = str(form.throttled.retry_after)
    return response


@login_not_required
@require_http_methods(["GET"])
def passkey_script(request):
    """Serve the script of step 2's passkey form (no inline script on the page)."""
    response = FileResponse(PASSKEY_SCRIPT.open("rb"), content_type="text/javascript")
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- Where the steps lead ----------------------------------------------------------------
def index_url() -> str:
    return reverse("admin:index", current_app=admin.site.name)


def login_url(target: str) -> str:
    return f"{reverse('admin:login', current_app=admin.site.name)}?{urlencode({'next': target})}"


def second_step_url(target: str) -> str:
    step = reverse("admin:login_second_factor", current_app=admin.site.name)
    return f"{step}?{urlencode({'next': target})}"


def redirect_target(request) -> str:
    """Return the request's ``next`` when it stays on this site, else the admin's index."""
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return index_url()


# --- Wiring ----------------------------------------------------------------------------------
def install(site) -> None:
    """Give ``site`` (``admin.site``) the two-step login and, when asked, require a second factor.

    Attributes of the one site rather than a subclass: the admin's app config differs per
    ORM (``config.apps.MongoAdminConfig``, Django's own for djongo), and this works with both.
    """
    site.login_form = PasswordStepForm
    site.login = password_step
    has_permission, get_urls = site.has_permission, site.get_urls

    def staff_with_second_factor(request):
        if not has_permission(request):
            return False
        return not conf.get("AUTH_ADMIN_REQUIRE_MFA") or request.user.has_second_factor

    def urls_with_second_step():
        step = path("login/second-factor/", second_factor_step, name="login_second_factor")
        script = path(
            "login/second-factor/passkey.js",
            passkey_script,
            name="login_second_factor_passkey_js",
        )
        return [step, script, *get_urls()]

    site.has_permission = staff_with_second_factor
    site.get_urls = urls_with_second_step
