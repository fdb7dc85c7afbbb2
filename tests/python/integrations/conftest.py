"""Fixtures of the integration tests: see integration_warehouse."""

from integration_warehouse import built_warehouse, in_project

__all__ = ["built_warehouse", "in_project"]
