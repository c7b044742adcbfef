"""The long-lived parts of one app: settings, database, token signer, accounts."""

import secrets
import time
from dataclasses import dataclass, field

from .accounts.accounts import Accounts
from .accounts.activity import ActivityLog
from .accounts.securitykeys.keys import SecurityKeys
from .accounts.sessions import Sessions
from .accounts.throttle import Throttle
from .accounts.tokens import TokenSigner
from .accounts.two_factor import TwoFactor
from .config import Config
from .metrics import NoMetrics
from .metrics import build as build_metrics
from .store.db import Database, Duplicate
from .store.migrations import upgrade
from .vault.trash import TrashPurge

SIGNING_KEY_SETTING = "signing_key"


@dataclass
class Services:
    config: Config
    db: Database
    accounts: Accounts
    signer: TokenSigner
    throttle: Throttle
    two_factor: TwoFactor
    security_keys: SecurityKeys
    sessions: Sessions
    activity: ActivityLog
    clock: object
    metrics: NoMetrics
    schema_version: int  # the schema this code expects, checked by /v1/health
    trash_purge: TrashPurge = field(default_factory=TrashPurge)

    @classmethod
    def build(cls, config, clock=time.time):
        db = Database(config.db_connect)
        _, schema_version = upgrade(db)
        secret_key = config.secret_key or stored_signing_key(db)
        metrics = build_metrics(config)
        return cls(
            config=config,
            db=db,
            accounts=Accounts(config, clock=clock, metrics=metrics),
            signer=TokenSigner(secret_key, clock=clock),
            throttle=Throttle(config, db, secret_key, clock=clock, metrics=metrics),
            two_factor=TwoFactor(secret_key, clock=clock),
            security_keys=SecurityKeys(config.public_url, clock=clock),
            sessions=Sessions(clock=clock),
            activity=ActivityLog(config, clock=clock),
            clock=clock,
            metrics=metrics,
            schema_version=schema_version,
        )


def stored_signing_key(db):
    """The database's signing key, made on first start; every process reads the same one."""
    with db.connect() as conn:
        row = conn.run("get_setting", name=SIGNING_KEY_SETTING)
        if row is None:
            try:
                conn.run("insert_setting", name=SIGNING_KEY_SETTING, value=secrets.token_urlsafe(48))
            except Duplicate:
                pass  # another process made it first; theirs is the one
            row = conn.run("get_setting", name=SIGNING_KEY_SETTING)
    return row["value"]
