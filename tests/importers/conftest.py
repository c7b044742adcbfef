"""The import corpus beside the project (../shared/imports, never copied in), one test per sample file.

A test that takes `sample` runs once per export file of the corpus, and is
skipped, saying why, when the corpus is absent. In a git worktree the corpus
sits beside the main checkout rather than beside this one, so that is looked
at too.
"""

import signal
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def corpus_folder():
    candidates = [ROOT / ".." / "shared" / "imports"]
    try:
        common = subprocess.run(
            ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except OSError:
        common = ""
    if common:
        candidates.append(Path(common).parent / ".." / "shared" / "imports")
    return next((path.resolve() for path in candidates if path.is_dir()), None)


SAMPLES = corpus_folder()
SAMPLE_FILES = (
    sorted(path for path in SAMPLES.iterdir() if path.name != "README.md" and not path.name.endswith(".expected.json"))
    if SAMPLES
    else []
)
PREFIXES = (
    ("chrome_", "chrome-csv"),
    ("dashlane", "dashlane-csv"),
    ("firefox", "firefox-csv"),
    ("keepass2_", "keepass-xml"),
    ("keepassxc", "keepassxc-csv"),
    ("lastpass_", "lastpass-csv"),
    ("safari", "safari-csv"),
)


def format_of(path):
    """The format a sample file is, from its name (1Password and Bitwarden by extension too)."""
    name = path.name
    if name.startswith("1password8_"):
        return "1password-1pux" if name.endswith(".1pux") else "1password-csv"
    if name.startswith("bitwarden_"):
        return "bitwarden-json" if name.endswith(".json") else "bitwarden-csv"
    return next(fmt for prefix, fmt in PREFIXES if name.startswith(prefix))


def pytest_generate_tests(metafunc):
    """`sample`: every export file of the corpus; `text_sample`: those that are text (not the 1PUX zip)."""
    for name, files in (("sample", SAMPLE_FILES), ("text_sample", [f for f in SAMPLE_FILES if f.suffix != ".1pux"])):
        if name not in metafunc.fixturenames:
            continue
        if files:
            metafunc.parametrize(name, files, ids=[path.name for path in files])
        else:
            metafunc.parametrize(
                name,
                [
                    pytest.param(
                        None,
                        marks=pytest.mark.skip(
                            reason=f"the import corpus is not beside the project ({ROOT / '..' / 'shared' / 'imports'})"
                        ),
                    )
                ],
            )


@pytest.fixture
def sample_format(sample):
    return format_of(sample)


@pytest.fixture
def corpus():
    """The corpus folder, for tests of one named sample."""
    if SAMPLES is None:
        pytest.skip("the import corpus is not beside the project")
    return SAMPLES


@contextmanager
def _within(seconds):
    def expire(signum, frame):
        raise TimeoutError(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def within():
    """`with within(seconds):` fails the test with TimeoutError when reading hangs (a guard, not a speed test)."""
    return _within
