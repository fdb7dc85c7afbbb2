"""Vars and seeds of the reference implementation (SPEC section 1).

`load_vars` reads a YAML file of dbt vars; `resolve_vars` fills every var SPEC names with
its documented default. `load_seeds` reads the four seed CSVs of a directory as lists of
row dicts (strings, as `csv.DictReader` gives them).
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path
from typing import Any

import yaml

SEED_NAMES = ("event_name_aliases", "channel_rules", "currency_rates", "deletion_requests")

# SPEC section 7: the two shipped funnels.
DEFAULT_FUNNELS: list[dict[str, Any]] = [
    {"name": "signup", "steps": ["page_viewed", "signed_up", "onboarding_completed"]},
    {
        "name": "purchase",
        "steps": ["product_viewed", "product_added", "checkout_started", "order_completed"],
    },
]

# Every var SPEC names, with its default.
DEFAULT_VARS: dict[str, Any] = {
    "reporting_timezone": "UTC",  # section 6
    "session_timeout_minutes": 30,  # section 5
    "session_max_hours": 24,  # section 5
    "non_interactive_events": [],  # section 5
    "key_events": ["order_completed", "signed_up"],  # section 5
    "own_hosts": [],  # section 5
    "min_event_date": "2000-01-01",  # section 3
    "max_future_skew_hours": 24,  # section 3
    "conversion_window_days": 14,  # section 7
    "funnels": DEFAULT_FUNNELS,  # section 7
    "retention_cohort_event": None,  # section 6
    "order_events": ["order_completed"],  # section 8
    "refund_events": ["order_refunded"],  # section 8
    "reporting_currency": "USD",  # section 8
    "subscription_events": [
        "subscription_started",
        "subscription_changed",
        "subscription_cancelled",
    ],  # section 8
    "subscription_cancel_events": ["subscription_cancelled"],  # section 8
    "experiment_exposure_event": "experiment_viewed",  # section 10
    "experiments": {},  # section 10
    "keep_emails": False,  # section 11
}

EXPERIMENT_DEFAULTS: dict[str, Any] = {
    "conversion_event": "order_completed",
    "window_days": 14,
    "control_variant": "control",
}


def load_vars(path: str | Path) -> dict[str, Any]:
    """Read a YAML file of dbt vars (e.g. conformance/vars.yml)."""
    with open(path, encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle)
    return dict(loaded or {})


def load_seeds(directory: str | Path) -> dict[str, list[dict[str, str]]]:
    """Read the four seed CSVs of a directory; a missing seed is an empty list."""
    seeds: dict[str, list[dict[str, str]]] = {}
    for name in SEED_NAMES:
        path = Path(directory) / f"{name}.csv"
        if path.exists():
            with open(path, encoding="utf-8", newline="") as handle:
                seeds[name] = list(csv.DictReader(handle))
        else:
            seeds[name] = []
    return seeds


def resolve_vars(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Return SPEC's defaults overlaid with the given vars (a None value keeps None)."""
    resolved = copy.deepcopy(DEFAULT_VARS)
    for key, value in (overrides or {}).items():
        resolved[key] = copy.deepcopy(value)
    # Lists given as None behave as empty lists.
    for key in (
        "non_interactive_events",
        "key_events",
        "own_hosts",
        "order_events",
        "refund_events",
        "subscription_events",
        "subscription_cancel_events",
    ):
        if resolved[key] is None:
            resolved[key] = []
    if resolved["funnels"] is None:
        resolved["funnels"] = []
    if resolved["experiments"] is None:
        resolved["experiments"] = {}
    if resolved["retention_cohort_event"] == "":
        resolved["retention_cohort_event"] = None
    if isinstance(resolved["keep_emails"], str):  # e.g. --vars given as text
        resolved["keep_emails"] = resolved["keep_emails"].strip().lower() in ("true", "1", "yes")
    return resolved


def experiment_config(vars_: dict[str, Any], experiment_name: str) -> dict[str, Any]:
    """SPEC section 10: an experiment's settings, with the documented defaults."""
    config = dict(EXPERIMENT_DEFAULTS)
    for key, value in (vars_["experiments"].get(experiment_name) or {}).items():
        if value is not None:
            config[key] = value
    return config
