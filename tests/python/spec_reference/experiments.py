"""Experiments (SPEC section 10): fct_experiment_results."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from .config import experiment_config
from .parsing import Event, as_text
from .sessions import event_order


def experiment_results(events: list[Event], vars_: dict[str, Any]) -> list[dict[str, Any]]:
    """Exposures: events named var experiment_exposure_event with non-empty
    properties.experiment_name and properties.variant. A person's variant is that of their
    first exposure; persons exposed to more than one variant are excluded. Converted: the
    conversion event occurs strictly after the first exposure and at most window_days x 24
    hours after it. Pooled two-proportion z-test against the control variant."""
    exposure_name = vars_["experiment_exposure_event"]
    ordered = sorted(events, key=event_order)
    # experiment -> person -> list of (event, variant), in time order.
    exposures: dict[str, dict[str, list[tuple[Event, str]]]] = {}
    for event in ordered:
        if event.event_name != exposure_name:
            continue
        experiment = as_text(event.properties.get("experiment_name"))
        variant = as_text(event.properties.get("variant"))
        if experiment is None or variant is None:
            continue
        assert event.person_id is not None
        exposures.setdefault(experiment, {}).setdefault(event.person_id, []).append(
            (event, variant)
        )
    events_by_person_name: dict[tuple[str, str], list[Event]] = {}
    for event in ordered:
        assert event.person_id is not None
        events_by_person_name.setdefault((event.person_id, event.event_name), []).append(event)

    rows: list[dict[str, Any]] = []
    for experiment in sorted(exposures):
        config = experiment_config(vars_, experiment)
        conversion_event = config["conversion_event"]
        window = timedelta(hours=24 * float(config["window_days"]))
        control = str(config["control_variant"])
        exposed: dict[str, int] = {}
        converted: dict[str, int] = {}
        excluded = 0
        for person_id, person_exposures in exposures[experiment].items():
            if len({variant for _e, variant in person_exposures}) > 1:
                excluded += 1
                continue
            first_event, variant = person_exposures[0]
            exposed[variant] = exposed.get(variant, 0) + 1
            start = first_event.occurred_at
            is_converted = any(
                start < e.occurred_at <= start + window
                for e in events_by_person_name.get((person_id, conversion_event), [])
            )
            if is_converted:
                converted[variant] = converted.get(variant, 0) + 1
        control_n = exposed.get(control, 0)
        control_x = converted.get(control, 0)
        control_rate = control_x / control_n if control_n else None
        for variant in sorted(exposed):
            n = exposed[variant]
            x = converted.get(variant, 0)
            rate = x / n
            is_control = variant == control
            lift = z_score = p_value = None
            if not is_control and control_rate is not None:
                if control_rate != 0:
                    lift = rate / control_rate - 1
                pooled = (x + control_x) / (n + control_n)
                standard_error = math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / control_n))
                if standard_error > 0:
                    z_score = (rate - control_rate) / standard_error
                    p_value = math.erfc(abs(z_score) / math.sqrt(2))
            rows.append(
                {
                    "experiment_name": experiment,
                    "variant": variant,
                    "is_control": is_control,
                    "exposed_persons": n,
                    "converted_persons": x,
                    "conversion_rate": rate,
                    "lift_vs_control": lift,
                    "z_score": z_score,
                    "p_value": p_value,
                    "excluded_persons": excluded,
                    "is_significant": p_value is not None and p_value < 0.05,
                }
            )
    return rows
