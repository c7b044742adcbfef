"""Handlers: plain functions `handler(call) -> dict`, one module per resource."""

# The contract's body of a write that returns nothing else, and the start of every list answer.
SUCCESS = {"result": "success"}
