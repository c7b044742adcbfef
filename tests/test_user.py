"""PUT, POST and DELETE /v1/user: sign-up, account changes and deletion."""

import pytest
import webtest

from conftest import PASSWORD, PHRASE, claims_of, execute_raw
from oppmini.web.app import make_app

SUCCESS = {"result": "success"}


def error(message):
    return {"status_code": 400, "error": message, "description": ""}


def test_sign_up_then_login(client, auth):
    answer = client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    assert answer.json == SUCCESS
    assert auth.login()


def test_sign_up_is_refused_unless_allowed(config, clock):
    client = webtest.TestApp(make_app(config.replace(allow_signup=False), clock=clock))
    answer = client.put_json("/v1/user", {"username": "a", "password": "b", "phrase": "cdefgh"}, status=403)
    assert answer.json == {"status_code": 403, "error": "User registration is disabled", "description": ""}


@pytest.mark.parametrize(
    "body, message",
    [
        ({"password": "pw", "phrase": PHRASE}, "Required payload object 'username' is missing!"),
        ({"username": "a", "phrase": PHRASE}, "Required payload object 'password' is missing!"),
        ({"username": ["a"], "password": "pw", "phrase": PHRASE}, "'username' object should not be in list form!"),
        ({"username": "a", "password": ["pw"], "phrase": PHRASE}, "'password' object should not be in list form!"),
        ({"username": "  ", "password": "pw", "phrase": PHRASE}, "Input 'username' parameter is empty!"),
        ({"username": "a", "password": "", "phrase": PHRASE}, "Input 'password' parameter is empty!"),
        ({"username": "a", "password": "pw", "phrase": " \t"}, "Input 'phrase' parameter is empty!"),
        ({"username": "a", "password": "pw"}, "Input 'phrase' parameter is empty!"),
        ({"username": "a", "password": "pw", "phrase": "12345"}, "Passphrase must be at least 6 characters long!"),
    ],
)
def test_sign_up_checks_in_order(client, body, message):
    assert client.put_json("/v1/user", body, status=400).json == error(message)


def test_sign_up_of_a_taken_name(client, auth):
    auth.sign_up()
    answer = client.put_json("/v1/user", {"username": "alice", "password": "x", "phrase": "another"}, status=400)
    assert answer.json == error("User already exists!")


@pytest.mark.parametrize("method", ["put_json", "post_json", "delete_json"])
def test_user_endpoints_need_a_json_content_type(client, method):
    verb = method.split("_")[0].upper()
    answer = client.request("/v1/user", method=verb, body=b"{}", headers={"Content-Type": "text/plain"}, status=400)
    assert answer.json == error("Invalid Content-Type")
    answer = client.request("/v1/user", method=verb, body=b"{}", status=400)
    assert answer.json == error("Missing Content-Type")


def test_rename_keeps_the_vault_and_tokens(client, auth):
    headers = auth.user()
    body = {"username": "alice", "password": PASSWORD, "new_username": "alicia"}
    assert client.post_json("/v1/user", body).json == SUCCESS
    assert auth.login("alicia")
    client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}, status=401)
    assert client.delete("/v1/auth", headers=headers).json == SUCCESS


def test_password_change_revokes_tokens(client, auth):
    headers = auth.user()
    body = {"username": "alice", "password": PASSWORD, "new_password": "new secret"}
    assert client.post_json("/v1/user", body).json == SUCCESS
    answer = client.delete("/v1/auth", headers=headers, status=401)
    assert answer.json["description"] == "Token has been revoked"
    client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}, status=401)
    assert auth.login(password="new secret")


def test_blank_new_values_count_as_not_given(client, auth):
    auth.sign_up()
    body = {"username": "alice", "password": PASSWORD, "new_username": "  ", "new_password": ""}
    answer = client.post_json("/v1/user", body, status=400)
    assert answer.json == error("at least one of: [--new_username, --new_password] is required!")


