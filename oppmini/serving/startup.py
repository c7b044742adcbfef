"""Building the app for a WSGI host, once, or refusing to start with a clear log line."""

import logging
import os
import sys

from .. import config as settings
from ..store.db import DatabaseError
from ..web.app import make_app

log = logging.getLogger("oppmini.startup")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class StartupError(RuntimeError):
    """The app cannot serve; raised out of the import so the host serves nothing."""


def build_application(environ=None):
    """The WSGI app from the configuration cascade (OPP_TOP_CONFIG, OPP_<KEY> variables).

    A bad setting or a database that cannot be opened is logged and raised: a
    host that imports this fails to start (gunicorn exits, mod_wsgi answers 500
    and logs why) instead of serving half-configured.
    """
    environ = os.environ if environ is None else environ
    try:
        config = settings.load(None, environ)
    except (settings.ConfigError, OSError) as error:  # OSError: a file it may not read
        _configure_logging("INFO")
        raise _refusal(f"bad configuration: {error}") from None
    _configure_logging(config.log_level)
    for line in settings.warnings(config):
        log.warning("%s", line)
    for line in settings.notes(config):
        log.info("%s", line)
    try:
        app = make_app(config)
    except (DatabaseError, OSError) as error:
        raise _refusal(f"cannot open the database: {error}") from None
    top_file = environ.get(settings.TOP_FILE_VARIABLE) or "no top file"
    log.info("ready: configuration %s, %s database", top_file, app.services.db.dialect)
    return app


def _configure_logging(level):
    # A host that set up logging (gunicorn --log-config, a uWSGI logger) keeps
    # its own; otherwise messages go to stderr, which every host records.
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr)


def _refusal(why):
    message = f"oppmini cannot start, {why}; not serving"
    log.critical(message)
    return StartupError(message)
