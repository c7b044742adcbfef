"""Start the oppmini server: python serve.py [--config FILE] [--host H] [--port P] [--processes N] [--threads N]."""

import argparse
import logging
import os
import sys

from oppmini import config as settings
from oppmini import metrics
from oppmini.serving import server
from oppmini.store.db import Database, DatabaseError
from oppmini.store.dburl import describe
from oppmini.store.migrations import upgrade
from oppmini.web import accesslog
from oppmini.web.app import make_app

log = logging.getLogger("oppmini.serve")
LOG_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Serve the oppmini password-manager API.")
    parser.add_argument("--config", "--config_file", dest="config", metavar="FILE", help="top configuration file")
    parser.add_argument("--host", help="address to listen on (config 'host', default 127.0.0.1)")
    parser.add_argument("--port", help="port to listen on (config 'port', default 8080)")
    parser.add_argument("--processes", help="server processes (config 'processes', default: the number of cores)")
    parser.add_argument("--threads", help="worker threads per process (config 'threads', default 1)")
    return parser.parse_args(argv)


def load_config(args):
    """The configuration cascade, with command-line values on top of everything."""
    environ = dict(os.environ)
    for key in ("host", "port", "processes", "threads"):
        value = getattr(args, key)
        if value is not None:
            environ[f"OPP_{key.upper()}"] = value
    return settings.load(args.config, environ)


def main(argv=None):
    args = parse_args(argv)
    try:
        config = load_config(args)
    except settings.ConfigError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=config.log_level, format=LOG_FORMAT)
    # The access lines in batches (oppmini/accesslog.py): through logging, one costs a third of a request.
    accesslog.install(LOG_FORMAT)
    for line in settings.warnings(config):
        log.warning("%s", line)
    try:
        # Checked, created or upgraded here, once, so a bad database fails before any fork.
        upgrade(Database(config.db_connect))
    except (DatabaseError, OSError) as error:
        # At start-up the schema and the shared signing key must be read, so an
        # unreachable database stops the start here, loudly, for the service
        # manager to retry; once running, an outage only answers 503 until the
        # database is back.
        print(f"Error: cannot open the {describe(config.db_connect)}: {error}", file=sys.stderr)
        return 1
    # What a setting leaves off, once the server is sure to start: a failed start shows its error first.
    for line in settings.notes(config):
        log.info("%s", line)
    try:
        sock = server.listen(config.host, config.port)
    except OSError as error:
        print(f"Error: cannot listen on {config.host}:{config.port}: {error}", file=sys.stderr)
        return 1
    host, port = sock.getsockname()[:2]
    log.info("serving on http://%s:%s: %d process(es) x %d thread(s)", host, port, config.processes, config.threads)

    def serve_one():
        # Built here, after any fork: a database connection must never cross one.
        try:
            app = make_app(config)
        except (DatabaseError, OSError) as error:
            log.error("cannot open the %s: %s", describe(config.db_connect), error)
            return server.CANNOT_START
        server.serve_forever(app, config, sock)
        log.info("stopped")
        return 0

    # Before any fork: every process writes its figures where one scrape reads them all.
    with metrics.shared_folder(config) as folder:
        if folder:
            log.info("metrics: figures of every process gathered in %s", folder)
        if config.processes == 1:
            return serve_one()
        return server.Supervisor(serve_one, config.processes).run()


if __name__ == "__main__":
    sys.exit(main())
