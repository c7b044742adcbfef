"""Handler of /v1/vault/health: the caller's vault health report (extensions.md §10)."""

from ...vault.health.report import report
from . import SUCCESS


def vault_health(call):
    """Weak, reused, old and exposed passwords, items without one, http-only sites and shared TOTP seeds."""
    return {**SUCCESS, **report(call)}