@pytest.mark.parametrize(
    "body, message",
    [
        # An unknown name is answered as a wrong password is: no list of accounts to be had.
        ({"username": "ghost", "password": PASSWORD, "new_password": "x"}, "Incorrect password supplied!"),
        ({"username": "alice", "password": "wrong", "new_password": "x"}, "Incorrect password supplied!"),
        ({"username": "", "password": PASSWORD, "new_password": "x"}, "Input 'username' parameter is empty!"),
        ({"password": PASSWORD, "new_password": "x"}, "Required payload object 'username' is missing!"),
    ],
)
def test_update_checks(client, auth, body, message):
    auth.sign_up()
    assert client.post_json("/v1/user", body, status=400).json == error(message)


def test_failed_rename_applies_no_password_change(client, auth):
    auth.sign_up()
    auth.sign_up("bob")
    body = {"username": "alice", "password": PASSWORD, "new_username": "bob", "new_password": "changed"}
    assert client.post_json("/v1/user", body, status=400).json == error("Username: 'bob' already exists!")
    assert auth.login("alice", PASSWORD)


def test_delete_user_revokes_tokens_and_frees_the_name(client, auth):
    headers = auth.user()
    assert client.delete_json("/v1/user", {"username": "alice", "password": PASSWORD}).json == SUCCESS
    answer = client.delete("/v1/auth", headers=headers, status=401)
    assert answer.json == {"status_code": 401, "error": "Invalid JWT", "description": "User does not exist"}
    auth.sign_up()
    assert auth.login()


def test_delete_checks(client, auth):
    auth.sign_up()
    answer = client.delete_json("/v1/user", {"username": "alice", "password": "wrong"}, status=400)
    assert answer.json == error("Incorrect password supplied!")
    answer = client.delete_json("/v1/user", {"username": "ghost", "password": "x"}, status=400)
    assert answer.json == error("Incorrect password supplied!")  # not "User does not exist!"


def test_a_deleted_users_token_never_opens_a_later_account(client, auth):
    old = auth.user("alice")
    client.delete_json("/v1/user", {"username": "alice", "password": PASSWORD})
    auth.sign_up("mallory")
    answer = client.delete("/v1/auth", headers=old, status=401)
    assert answer.json["error"] == "Invalid JWT"
    # The later account got a new id, never the deleted one's.
    assert claims_of(auth.login("mallory"))["identity"] != claims_of(old["x-opp-jwt"])["identity"]


def test_a_reused_id_would_still_not_open_with_an_old_token(client, auth, config):
    """Even on a database that reused ids, the random stamp keeps old tokens out."""
    old = auth.user("alice")
    user_id = claims_of(old["x-opp-jwt"])["identity"]
    client.delete_json("/v1/user", {"username": "alice", "password": PASSWORD})
    auth.sign_up("mallory")
    execute_raw(config.db_connect, "UPDATE users SET user_id = ? WHERE username = 'mallory'", (user_id,))
    answer = client.delete("/v1/auth", headers=old, status=401)
    assert answer.json == {"status_code": 401, "error": "Invalid token", "description": "Token has been revoked"}


# One rule for names on every backend: MariaDB answered a longer one with a 500.
LONGEST = ("a" * 255, "\N{GRINNING FACE}" * 255)
INVALID_NAMES = [
    ("a" * 256, "is longer than 255 characters."),
    ("\N{GRINNING FACE}" * 300, "is longer than 255 characters."),
    ("al\x00ice", "contains a control character."),
    ("al\nice", "contains a control character."),
    ("alice\x1b[31m", "contains a control character."),
    ("alice\x85", "contains a control character."),
    # Invisible or direction-changing (category Cf): "alice" shown as another name in a member list.
    ("ecila\u202e", "contains U+202E, an invisible or direction-changing character."),
    ("ali\u200bce", "contains U+200B, an invisible or direction-changing character."),
    ("\u2066alice\u2069", "contains U+2066, an invisible or direction-changing character."),
]


def invalid_username(field, fault):
    return {"status_code": 400, "error": "Invalid username!", "description": f"'{field}' {fault}"}


@pytest.mark.parametrize("name, fault", INVALID_NAMES)
def test_sign_up_with_a_name_no_account_can_have(client, config, name, fault):
    answer = client.put_json("/v1/user", {"username": name, "password": PASSWORD, "phrase": PHRASE}, status=400)
    assert answer.json == invalid_username("username", fault)
    client.post_json("/v1/auth", {"username": name, "password": PASSWORD}, status=401)
    assert execute_raw(config.db_connect, "SELECT COUNT(*) FROM users") == [(0,)]


