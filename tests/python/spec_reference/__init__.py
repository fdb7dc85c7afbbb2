"""Pure-Python reference implementation of SPEC.md (sections 2 to 11): the oracle the dbt
models are compared against.

    from spec_reference import compute_all, load_vars, load_seeds
    tables = compute_all(events_dir, load_vars("vars.yml"), load_seeds("seeds/"))

`compute_all(events_dir, vars, seeds)` returns {model name: list of row dicts} for every
model of the conformance suite (stg_events_rejected, int_identity_map, fct_sessions,
dim_persons, fct_active_users_daily, fct_lifecycle, fct_retention, fct_funnel_entries,
fct_funnel_steps, fct_orders, fct_revenue_daily, fct_ltv_cohorts, fct_mrr_movements,
fct_mrr_monthly, fct_experiment_results, fct_event_transitions, reconciliation), with the
conformance CSVs' column names, plus `_events`: the accepted, deduplicated, not deleted
events as dicts (with person_id and session_id) for debugging. `vars` may be partial:
SPEC's defaults fill the rest (`config.DEFAULT_VARS`). `seeds` maps seed name -> rows of
strings (as csv.DictReader gives them).

Value types: str, int, float, bool, None, `datetime.date` for dates, and naive
`datetime.datetime` in UTC (microsecond precision) for timestamps; `traits` is text.
`stg_events_rejected.file` is the absolute path of the file as found.

Modules: parsing (sections 2-3), identity (3-4), sessions (5, transitions of 10),
activity (6), funnels (7), revenue (8), experiments and persons (10), pipeline (11 and the
wiring), compare (CSV comparison helpers for tests), timeutil, config.

Interpretations
---------------
Where SPEC is silent or ambiguous. [C] = decided by the public conformance output (the
other choice fails a table); [R] = our reading, not exercised by the conformance data
(the dbt models must make the same choice).

Input (sections 1-3)
 1. [R] Text values are trimmed of ASCII whitespace (space, tab, CR, LF, FF, VT) only.
    JSON objects and arrays are not text values: as an id, name, url, etc. they are absent.
 2. [R] With duplicate keys in one JSON object the first occurrence wins (as DuckDB's
    JSON functions read it). A string escape that is not valid Unicode (an unpaired
    surrogate such as \\ud800) makes the line invalid_json. Nesting depth is not a reject
    reason (only a line that is not a JSON object is invalid_json): deeply nested JSON
    (e.g. 1,500 levels) is valid. Python's recursive parser gets a raised recursion limit
    and a large stack for such lines (`parsing.DEEP_RECURSION_LIMIT`, 1,000,000 levels);
    NaN, Infinity, trailing commas etc. are still rejected.
 3. [C] Event ids are never cleaned (messageId "null" is the id "null"); [R] they are
    trimmed like every text value. A missing id is md5 of the raw line bytes (after the
    trailing CR is stripped).
 4. [R] Track names: the first non-empty text among `event`, `event_name` is normalised;
    if that is empty the line is missing_event_name (a later candidate is not tried).
    camelCase splitting is ASCII-only ([a-z0-9] followed by [A-Z]). Only track names are
    normalised and mapped through event_name_aliases; page/screen/identify/alias/group
    get their fixed names. The seed's raw_name is normalised like a track name (camelCase
    split, lowercase, runs outside [a-z0-9] to `_`, trim `_`) before matching, so a row
    "Hidden Dir" maps hidden_dir; canonical_name is used as written (trimmed). When
    several rows share a normalised raw_name, the smallest canonical_name (Python string
    order) wins, not the last row.
 5. [R] Timestamps: the grammar is matched exactly (uppercase `T` and `Z`, ASCII digits,
    offset sign + or -, an offset may follow a bare date); out-of-range fields (month 13,
    hour 24, Feb 30, offset hour > 23) do not parse; extra fraction digits are truncated.
    A year outside 1..9999 after applying the offset does not parse.
 6. [R] A url without `scheme://` has as path its text before `?`/`#` when that starts
    with `/`, else `/`. referrer_host drops userinfo and port. Query parameters: keys are
    matched exactly as written (not decoded, case-sensitive); the first occurrence wins
    even when its value is empty (then the value is absent); values are decoded with
    `+` as space and UTF-8 (invalid sequences become U+FFFD).
 7. [C] Duplicates of a deleted person's events are counted as `deleted`, not
    `duplicates` (reconciliation deleted = 16).

Identity (section 4)
 8. [R] `int_identity_map` holds user_id and anonymous_id values of accepted events
    only; an alias previous_id is not an identifier by itself.

Privacy (section 11)
 9. [R] Deleted persons: a listed user_id matches identity-map user_ids, a listed
    anonymous_id matches anonymous_ids (no cross-type matching). Every line whose event_id
    belongs to a kept event of a deleted person is removed (duplicates included).
10. [R] "As if they never existed": identity is stitched again over the remaining events,
    and every model is computed from them (data end, last active day, spines, funnels).
11. [C] Rejected lines are removed only when they contain a *listed* id as `"<id>"`
    (an exact substring of the raw line); `"u_sc_forget2_other"` does not match.
12. [C] Email-like trait values are hashed after trimming and lowercasing;
    [R] the pattern is searched anywhere in the string (not anchored); `\\s` in it is
    ASCII whitespace only (re.ASCII, as in RE2 and Java: a non-breaking space is not
    whitespace there); only top-level string trait values are considered (nested
    arrays/objects are kept as they are).
13. [R] traits JSON: compact, keys sorted at every level, non-ASCII characters written
    as UTF-8 (not \\u escapes), numbers as their JSON text; a person whose identify calls
    hold no non-null trait gets null (never `{}`).

Sessions (section 5)
14. [C] UTM values keep their case in fct_sessions / dim_persons (only the channel rules
    see lowercased values). [R] "any utm value" includes utm_term and utm_content.
15. [C] device.type is trimmed and lowercased and wins over the user agent of the same
    event. [R] browser/os (project rules, compared loosely): first matching token of
    `sessions.browser_from_user_agent` / `os_from_user_agent`, null without user agent.
16. [R] Channel rules with equal priority keep seed order; no matching rule gives a null
    channel; a regex cell is trimmed; `__null__` needs the value absent; a non-empty regex
    never matches an absent value.
17. [R] fct_sessions.net_revenue sums fct_orders.net_revenue of the orders whose first
    event is in the session (0.0 when none).

Activity (section 6)
18. [C] Retention has rows only for cohort periods with members (no empty cohorts);
    lifecycle `dormant` counts are positive numbers.
19. [R] With retention_cohort_event set, the cohort is the local day of the person's
    first accepted event of that name (any type), and a cohort after the last active
    period has no rows.

Funnels (section 7)
20. [R] conversion_from_previous is 1.0 at step 1 (even with 0 persons);
    conversion_from_start and conversion_from_previous are null when the divisor is 0;
    median/mean are null when no person reached the step. Funnels with no entry still get
    their step rows.

Revenue (section 8)
21. [R] An order with a null reporting amount (no amount, or no rate in force) has
    net_revenue = 0 - refunded_amount; refunds with no rate in force add nothing.
22. [R] The revenue_date spine is contiguous from min(first active day, first revenue
    day) to max(last active day, last revenue day); a revenue day is a day with an order
    or a counted refund.
23. [R] Refund amount candidates in order revenue, total, value, amount; the order key
    has no event_id fallback for refunds. refunded_amount is in the reporting currency.
24. [R] Subscription events are those named in subscription_events or
    subscription_cancel_events. "The first month with a subscription event" uses events
    that count (cancels, or a numeric mrr); ignored events do not start the range.
    current_mrr is the MRR after the person's last counted subscription event.
25. [R] A currency rate row's valid_from is read as a date (first 10 characters);
    currencies are compared trimmed and uppercased, as is var reporting_currency.

Experiments (section 10)
26. [R] Every experiment with an exposure gets rows (unconfigured ones use the
    defaults); one row per variant with at least one non-excluded person; the control row
    is missing if nobody saw the control variant (then lift/z/p are null). lift is null
    when the control rate is 0.
"""

from .config import load_seeds, load_vars, resolve_vars
from .pipeline import compute_all

__all__ = ["compute_all", "load_seeds", "load_vars", "resolve_vars"]
