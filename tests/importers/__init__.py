"""Tests of oppmini.transfer.importers; a package, so its conftest does not shadow tests/conftest.py for `from conftest import`."""
