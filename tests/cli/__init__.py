"""Tests of `opp`, the command-line client (oppmini/cli)."""
