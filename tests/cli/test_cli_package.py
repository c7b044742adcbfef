"""`opp` is installed beside opp-db and needs nothing beyond the standard library."""

import ast
import configparser
import sys
from pathlib import Path

from live import ROOT

PACKAGE = ROOT / "oppmini" / "cli"


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_every_module_imports_the_standard_library_and_its_own_package_only():
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) >= 8
    for path in modules:
        for name in imported_modules(path):
            assert name.split(".")[0] in sys.stdlib_module_names, f"{path.name} imports {name}"


def test_the_console_script_is_declared_and_installed():
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    scripts = setup["options.entry_points"]["console_scripts"].split("\n")
    assert "opp = oppmini.cli.main:main" in scripts and "opp-db = oppmini.admin.main:main" in scripts
    assert Path(sys.executable).with_name("opp").exists()
