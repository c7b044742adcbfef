"""The URL map: every endpoint, its handler and the checks that run before it."""

from collections.abc import Callable
from dataclasses import dataclass

from .handlers import (
    accounts,
    attachments,
    categories,
    codes,
    collections,
    docs,
    health,
    history,
    invitations,
    items,
    match,
    search,
    security,
    securitykeys,
    service,
    transfer,
    trash,
)

# The API answers under both: /api/v1 is OpenPassPhrase's documented base URL.
API_PREFIXES = ("/v1", "/api/v1")
# Outside the API: GET /metrics, Prometheus text for the bearer of config
# metrics_token (oppmini/metrics.py, middleware.with_metrics_page); without
# that setting the path is not served at all.
METRICS_PATH = "/metrics"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Callable
    token: bool = False  # x-opp-jwt must name a live user
    phrase: bool = False  # x-opp-phrase must unlock the user's data key
    body: bool = False  # the request carries a JSON body (Content-Type checked)
    upload: bool = False  # the body is a file of any Content-Type, up to config max_import_bytes
    stream: bool = False  # the body is a file the handler reads piece by piece (call.upload); never retried
    auth_style: bool = False  # Content-Type faults reported as "Bad Request"
    atomic: bool = False  # the handler runs inside one transaction
    counted: Callable | None = None  # counts the request's guesses first, in transactions of their own
    # On a database cluster, reads wait for what any node committed before (store/nodes.py).
    causal: bool = True


ROUTES = (
    Route("GET", "/health", service.health, causal=False),
    Route("GET", "/openapi.json", docs.openapi_document, causal=False),
    Route("POST", "/auth", accounts.login, body=True, auth_style=True),
    Route("DELETE", "/auth", accounts.logout, token=True),
    Route("PUT", "/user", accounts.sign_up, body=True),
    Route("POST", "/user", accounts.update_user, body=True),
    Route("DELETE", "/user", accounts.delete_user, body=True),
    Route("GET", "/fetchall", categories.fetch_all, token=True, phrase=True, atomic=True),
    Route("GET", "/categories", categories.list_categories, token=True, phrase=True, atomic=True),
    Route("PUT", "/categories", categories.create_categories, token=True, phrase=True, body=True, atomic=True),
    Route("POST", "/categories", categories.rename_categories, token=True, phrase=True, body=True, atomic=True),
    # DELETE needs no passphrase: nothing is sealed or opened.
    Route("DELETE", "/categories", categories.delete_categories, token=True, body=True, atomic=True),
    Route("GET", "/items", items.list_items, token=True, phrase=True, atomic=True),
    Route("PUT", "/items", items.create_items, token=True, phrase=True, body=True, atomic=True),
    Route("POST", "/items", items.update_items, token=True, phrase=True, body=True, atomic=True),
    Route("DELETE", "/items", items.delete_items, token=True, body=True, atomic=True),
    Route("GET", "/generate", items.generate, token=True),
    # Extensions: richer items (extensions.md section 1).
    Route("GET", "/items/<item_id>/totp", codes.item_code, token=True, phrase=True, atomic=True),
    Route("GET", "/totp", codes.all_codes, token=True, phrase=True, atomic=True),
    Route("GET", "/items/<item_id>/history", history.item_history, token=True, phrase=True, atomic=True),
    Route("GET", "/trash", trash.list_trash, token=True, phrase=True, atomic=True),
    Route("POST", "/trash", trash.restore_items, token=True, phrase=True, body=True, atomic=True),
    Route("DELETE", "/trash", trash.purge_items, token=True, body=True, atomic=True),
    Route("GET", "/search", search.search, token=True, phrase=True, atomic=True),
    # Attachments (extensions.md section 8): the upload streams into one transaction; the download
    # checks every chunk in one, then streams the file through a connection of its own.
    Route("GET", "/attachments", attachments.quota, token=True),
    Route(
        "POST",
        "/items/<item_id>/attachments",
        attachments.upload_attachment,
        token=True,
        phrase=True,
        stream=True,
        atomic=True,
    ),
    Route(
        "GET",
        "/items/<item_id>/attachments/<attachment_id>",
        attachments.download_attachment,
        token=True,
        phrase=True,
        atomic=True,
    ),
    Route(
        "DELETE",
        "/items/<item_id>/attachments/<attachment_id>",
        attachments.delete_attachment,
        token=True,
        atomic=True,
    ),
    # Vault health (extensions.md §10); /health stays the public service check.
    # Not atomic: the report reads in one transaction, then keeps the estimates it made in another.
    Route("GET", "/vault/health", health.vault_health, token=True, phrase=True),
    # Which items belong to a web page (browser.md section 1): the browser extension's question.
    # Reads in transactions of its own, after tagging rows written before tags in one that writes.
    Route("GET", "/match", match.match_items, token=True, phrase=True),
    # Import and export (extensions.md §2): every entry of a file in one transaction.
    Route("POST", "/import", transfer.import_file, token=True, phrase=True, upload=True, atomic=True),
    # Export reads in one transaction and logs in another (a GET's is read-only).
    Route("GET", "/export", transfer.export_file, token=True, phrase=True),
    # Sharing (extensions.md §3). Removing members re-seals the collection under
    # a new key, and deleting one re-seals its items into the deleter's trash:
    # both need the passphrase.
    Route("GET", "/collections", collections.list_collections, token=True, phrase=True, atomic=True),
    Route("PUT", "/collections", collections.create_collections, token=True, phrase=True, body=True, atomic=True),
    Route("POST", "/collections", collections.rename_collections, token=True, phrase=True, body=True, atomic=True),
    Route("DELETE", "/collections", collections.delete_collections, token=True, phrase=True, body=True, atomic=True),
    # Inviting counts against the address's guess budget (invitations.py says why).
    Route(
        "PUT",
        "/collections/<collection_id>/members",
        collections.put_members,
        token=True,
        phrase=True,
        body=True,
        atomic=True,
        counted=collections.count_invitations,
    ),
    Route(
        "DELETE",
        "/collections/<collection_id>/members",
        collections.delete_members,
        token=True,
        phrase=True,
        body=True,
        atomic=True,
    ),
    Route("GET", "/invitations", invitations.list_invitations, token=True),
    Route("POST", "/invitations", invitations.answer_invitations, token=True, body=True, atomic=True),
    # Account security (extensions.md §4); each handler takes its own transactions.
    Route("GET", "/2fa", security.two_factor_status, token=True),
    Route("PUT", "/2fa", security.begin_two_factor, token=True, body=True),
    Route("POST", "/2fa", security.confirm_two_factor, token=True, body=True),
    Route("DELETE", "/2fa", security.turn_off_two_factor, token=True, body=True),
    Route("GET", "/webauthn", securitykeys.list_keys, token=True),
    Route("PUT", "/webauthn", securitykeys.begin_registration, token=True, body=True),
    Route("POST", "/webauthn", securitykeys.register_key, token=True, body=True),
    Route("DELETE", "/webauthn", securitykeys.remove_keys, token=True, body=True),
    Route("GET", "/sessions", security.list_sessions, token=True),
    Route("DELETE", "/sessions", security.revoke_sessions, token=True, body=True, atomic=True),
    Route("GET", "/activity", security.list_activity, token=True),
)
