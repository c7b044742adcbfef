"""The WSGI entry point: `oppmini.wsgi:application`, built once per process at import.

mod_wsgi (WSGIScriptAlias to this file), `gunicorn oppmini.wsgi:application`,
`uwsgi --module oppmini.wsgi:application` and `waitress-serve oppmini.wsgi:application`
all host the same app, configured by the cascade: /etc/opp/opp.cfg,
~/.opp/opp.cfg, the file named by OPP_TOP_CONFIG, then OPP_<KEY> variables.
"""

# Absolute import: mod_wsgi loads this file as a script, not as part of the package.
from oppmini.serving.startup import build_application

application = build_application()
