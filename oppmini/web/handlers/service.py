"""Handler of /v1/health: the contract's answer for everyone, the details for the operator's probe."""

import logging

from ... import __version__
from ...contract import errors
from ...contract.errors import ApiError
from ...metrics import bearer_matches
from ...store.migrations import VERSION_SETTING

log = logging.getLogger(__name__)

HEALTHY = "OpenPassPhrase service is running"


def health(call):
    """200 while the database answers and holds the schema this code expects; 503 otherwise.

    The schema check fails when a newer release upgraded a shared database
    under this process: a probe should take it out of service. Versions are
    shown only to the bearer of config metrics_token, never to the public.
    """
    stored = int(call.conn.run("get_setting", name=VERSION_SETTING)["value"])
    expected = call.services.schema_version
    operator = is_operator(call)
    if stored != expected:
        log.warning("health: the database has schema version %d, this server expects %d", stored, expected)
        detail = f" (database {stored}, this server {expected})" if operator else ""
        raise ApiError(503, errors.SCHEMA_NOT_CURRENT, errors.SCHEMA_NOT_CURRENT_DETAIL + detail)
    # max_exp_delta lets a login form offer only the session lengths the server grants.
    answer = {
        "status": HEALTHY,
        "database": call.services.db.dialect,
        "migrations": "current",
        "max_exp_delta": call.config.max_exp_delta,
    }
    if operator:
        answer.update(version=__version__, schema_version=stored)
    return answer


def is_operator(call):
    """Whether the request carries `Authorization: Bearer <metrics_token>` (never so while none is set)."""
    token = call.config.metrics_token
    return bool(token) and bearer_matches(call.headers.get("Authorization"), token)
