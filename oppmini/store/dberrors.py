"""The adapter's errors: what a caller of the database may catch, whichever driver raised it."""


class DatabaseError(Exception):
    """Base of the adapter's errors; carries no SQL parameters, which may be secret."""


class Duplicate(DatabaseError):
    """A write broke a uniqueness or reference constraint (either driver)."""


class Unavailable(DatabaseError):
    """The database cannot be reached or opened right now."""


class TooLarge(DatabaseError):
    """A transaction larger than a database cluster replicates (Galera's wsrep_max_ws_size): it was
    rolled back whole, and running it again would fail the same way."""


class Busy(Unavailable):
    """A transaction lost a lock race (deadlock, lock timeout); running it again may succeed."""


def unavailable(driver, error):
    """The adapter's error for a driver's operational one: Busy when a retry may help, TooLarge when
    the cluster refused the transaction's size."""
    if driver.is_too_large(error):
        return TooLarge(str(error))
    return (Busy if driver.is_busy(error) else Unavailable)(str(error))
