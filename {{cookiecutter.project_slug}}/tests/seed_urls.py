"""Routes for the seed's views, as a project built on the seed library would have them."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tests import seed_views

urlpatterns = [
    path("register", csrf_exempt(seed_views.register)),
    path("login", csrf_exempt(seed_views.login)),
    path("logout", csrf_exempt(seed_views.logout)),
    path("verify", csrf_exempt(seed_views.verify_email)),
    path("reset", csrf_exempt(seed_views.reset_password)),
    path("other", seed_views.my_other_view_handler),
    path("whoami", seed_views.whoami),
]
