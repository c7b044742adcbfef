"""Tests of oppmini.transfer.importers.

A package, so its conftest does not shadow tests/conftest.py for `from conftest import`.
"""
