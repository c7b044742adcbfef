"""The long-lived parts of one app: settings, database, token signer, accounts."""

import secrets
import time
from dataclasses import dataclass, field

from .accounts import Accounts
from .config import Config
from .db import Database, Duplicate
from .migrations import upgrade
from .throttle import Throttle
from .tokens import TokenSigner
from .trash import TrashPurge

SIGNING_KEY_SETTING = "signing_key"


@dataclass
class Services:
    config: Config
    db: Database
    accounts: Accounts
    signer: TokenSigner
    throttle: Throttle
    clock: object
    trash_purge: TrashPurge = field(default_factory=TrashPurge)

    @classmethod
    def build(cls, config, clock=time.time):
        db = Database(config.db_connect)
        upgrade(db)
        secret_key = config.secret_key or stored_signing_key(db)
        return cls(
            config=config,
            db=db,
            accounts=Accounts(config, clock=clock),
            signer=TokenSigner(secret_key, clock=clock),
            throttle=Throttle(config, db, secret_key, clock=clock),
            clock=clock,
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
