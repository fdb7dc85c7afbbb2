"""Duplicates (SPEC section 3) and identity stitching (section 4)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from .parsing import Event


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def dedupe(events: list[Event]) -> tuple[list[Event], list[Event]]:
    """Section 3: accepted lines sharing an event_id are duplicates; the kept line has the
    earliest received_at (null last), then the smallest raw text in byte order.

    Returns (kept events, duplicate lines)."""
    groups: dict[str, list[Event]] = {}
    for event in events:
        groups.setdefault(event.event_id, []).append(event)
    kept: list[Event] = []
    duplicates: list[Event] = []
    for group in groups.values():
        ordered = sorted(
            group,
            key=lambda e: (
                e.received_at is None,
                e.received_at or datetime.min,
                e.raw_bytes,
            ),
        )
        kept.append(ordered[0])
        duplicates.extend(ordered[1:])
    return kept, duplicates


@dataclass
class Identity:
    """The result of stitching: who every id and event belongs to."""

    user_parent: dict[str, str]
    anonymous_owner: dict[str, str]  # anonymous_id -> (raw) user_id of its first link
    user_ids: set[str]
    anonymous_ids: set[str]

    def canonical_user(self, user_id: str) -> str:
        """Section 4: the root of the user's parent chain."""
        seen = set()
        while user_id in self.user_parent and user_id not in seen:
            seen.add(user_id)
            user_id = self.user_parent[user_id]
        return user_id

    def person_key_of_anonymous(self, anonymous_id: str) -> str:
        owner = self.anonymous_owner.get(anonymous_id)
        if owner is not None:
            return "user:" + self.canonical_user(owner)
        return "anon:" + anonymous_id

    def person_key(self, user_id: str | None, anonymous_id: str | None) -> str:
        """Section 4: canonical(user_id) if any; else canonical(user of the anonymous_id)
        if linked; else the anonymous_id alone."""
        if user_id is not None:
            return "user:" + self.canonical_user(user_id)
        assert anonymous_id is not None
        return self.person_key_of_anonymous(anonymous_id)

    def person_id(self, user_id: str | None, anonymous_id: str | None) -> str:
        """Section 4: md5('user:' || canonical user_id) or md5('anon:' || anonymous_id)."""
        return md5_hex(self.person_key(user_id, anonymous_id))

    def identity_map(self) -> list[dict[str, str]]:
        """Section 4: one row per (identifier_type, identifier) seen on an accepted event."""
        rows = []
        for user_id in sorted(self.user_ids):
            rows.append(
                {
                    "identifier_type": "user_id",
                    "identifier": user_id,
                    "person_id": md5_hex("user:" + self.canonical_user(user_id)),
                }
            )
        for anonymous_id in sorted(self.anonymous_ids):
            rows.append(
                {
                    "identifier_type": "anonymous_id",
                    "identifier": anonymous_id,
                    "person_id": md5_hex(self.person_key_of_anonymous(anonymous_id)),
                }
            )
        return rows


def stitch(events: list[Event]) -> Identity:
    """Section 4 over the given accepted (deduplicated) events."""
    user_ids = {e.user_id for e in events if e.user_id is not None}
    anonymous_ids = {e.anonymous_id for e in events if e.anonymous_id is not None}

    # Links: (occurred_at, event_id, anonymous_id, user_id).
    links: list[tuple[datetime, str, str, str]] = []
    for event in events:
        if event.user_id is not None and event.anonymous_id is not None:
            links.append((event.occurred_at, event.event_id, event.anonymous_id, event.user_id))
        if (
            event.event_type == "alias"
            and event.previous_id in anonymous_ids
            and event.user_id is not None
        ):
            links.append((event.occurred_at, event.event_id, event.previous_id, event.user_id))
    anonymous_owner: dict[str, str] = {}
    for _at, _event_id, anonymous_id, user_id in sorted(links):
        # First wins: later links to other users do not move it.
        anonymous_owner.setdefault(anonymous_id, user_id)

    # Alias merges of user ids, in (occurred_at, event_id) order.
    identity = Identity({}, anonymous_owner, user_ids, anonymous_ids)
    aliases = sorted(
        (e for e in events if e.event_type == "alias" and e.previous_id in user_ids),
        key=lambda e: (e.occurred_at, e.event_id),
    )
    for alias in aliases:
        previous_id, user_id = alias.previous_id, alias.user_id
        assert previous_id is not None and user_id is not None
        if previous_id in identity.user_parent:
            continue  # the slot is taken
        if identity.canonical_user(user_id) == previous_id:
            continue  # would close a cycle (self-aliases included)
        identity.user_parent[previous_id] = user_id
    return identity


def assign_persons(events: list[Event], identity: Identity) -> None:
    """Set person_id on every event (retroactive: all events are re-keyed)."""
    cache: dict[tuple[str | None, str | None], str] = {}
    for event in events:
        key = (event.user_id, event.anonymous_id if event.user_id is None else None)
        if key not in cache:
            cache[key] = identity.person_id(*key)
        event.person_id = cache[key]
