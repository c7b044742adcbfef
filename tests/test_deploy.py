"""The deployment paths of README "Deploying", run with the contrib/ files themselves."""

import ast
import http.client
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deploy import (
    Daemon,
    example_config,
    give_to,
    import_names,
    installed_files,
    runtime_distributions,
    scenario,
    self_signed_certificate,
    service_user,
    shared_folder,
    template,
    trusting,
)
from live import ROOT, LiveServer, free_port, request, require_binary
from oppmini import config as settings

MOD_WSGI = Path("/usr/lib/apache2/modules/mod_wsgi.so")

APACHE_MAIN = """\
ServerRoot {folder}
ServerName localhost
Listen 127.0.0.1:{https_port}
Listen 127.0.0.1:{http_port}
PidFile {folder}/apache2.pid
DefaultRuntimeDir {folder}
Mutex file:{folder} default
ErrorLog {folder}/error.log
LogLevel warn wsgi:info
User {user}
Group {group}
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
LoadModule wsgi_module {mod_wsgi}
WSGISocketPrefix {folder}/wsgi
Include {site}
"""

NGINX_MAIN = """\
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {site};
}}
"""


@pytest.fixture
def folder():
    path = shared_folder()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def sqlite_url(data_folder):
    return f"sqlite:///{data_folder}/opp.db"  # sqlite:/// + an absolute path: four slashes


def redirect_of(url, context=None):
    """(status, Location) of a GET, without following a redirect."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=10, context=context)
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path, headers={"Host": "localhost"})
        answer = connection.getresponse()
        return answer.status, answer.getheader("Location")
    finally:
        connection.close()


def test_gunicorn_serves_the_wsgi_entry_point(tmp_path):
    config = example_config(tmp_path / "opp.cfg", db_connect=sqlite_url(tmp_path))
    port = free_port()
    gunicorn = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    gunicorn += ["--no-control-socket", "oppmini.wsgi:application"]
    env = {"OPP_TOP_CONFIG": str(config)}
    with Daemon(gunicorn, f"http://127.0.0.1:{port}/v1/health", tmp_path / "gunicorn.log", env, cwd=tmp_path):
        scenario(f"http://127.0.0.1:{port}")


def test_gunicorn_refuses_to_start_on_a_bad_setting(tmp_path):
    config = example_config(tmp_path / "opp.cfg", db_connect=sqlite_url(tmp_path), trusted_proxies="10.0.0.1/8")
    gunicorn = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{free_port()}", "--no-control-socket"]
    gunicorn += ["oppmini.wsgi:application"]
    env = {**os.environ, "OPP_TOP_CONFIG": str(config)}
    done = subprocess.run(gunicorn, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    assert (
        "CRITICAL oppmini.startup: oppmini cannot start, bad configuration: "
        "config 'trusted_proxies': 10.0.0.1/8 has host bits set; not serving"
    ) in done.stderr


def mod_wsgi_python():
    """The Python version Debian's mod_wsgi embeds, from its file name (mod_wsgi.so-3.11)."""
    match = re.search(r"-(\d+\.\d+)$", MOD_WSGI.resolve().name)
    return match.group(1) if match else None


def require_mod_wsgi():
    """apache2 and a mod_wsgi that can load the .venv's packages; skip (fail under CI) otherwise."""
    apache = require_binary("apache2", "apache2")
    if not MOD_WSGI.exists():
        require_binary("mod_wsgi.so", "libapache2-mod-wsgi-py3")
    ours = f"{sys.version_info.major}.{sys.version_info.minor}"
    if mod_wsgi_python() not in (None, ours):
        message = f"mod_wsgi embeds Python {mod_wsgi_python()}, the .venv is {ours}: its packages cannot load"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return apache


# Run in a fresh interpreter: the top-level names of every module that importing the WSGI entry loads.
# Modules with no spec were put in sys.modules by an extension module, not found
# on the path (cryptography's Rust bindings add `_openssl`): nothing to copy.
LOADED_BY_THE_ENTRY = (
    "import sys; before = set(sys.modules); import oppmini.wsgi; "
    "print(*(name for name in set(sys.modules) - before if getattr(sys.modules[name], '__spec__', None)))"
)


def imports_written_in(package_folder):
    """The top-level names of every absolute import in a package's source, those inside functions too."""
    names = set()
    for path in package_folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.partition(".")[0])
    return names


