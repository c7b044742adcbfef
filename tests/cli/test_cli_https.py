"""`opp` over HTTPS: gunicorn serving oppmini.wsgi with a certificate made by openssl for the test."""

import sys

import pytest

from cli.conftest import GENEROUS_LIMITS, Opp
from conftest import CHEAP_ARGON2, PASSWORD, PHRASE
from deploy import Daemon, self_signed_certificate, trusting
from live import free_port, request, write_config


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("opp-https")
    cert, key = self_signed_certificate(folder)
    config = write_config(
        folder, db_connect=f"sqlite:///{folder}/opp.db", allow_signup="true", **CHEAP_ARGON2, **GENEROUS_LIMITS
    )
    url = f"https://localhost:{free_port()}"
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        url.removeprefix("https://"),
        "--no-control-socket",
        "--certfile",
        cert,
        "--keyfile",
        key,
        "oppmini.wsgi:application",
    ]
    with Daemon(
        gunicorn,
        f"{url}/v1/health",
        folder / "gunicorn.log",
        {"OPP_TOP_CONFIG": str(config)},
        cwd=folder,
        context=trusting(cert),
    ):
        yield url, cert


def test_https_verified_against_cacert_which_the_session_keeps(https_server, tmp_path):
    url, cert = https_server
    username = "tls-user"
    assert (
        request(
            "PUT",
            f"{url}/v1/user",
            {"username": username, "password": PASSWORD, "phrase": PHRASE},
            context=trusting(cert),
        )[0]
        == 200
    )
    opp = Opp(tmp_path, url, username)
    # The system store does not know the test's certificate: refused, nothing sent.
    done = opp("login", "--server", url, "-u", username, input=PASSWORD + "\n")
    assert done.returncode == 5
    assert done.stderr.startswith(f"opp: cannot reach {url}: certificate not trusted (")
    assert done.stderr.endswith("); give its CA with --cacert FILE\n")
    assert not opp.session_file().exists()

    opp.ok("login", "--server", url, "-u", username, "--cacert", cert, input=PASSWORD + "\n")
    opp.ok("add", "Mail", "--generate", "16")  # the session's CA file, no --cacert needed
    assert opp.json("ls")[0]["name"] == "Mail"
    assert "warning" not in "".join(opp.outputs)
