"""POST /api/auth/logout and logout-all, deactivation and deletion (SEC-13, SEC-14)."""

from accounts import documents, store
from accounts.models import User


def test_sec13_logout_revokes_the_presented_token_on_the_server(api, user, token):
    response = api.post("logout", token=token)
    assert response.status_code == 204
    assert api.get("me", token=token).status_code == 401
    assert not documents.read_sessions(User, user.pk)


def test_logout_leaves_the_users_other_devices_logged_in(api, user):
    phone, laptop = api.token_for(), api.token_for()
    api.post("logout", token=phone)
    assert api.get("me", token=laptop).status_code == 200


def test_logout_twice_is_a_401_the_second_time(api, token):
    assert api.post("logout/", token=token).status_code == 204
    assert api.post("logout/", token=token).status_code == 401


def test_logout_without_a_token_is_a_401(api, db):
    response = api.post("logout")
    assert response.status_code == 401 and "WWW-Authenticate" in response


def test_sec14_logout_all_revokes_every_token_of_the_user(api, user):
    phone, laptop = api.token_for(), api.token_for()
    assert api.post("logout-all", token=phone).status_code == 204
    assert api.get("me", token=laptop).status_code == 401
    assert api.get("me", token=phone).status_code == 401


def test_sec14_deactivation_revokes_every_token(api, user, token):
    user.is_active = False
    user.save()
    assert not documents.read_sessions(User, user.pk)
    assert api.get("me", token=token).status_code == 401


def test_sec14_a_token_of_an_account_deactivated_behind_the_models_back_is_refused(
    api, user, token
):
    User.objects.filter(pk=user.pk).update(is_active=False)  # no save(): tokens remain
    assert api.get("me", token=token).status_code == 401


def test_sec14_deleting_the_user_deletes_its_tokens(api, user, token):
    user.delete()
    assert not store.collection(User).find_one({})  # the sessions went with the document
    assert api.get("me", token=token).status_code == 401