def test_the_runtime_packages_cover_every_import(tmp_path):
    """The distributions copied for mod_wsgi's user hold every module oppmini imports outside the
    standard library: what importing oppmini.wsgi loads (with /metrics on), and every import written
    in oppmini/, lazy ones included. A hand-kept list once lacked pyotp, segno, orjson, defusedxml
    and prometheus-client, and mod_wsgi failed in a checkout others may not read."""
    config = example_config(tmp_path / "opp.cfg", db_connect=sqlite_url(tmp_path), metrics_token="m" * 32)
    env = {**os.environ, "OPP_TOP_CONFIG": str(config)}
    loaded = subprocess.run(
        [sys.executable, "-c", LOADED_BY_THE_ENTRY], env=env, cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout.split()
    used = {name.partition(".")[0] for name in loaded} | imports_written_in(ROOT / "oppmini")
    outside = used - set(sys.stdlib_module_names) - set(sys.builtin_module_names) - {"oppmini"}
    assert {"prometheus_client", "_cffi_backend", "pyotp", "orjson"} <= outside
    assert outside <= import_names(runtime_distributions().values())


def open_to_others(path):
    return all(p.stat().st_mode & stat.S_IXOTH for p in (path, *path.parents))


def code_for_service_user(folder):
    """(checkout, site-packages) that mod_wsgi's www-data process can read.

    The real ones when they are open to other users; otherwise (a checkout
    under /root, say) copies of the package, its SQL and the files of every
    distribution it needs at run time (runtime_distributions) in `folder`, so
    the test does not depend on where CI clones.
    """
    site_packages = Path(sysconfig.get_paths()["purelib"])
    if os.geteuid() != 0 or (open_to_others(ROOT) and open_to_others(site_packages)):
        return ROOT, site_packages
    checkout, packages = folder / "checkout", folder / "site-packages"
    skip = shutil.ignore_patterns("__pycache__")
    for part in ("oppmini", "schema"):
        shutil.copytree(ROOT / part, checkout / part, ignore=skip)
    for dist in runtime_distributions().values():
        for file in installed_files(dist):
            (packages / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(dist.locate_file(file), packages / file)
    for path in (checkout, packages):
        subprocess.run(["chmod", "-R", "a+rX", str(path)], check=True)
    return checkout, packages


def private_apache(folder, **settings):
    """(Daemon, base URL, SSL context, plain-HTTP port): contrib/opp-apache.conf, app at /opp."""
    apache = require_mod_wsgi()
    checkout, site_packages = code_for_service_user(folder)
    user, group = service_user()
    data = folder / "data"
    data.mkdir()
    give_to(data, user)
    config = example_config(folder / "opp.cfg", db_connect=sqlite_url(data), **settings)
    cert, key = self_signed_certificate(folder)
    https_port, http_port = free_port(), free_port()
    site = template(
        "opp-apache.conf",
        folder / "site.conf",
        {
            "<VirtualHost *:80>": f"<VirtualHost 127.0.0.1:{http_port}>",
            "<VirtualHost *:443>": f"<VirtualHost 127.0.0.1:{https_port}>",
            "https://opp.example.org/": f"https://localhost:{https_port}/",
            "/etc/letsencrypt/live/opp.example.org/fullchain.pem": str(cert),
            "/etc/letsencrypt/live/opp.example.org/privkey.pem": str(key),
            "opp.example.org": "localhost",
            "user=opp group=opp": f"user={user} group={group}",
            "processes=2 threads=4": "processes=1 threads=4",
            "/var/lib/opp": str(data),
            "/srv/oppmini/.venv/lib/python3.11/site-packages": str(site_packages),
            "/srv/oppmini": str(checkout),
        },
    )
    main = folder / "apache2.conf"
    main.write_text(
        APACHE_MAIN.format(
            folder=folder,
            https_port=https_port,
            http_port=http_port,
            user=user,
            group=group,
            mod_wsgi=MOD_WSGI,
            site=site,
        ),
        encoding="utf-8",
    )
    context = trusting(cert)
    base = f"https://localhost:{https_port}/opp"
    daemon = Daemon(
        [apache, "-f", main, "-DFOREGROUND"],
        base + "/v1/health",
        folder / "apache2.out",
        env={"OPP_TOP_CONFIG": str(config)},
        context=context,
        extra_logs=[folder / "error.log"],
    )
    return daemon, base, context, http_port


def test_apache_mod_wsgi_serves_under_a_path_prefix_over_https(folder):
    daemon, base, context, http_port = private_apache(folder)
    with daemon:
        scenario(base, context)
        status, headers, _ = request("GET", base + "/api/v1/health", context=context)
        # TLS ends in Apache itself: mod_wsgi says https, and oppmini answers with HSTS.
        assert (status, headers["Strict-Transport-Security"]) == (200, "max-age=31536000")
        # The built-in web page, and every file it links to, under the prefix.
        index = (ROOT / "oppmini" / "web" / "static" / "index.html").read_bytes()
        assert request("GET", base + "/", context=context)[2] == index
        links = re.findall(rb'(?:href|src)="([^"#:]+)"', index)
        assert links and not any(link.startswith(b"/") for link in links)
        for link in links:
            assert request("GET", f"{base}/{link.decode()}", context=context)[0] == 200, link
        # The prefix is Apache's: the same path without it is none of oppmini's.
        root = base.removesuffix("/opp")
        assert request("GET", root + "/v1/health", context=context)[0] == 404
        assert redirect_of(f"http://127.0.0.1:{http_port}/opp/v1/health") == (301, root + "/opp/v1/health")
        # Apache hands /opp over as SCRIPT_NAME /opp and no PATH_INFO: the app adds the slash.
        assert redirect_of(base, context) == (301, "/opp/")
    assert "Starting process 'oppmini' with uid=" in daemon.log()  # daemon mode, as the service user
    assert "oppmini.startup: ready" in daemon.log()


def test_apache_refuses_to_serve_on_a_bad_setting(folder):
    daemon, base, context, _ = private_apache(folder, exp_delta="soon")
    daemon.ready_status = 500
    with daemon:
        status, _, body = request("GET", base + "/v1/health", context=context)
    assert status == 500 and b"OpenPassPhrase" not in body
    assert (
        "oppmini cannot start, bad configuration: config 'exp_delta': expected a whole number; not serving"
    ) in daemon.log()
    assert not (folder / "data" / "opp.db").exists()


def test_nginx_proxies_https_to_serve_py(folder):
    nginx = require_binary("nginx", "nginx")
    config = example_config(folder / "opp.cfg", db_connect=sqlite_url(folder), trusted_proxies="127.0.0.1, ::1")
    cert, key = self_signed_certificate(folder)
    https_port, http_port = free_port(), free_port()
    with LiveServer(config) as server:
        site = template(
            "opp-nginx.conf",
            folder / "site.conf",
            {
                "listen 80;": f"listen 127.0.0.1:{http_port};",
                "listen [::]:80;": "",
                "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
                "listen [::]:443 ssl http2;": "",
                "/etc/letsencrypt/live/opp.example.org/fullchain.pem": str(cert),
                "/etc/letsencrypt/live/opp.example.org/privkey.pem": str(key),
                "opp.example.org": "localhost",
                "proxy_pass http://127.0.0.1:8080;": f"proxy_pass http://127.0.0.1:{server.port};",
            },
        )
        main = folder / "nginx.conf"
        main.write_text(NGINX_MAIN.format(folder=folder, site=site), encoding="utf-8")
        context = trusting(cert)
        base = f"https://localhost:{https_port}"
        command = [nginx, "-p", folder, "-c", main, "-e", folder / "error.log"]
        with Daemon(command, base + "/v1/health", folder / "nginx.out", context=context):
            scenario(base, context)
            # X-Forwarded-Proto from the trusted proxy: oppmini knows the client used HTTPS.
            headers = request("GET", base + "/v1/health", context=context)[1]
            assert headers["Strict-Transport-Security"] == "max-age=31536000"
            assert redirect_of(f"http://127.0.0.1:{http_port}/v1/health") == (301, "https://localhost/v1/health")
        # Straight to serve.py, plain HTTP: no HSTS, which only HTTPS answers carry.
        assert "Strict-Transport-Security" not in request("GET", server.url + "/v1/health")[1]


def test_systemd_unit_runs_serve_py_with_the_example_config(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    port = free_port()
    config = example_config(tmp_path / "opp.cfg", db_connect=sqlite_url(data), port=str(port))
    unit = template(
        "opp.service",
        tmp_path / "opp.service",
        {
            "/srv/oppmini/.venv/bin/python": sys.executable,
            "/srv/oppmini/serve.py": str(ROOT / "serve.py"),
            "/etc/opp/opp.cfg": str(config),
            "/var/lib/opp": str(data),
        },
    )
    directives = unit_directives(unit)
    for directive in ("User=opp", "ProtectSystem=strict", "NoNewPrivileges=yes", "Restart=on-failure"):
        assert directive in directives
    assert f"ReadWritePaths={data}" in directives
    assert f"WorkingDirectory={data}" in directives
    command = shlex.split(next(d for d in directives if d.startswith("ExecStart=")).partition("=")[2])
    with Daemon(command, f"http://127.0.0.1:{port}/v1/health", tmp_path / "serve.log", cwd=data):
        scenario(f"http://127.0.0.1:{port}")
    assert (data / "opp.db").exists()


def unit_directives(unit):
    lines = (line.strip() for line in unit.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith(("#", "["))]


def test_systemd_accepts_the_unit(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    unit = template("opp.service", tmp_path / "opp.service", {"/srv/oppmini/.venv/bin/python": sys.executable})
    done = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=30)
    complaints = [line for line in (done.stdout + done.stderr).splitlines() if "opp.service" in line]
    assert done.returncode == 0 and not complaints, done.stdout + done.stderr


def test_example_config_shows_every_key_with_a_valid_value():
    text = (ROOT / "contrib" / "opp.cfg").read_text(encoding="utf-8")
    shown = dict(re.findall(r"^(?:# )?(\w+) = ?(.*)$", text, flags=re.MULTILINE))
    assert sorted(shown) == sorted(settings.PARSERS)
    assert settings.parse(shown).db_connect == "sqlite:////var/lib/opp/opp.db"


def test_unit_and_example_config_agree_on_the_data_folder():
    directives = unit_directives(ROOT / "contrib" / "opp.service")
    assert "ReadWritePaths=/var/lib/opp" in directives and "StateDirectory=opp" in directives
    assert "--config /etc/opp/opp.cfg" in next(d for d in directives if d.startswith("ExecStart="))
