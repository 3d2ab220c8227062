"""What the server receives: one read per authenticated request, no join on request paths.

Commands are captured with pymongo's command monitoring (``server_commands`` in
conftest), so the same assertions hold on both ORMs and on any server.
"""

from accounts import documents
from accounts.models import LinkToken, User
from tests.conftest import OTHER_PASSWORD, link_token_from, totp_code


def test_an_authenticated_request_is_one_find_one_by_primary_key(api, user, token, server_commands):
    with server_commands() as commands:
        assert api.get("me", token=token).status_code == 200
    assert [name for name, _ in commands] == ["find"]
    command = commands[0][1]
    assert command["find"] == User._meta.db_table and command["limit"] == 1
    assert command["filter"][User._meta.pk.column] == user.pk


def test_a_refused_token_costs_one_read_at_most(api, user, token, server_commands):
    with server_commands() as commands:
        assert api.get("me", token=token[:-2] + "xx").status_code == 401
        assert api.get("me", token="not-a-token").status_code == 401
    assert [name for name, _ in commands] == ["find"]


def test_logout_is_one_read_and_one_update(api, token, server_commands):
    with server_commands() as commands:
        assert api.post("logout", token=token).status_code == 204
    assert [name for name, _ in commands] == ["find", "update"]


def test_saves_through_the_orm_leave_the_sessions_alone(api, user, token):
    before = documents.read_sessions(User, user.pk)
    user = User.objects.get(pk=user.pk)
    user.email_verified = True
    user.save()
    user.save(update_fields=["email", "email_verified"])
    User.objects.filter(pk=user.pk).update(is_staff=True)
    assert documents.read_sessions(User, user.pk) == before
    assert api.get("me", token=token).status_code == 200


def test_link_look_ups_are_indexed_finds(api, user, token, mailoutbox, server_commands):
    api.post("verify", token=token)
    link = link_token_from(mailoutbox[-1])
    with server_commands() as commands:
        assert api.put(f"verify?a={link}").status_code == 200
    finds = [command for name, command in commands if name == "find"]
    assert finds[0]["find"] == LinkToken._meta.db_table and "digest" in finds[0]["filter"]
    assert finds[1]["find"] == User._meta.db_table
    assert User._meta.pk.column in finds[1]["filter"]


def _lookup_before_match(command: dict) -> bool:
    stages = [next(iter(stage)) for stage in command.get("pipeline", [])]
    if "$lookup" not in stages:
        return False
    return "$match" not in stages or stages.index("$lookup") < stages.index("$match")


def test_no_request_path_joins_before_it_filters(api, user, mailoutbox, server_commands):
    with server_commands() as commands:
        token = api.token_for()
        api.get("me", token=token)
        api.post("verify", token=token)
        api.put(f"verify?a={link_token_from(mailoutbox[-1])}")
        api.post("reset", {"email": "alice@example.org"})
        api.put("reset", {"a": link_token_from(mailoutbox[-1]), "new_password": OTHER_PASSWORD})
        token = api.token_for(password=OTHER_PASSWORD)
        api.post("logout-all", token=token)
        api.register("bob", "bob@example.org")
    aggregates = [command for name, command in commands if name == "aggregate"]
    assert not [command for command in aggregates if _lookup_before_match(command)]
    assert len(commands) > 10  # the recording saw the journey


def test_the_mfa_login_step_joins_nothing_either(api, mfa_user, clock, server_commands):
    mfa_token = api.login().json()["mfa_token"]
    with server_commands() as commands:
        body = {"mfa_token": mfa_token, "code": totp_code(mfa_user.secret, clock)}
        response = api.post("login/mfa", body)
        assert response.status_code == 200
        assert api.get("me", token=response.json()["token"]).status_code == 200
    aggregates = [command for name, command in commands if name == "aggregate"]
    assert not [command for command in aggregates if _lookup_before_match(command)]