@pytest.mark.parametrize("name", LONGEST)
def test_the_longest_name_works_on_every_backend(client, auth, name):
    auth.sign_up(name)
    assert auth.login(name)


@pytest.mark.parametrize("name, fault", INVALID_NAMES)
def test_rename_to_a_name_no_account_can_have_changes_nothing(client, auth, config, name, fault):
    auth.sign_up()
    body = {"username": "alice", "password": PASSWORD, "new_username": name, "new_password": "new password"}
    assert client.post_json("/v1/user", body, status=400).json == invalid_username("new_username", fault)
    assert auth.login("alice", PASSWORD)
    assert execute_raw(config.db_connect, "SELECT username FROM users") == [("alice",)]


@pytest.mark.parametrize("name, _", INVALID_NAMES)
def test_login_with_a_name_no_account_can_have_is_invalid_credentials(client, auth, name, _):
    auth.sign_up()
    answer = client.post_json("/v1/auth", {"username": name, "password": PASSWORD}, status=401)
    assert answer.json == {"status_code": 401, "error": "Bad Request", "description": "Invalid credentials"}


@pytest.mark.parametrize("method", ["post_json", "delete_json"])
def test_changing_a_user_whose_name_is_too_long_is_a_wrong_password(client, method):
    answer = getattr(client, method)("/v1/user", {"username": "a" * 300, "password": PASSWORD}, status=400)
    assert answer.json == error("Incorrect password supplied!")


def test_an_account_named_before_the_name_rules_still_logs_in(app, client):
    # Releases before the rules let a sign-up take a name with a tab in it.
    with app.services.db.connect() as conn:
        app.services.accounts.create(conn, "tab\there", PASSWORD, PHRASE)
    client.post_json("/v1/auth", {"username": "tab\there", "password": PASSWORD}, status=200)


DECOMPOSED, COMPOSED = "Jose\u0301", "Jos\u00e9"  # the same name as two code point sequences


def test_a_new_name_is_stored_in_its_composed_form(client, auth, config):
    auth.sign_up(DECOMPOSED)
    assert execute_raw(config.db_connect, "SELECT username FROM users") == [(COMPOSED,)]
    # Either form signs in: the one typed at sign-up, and the one stored.
    assert auth.login(DECOMPOSED) and auth.login(COMPOSED)
    # And the composed form is taken: no second account that looks the same.
    answer = client.put_json("/v1/user", {"username": COMPOSED, "password": "x", "phrase": PHRASE}, status=400)
    assert answer.json == error("User already exists!")


def test_a_rename_is_stored_in_its_composed_form(client, auth, config):
    auth.sign_up()
    body = {"username": "alice", "password": PASSWORD, "new_username": DECOMPOSED}
    assert client.post_json("/v1/user", body).json == SUCCESS
    assert execute_raw(config.db_connect, "SELECT username FROM users") == [(COMPOSED,)]


def test_an_account_whose_stored_name_breaks_todays_rule_still_logs_in(client, auth, config):
    # Written before the rule: login looks names up as typed, neither refused nor normalised.
    auth.sign_up()
    for stored in ("ecila\u202e", DECOMPOSED):
        execute_raw(config.db_connect, "UPDATE users SET username = ?", (stored,))
        assert auth.login(stored)
        body = {"username": stored, "password": PASSWORD, "new_password": "changed"}
        assert client.post_json("/v1/user", body).json == SUCCESS
        client.post_json("/v1/user", {**body, "password": "changed", "new_password": PASSWORD})


def test_a_refused_name_is_refused_alike_whether_an_account_has_it_or_not(client, auth, config):
    # The answer depends on the name's text alone: it tells nobody that an older account holds it.
    auth.sign_up()
    execute_raw(config.db_connect, "UPDATE users SET username = ?", ("ecila\u202e",))
    for name in ("ecila\u202e", "bob\u202e"):
        answer = client.put_json("/v1/user", {"username": name, "password": PASSWORD, "phrase": PHRASE}, status=400)
        assert answer.json == invalid_username(
            "username", "contains U+202E, an invisible or direction-changing character."
        )
