"""Behaviour of one simulated person: devices, sessions, sign-up, funnel, orders, MRR.

`PersonSimulator.simulate(index)` plays one person's whole life over the date range
and hands every valid event to an `EventSink` as soon as it is made: nothing about a
person outlives the call, so memory does not grow with the number of persons. Each
person draws from its own `random.Random` seeded with (seed, index), so a person's
events do not depend on how many persons are generated or in which order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from random import Random
from typing import Any, Final, Protocol
from urllib.parse import quote_plus

from . import _generator_catalog as cat
from ._generator_clock import (
    DAY_MS,
    HOUR_MS,
    MINUTE_MS,
    SECOND_MS,
    TS_STYLE_WEIGHTS,
    TS_STYLES,
    format_ts,
    iso_z,
)

JsonObject = dict[str, Any]

SHAPE_SEGMENT: Final = "segment"
SHAPE_SEGMENT_SNAKE: Final = "segment_snake"
SHAPE_FLAT: Final = "flat"
SHAPES: Final = (SHAPE_SEGMENT, SHAPE_SEGMENT_SNAKE, SHAPE_FLAT)

# Drop-off of the purchase funnel (SPEC section 7), per session.
P_BROWSE_PRODUCTS: Final = 0.55
P_ADD_TO_CART: Final = 0.38
P_START_CHECKOUT: Final = 0.55
P_COMPLETE_ORDER: Final = 0.62
P_RESUME_CART: Final = 0.3
P_ORDER_TRACKED_TWICE: Final = 0.03
P_REFUND: Final = 0.06
_HOURS: Final = tuple(range(24))


# Compact JSON, UTF-8 text kept as is, no NaN: the one encoder for every event line.
encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


class EventSink(Protocol):
    """Receives every valid event, in the order the simulation makes them.

    `context_json`, when given, is the event's `context` object already encoded: the
    line is the encoded event with `"context":<context_json>` as its last member. Most
    of a line is its context (user agent, page, campaign), which is the same for many
    events, so encoding it once per page view saves a third of the run time.
    """

    def emit(
        self,
        event: JsonObject,
        context_json: str | None,
        name: str,
        event_type: str,
        shape: str,
        occurred_ms: int,
        received_ms: int | None,
    ) -> None: ...

    def note(self, counter: str, amount: int = 1) -> None: ...


_UUID_VARIANT: Final = "89ab89ab89ab89ab"


def _uuid(rng: Random) -> str:
    """A random (version 4) UUID from the person's stream."""
    text = f"{rng.getrandbits(128):032x}"
    variant = _UUID_VARIANT[int(text[16], 16)]
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-{variant}{text[17:20]}-{text[20:]}"


def _scramble(index: int, salt: int, bits: int) -> int:
    """A bijection of the index onto [0, 2**bits): unique ids that look random."""
    mask = (1 << bits) - 1
    return ((index + salt) * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & mask


_NAME_CACHE: dict[tuple[str, str], str] = {}


def spell_name(canonical: str, style: str) -> str:
    """The name a tracker of `style` sends for a canonical event name (no synonyms)."""
    key = (canonical, style)
    text = _NAME_CACHE.get(key)
    if text is None:
        words = canonical.split("_")
        if style == "title":
            text = " ".join(word.capitalize() for word in words)
        elif style == "camel":
            text = words[0] + "".join(word.capitalize() for word in words[1:])
        elif style == "kebab":
            text = "-".join(words)
        elif style == "ga4":
            text = cat.GA4_NAMES.get(canonical, canonical)
        else:
            text = canonical
        _NAME_CACHE[key] = text
    return text


@dataclass(slots=True)
class Device:
    """One browser or app install: an anonymousId and a tracker with its own habits."""

    index: int
    kind: str
    is_app: bool
    anonymous_id: str
    shape: str
    name_style: str
    page_as_track: bool
    type_case: str
    ts_style: str
    offset_minutes: int
    skew_ms: int
    context_prefix: str  # the constant part of its context, encoded, without the "}"
    flat_keys: tuple[str, str, str]
    flat_received: bool
    user: str | int | None = None


@dataclass(slots=True)
class Person:
    """State of one person while its life is simulated."""

    index: int
    rng: Random
    locale: str
    currency: str
    offset_minutes: int
    is_power_user: bool
    user_id: str | int
    legacy_id: str | None
    signup_session: int
    devices: list[Device]
    server_shape: str
    variants: dict[str, str]
    flipped_experiment: str | None
    signed_up: bool = False
    current_user: str | int | None = None
    migrate_at_ms: int | None = None
    cart: list[tuple[int, int]] = field(default_factory=list)
    orders: int = 0
    exposures: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Visit:
    """The running state of one session on one device."""

    device: Device
    session_id: str | int
    now: int
    offline_delay_ms: int
    referrer: str | None
    page: JsonObject | None = None
    page_json: str = ""  # `,"page":{...}` of the current page, or ""

    def show(self, page: JsonObject | None) -> None:
        self.page = page
        self.page_json = "" if page is None else ',"page":' + encode_json(page)


class PersonSimulator:
    """Plays persons one at a time and sends their events to a sink."""

    def __init__(self, seed: int, start_ms: int, end_ms: int, sink: EventSink) -> None:
        self.seed = seed
        self.start_ms = start_ms
        self.end_ms = end_ms
        self.sink = sink
        self._days = max(1, (end_ms - start_ms) // DAY_MS)

    # ------------------------------------------------------------------ person

    def simulate(self, index: int) -> None:
        rng = Random(f"{self.seed}:person:{index}")
        person = self._new_person(index, rng)
        day = rng.randrange(self._days)
        now = self._session_start(rng, self.start_ms + day * DAY_MS, person.offset_minutes)
        if now < self.start_ms:  # a local morning east of UTC can be the previous UTC day
            now += DAY_MS
        churn = 0.07 if person.is_power_user else 0.32
        mean_gap_days = 0.9 if person.is_power_user else 3.5
        session_number = 0
        seen_devices = 1
        while now < self.end_ms:
            if session_number == 0:
                device = person.devices[0]
            else:
                if seen_devices < len(person.devices) and rng.random() < 0.35:
                    seen_devices += 1
                device = person.devices[rng.randrange(seen_devices)]
            end = self._session(person, device, now, session_number)
            session_number += 1
            if rng.random() < churn:
                break
            gap = 35 * MINUTE_MS + int(rng.expovariate(1.0 / mean_gap_days) * DAY_MS)
            now = end + gap
        if person.signed_up:
            self.sink.note("persons_signed_up")
        experiments = [name for name, _variant in person.exposures]
        if len(experiments) != len(dict.fromkeys(experiments)):
            self.sink.note("persons_exposed_to_two_variants")

    def _new_person(self, index: int, rng: Random) -> Person:
        locale, currency, offset, _ = rng.choices(cat.LOCALES, cat.LOCALE_WEIGHTS)[0]
        user_id: str | int
        if rng.random() < 0.3:
            # Sent as a JSON number by some trackers; unique per index, varies with the seed.
            user_id = 1_000_000 + _scramble(index, self.seed, 32)
        else:
            user_id = f"usr_{_scramble(index, self.seed, 48):012x}"
        legacy_id = f"legacy-{_scramble(index, self.seed + 7, 40):010x}"
        is_power_user = rng.random() < 0.06
        signs_up = rng.random() < (0.6 if is_power_user else 0.3)
        if not signs_up:
            signup_session = -1
        elif rng.random() < 0.4:
            signup_session = 0
        else:
            signup_session = 1 + min(int(rng.expovariate(0.7)), 6)
        device_count = rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0]
        devices = [self._new_device(rng, k, locale, offset) for k in range(device_count)]
        variants: dict[str, str] = {}
        for name, options, _surface in cat.EXPERIMENTS:
            if rng.random() < 0.6:
                variants[name] = options[rng.randrange(len(options))]
        flipped = None
        if variants and device_count > 1 and rng.random() < 0.08:
            flipped = sorted(variants)[0]
        return Person(
            index=index,
            rng=rng,
            locale=locale,
            currency=currency,
            offset_minutes=offset,
            is_power_user=is_power_user,
            user_id=user_id,
            legacy_id=legacy_id if signs_up and rng.random() < 0.02 else None,
            signup_session=signup_session,
            devices=devices,
            server_shape=SHAPE_SEGMENT if rng.random() < 0.7 else SHAPE_FLAT,
            variants=variants,
            flipped_experiment=flipped,
        )

    def _new_device(self, rng: Random, index: int, locale: str, offset: int) -> Device:
        kind = rng.choices(cat.DEVICE_KINDS, cat.DEVICE_KIND_WEIGHTS)[0]
        is_app = kind.endswith("_app")
        roll = rng.random()
        if is_app:
            shape = SHAPE_SEGMENT if roll < 0.55 else SHAPE_FLAT
        else:
            shape = (
                SHAPE_SEGMENT if roll < 0.68 else SHAPE_SEGMENT_SNAKE if roll < 0.8 else SHAPE_FLAT
            )
        if shape == SHAPE_FLAT:
            name_style = rng.choice(("snake", "ga4", "ga4", "camel", "kebab", "legacy"))
        else:
            name_style = rng.choice(("title", "title", "title", "title", "snake", "legacy"))
        ts_style = rng.choices(TS_STYLES, TS_STYLE_WEIGHTS)[0]
        skew_ms = 0
        if shape != SHAPE_FLAT and rng.random() < 0.06:
            skew_ms = rng.choice((-1, 1)) * rng.randint(2 * MINUTE_MS, 6 * HOUR_MS)
            if rng.random() < 0.1:
                skew_ms = rng.choice((-1, 1)) * rng.randint(1 * DAY_MS, 3 * DAY_MS)
        user_agent = rng.choice(cat.USER_AGENTS[kind])
        ip = _random_ip(rng)
        context: JsonObject
        if is_app:
            context = {
                "app": {"name": "ShopDemo", "version": "4.12.0", "build": "4120"},
                "device": {
                    "type": rng.choice(cat.APP_DEVICE_TYPES),
                    "manufacturer": "Apple" if kind == "ios_app" else "Google",
                },
                "os": {"name": "iOS" if kind == "ios_app" else "Android"},
                "library": {
                    "name": "analytics-ios" if kind == "ios_app" else "analytics-android",
                    "version": "4.1.8",
                },
                "userAgent": user_agent,
                "ip": ip,
                "locale": locale,
            }
        elif shape == SHAPE_FLAT:
            context = {"userAgent": user_agent, "ip": ip, "locale": locale}
        else:
            context = {
                "library": {"name": "analytics.js", "version": "next-1.64.0"},
                "userAgent": user_agent,
                "ip": ip,
                "locale": locale,
            }
        flat_keys = (
            "event_name" if rng.random() < 0.8 else "event",
            "event_id" if rng.random() < 0.85 else "id",
            "anonymous_id" if rng.random() < 0.85 else "device_id",
        )
        type_roll = rng.random()
        return Device(
            index=index,
            kind=kind,
            is_app=is_app,
            anonymous_id=_uuid(rng),
            shape=shape,
            name_style=name_style,
            page_as_track=shape != SHAPE_FLAT and rng.random() < 0.12,
            type_case="title" if type_roll < 0.02 else "padded" if type_roll < 0.03 else "lower",
            ts_style=ts_style,
            offset_minutes=offset,
            skew_ms=skew_ms,
            context_prefix=encode_json(context)[:-1],
            flat_keys=flat_keys,
            flat_received=rng.random() < 0.4,
        )

    # ---------------------------------------------------------------- sessions

    def _session_start(self, rng: Random, day_start_ms: int, offset_minutes: int) -> int:
        hour = rng.choices(_HOURS, cum_weights=cat.HOUR_CUM_WEIGHTS)[0]
        local = hour * HOUR_MS + rng.randrange(HOUR_MS)
        return day_start_ms + local - offset_minutes * MINUTE_MS

    def _session(self, person: Person, device: Device, start: int, number: int) -> int:
        rng = person.rng
        offline = 0
        if device.is_app and rng.random() < 0.04:
            offline = rng.randint(1 * HOUR_MS, 3 * DAY_MS)
            self.sink.note("late_sessions")
        session_id: str | int
        if device.is_app:
            session_id = start  # Amplitude-style numeric session ids
        elif device.shape == SHAPE_FLAT:
            session_id = f"s_{rng.getrandbits(64):016x}"
        else:
            session_id = f"{rng.getrandbits(64):016x}"
        visit = Visit(device, session_id, start, offline, None)
        if person.migrate_at_ms is not None and start >= person.migrate_at_ms:
            self._migrate_legacy_id(person, visit)
        self._landing(person, visit)
        if device.user is None and person.signed_up and rng.random() < 0.65:
            self._step(visit, rng, 20)
            self._login(person, visit)
        if number == person.signup_session and not person.signed_up:
            self._sign_up(person, visit)
        for _ in range(min(int(rng.expovariate(0.75)), 8)):
            self._step(visit, rng, 45)
            self._content_page(person, visit)
            if rng.random() < 0.18:
                self._step(visit, rng, 8)
                self._button(person, visit)
        self._shopping(person, visit)
        if device.user is not None:
            for _ in range(min(int(rng.expovariate(1.3)), 4)):
                self._step(visit, rng, 60)
                self._feature(person, visit)
        return visit.now

    @staticmethod
    def _step(visit: Visit, rng: Random, mean_seconds: int) -> None:
        visit.now += 1_500 + int(rng.expovariate(1.0 / mean_seconds) * SECOND_MS)

    def _landing(self, person: Person, visit: Visit) -> None:
        rng = person.rng
        if visit.device.is_app:
            self._screen(person, visit, "Home")
            return
        path, title = rng.choices(cat.PAGES, cum_weights=cat.LANDING_PAGE_CUM_WEIGHTS)[0]
        referrer, campaign = _channel(rng)
        url = cat.SITE_ORIGIN + path
        context_campaign: JsonObject | None = None
        if campaign:
            placement = rng.random()
            if placement < 0.55:  # both, as analytics.js does
                url += "?" + _query(campaign, rng)
                context_campaign = campaign
            elif placement < 0.85:  # only in the url
                url += "?" + _query(campaign, rng)
            else:  # only in context.campaign (server-side enrichment)
                context_campaign = campaign
        self._page(person, visit, url, path, title, referrer, context_campaign)
        if path == "/pricing":
            self._expose(person, visit, "pricing")

    def _content_page(self, person: Person, visit: Visit) -> None:
        rng = person.rng
        if visit.device.is_app:
            self._screen(person, visit, rng.choice(cat.SCREENS))
            return
        path, title = cat.PAGES[rng.randrange(len(cat.PAGES))]
        if rng.random() < 0.1:
            term = rng.choice(cat.SEARCH_TERMS)
            path, title = "/search", f"Search results for “{term}” – ShopDemo"
            url = f"{cat.SITE_ORIGIN}/search?q={quote_plus(term)}"
        else:
            url = cat.SITE_ORIGIN + path
        self._page(person, visit, url, path, title, visit.referrer, None)
        if path == "/pricing":
            self._expose(person, visit, "pricing")

    def _page(
        self,
        person: Person,
        visit: Visit,
        url: str,
        path: str,
        title: str,
        referrer: str | None,
        campaign: JsonObject | None,
    ) -> None:
        page: JsonObject = {"path": path}
        if referrer:
            page["referrer"] = referrer
        page["title"] = title
        page["url"] = url
        if person.rng.random() < 0.04:
            del page["path"]  # SPEC: derived from the url when missing
        visit.show(page)
        visit.referrer = url
        device = visit.device
        if device.shape == SHAPE_FLAT or device.page_as_track:
            name = self._spell(person, device, "page_viewed")
            properties = dict(page) if device.shape == SHAPE_FLAT else {}
            self._track(person, visit, "page_viewed", name, properties, campaign)
        else:
            self._call(person, visit, "page", "page_viewed", dict(page), campaign=campaign)

    def _screen(self, person: Person, visit: Visit, screen: str) -> None:
        visit.show(None)
        device = visit.device
        if device.shape == SHAPE_FLAT:
            name = self._spell(person, device, "screen_viewed")
            self._track(person, visit, "screen_viewed", name, {"screen_name": screen}, None)
        else:
            self._call(person, visit, "screen", "screen_viewed", {"name": screen}, name=screen)

    def _button(self, person: Person, visit: Visit) -> None:
        button_id, label, location = person.rng.choice(cat.BUTTONS)
        properties = {"button_id": button_id, "label": label, "location": location}
        name = self._spell(person, visit.device, "button_clicked")
        self._track(person, visit, "button_clicked", name, properties, None)

    def _feature(self, person: Person, visit: Visit) -> None:
        rng = person.rng
        canonical = rng.choice(cat.FEATURE_EVENTS)
        properties: JsonObject = {}
        if canonical == "products_searched":
            properties["query"] = rng.choice(cat.SEARCH_TERMS)
        elif canonical == "product_added_to_wishlist":
            properties["product_id"] = rng.choice(cat.PRODUCTS)[0]
        elif canonical == "review_submitted":
            properties["rating"] = rng.randint(1, 5)
        name = self._spell(person, visit.device, canonical)
        self._track(person, visit, canonical, name, properties, None)

    # ---------------------------------------------------------------- identity

    def _login(self, person: Person, visit: Visit) -> None:
        assert person.current_user is not None
        visit.device.user = person.current_user
        traits: JsonObject = {}
        if person.rng.random() < 0.5:
            traits["plan"] = person.rng.choice(("free", "plus", "pro"))
        if person.rng.random() < 0.2:
            traits["phone"] = None  # a null trait must not win over an older value
        self._call(person, visit, "identify", "identify", None, traits=traits)
        self.sink.note("logins_on_other_device")

    def _sign_up(self, person: Person, visit: Visit) -> None:
        rng = person.rng
        device = visit.device
        self._step(visit, rng, 30)
        if device.is_app:
            self._screen(person, visit, "Sign up")
        else:
            url = f"{cat.SITE_ORIGIN}/signup"
            self._page(person, visit, url, "/signup", "Create your account – ShopDemo", None, None)
        variant = self._expose(person, visit, "signup")
        self._step(visit, rng, 50)
        user = person.legacy_id if person.legacy_id is not None else person.user_id
        person.signed_up = True
        person.current_user = user
        if rng.random() < 0.04:
            # Mixpanel-style: alias the anonymous id to the new user, then identify.
            device.user = user
            self._call(person, visit, "alias", "alias", None, previous_id=device.anonymous_id)
            self.sink.note("aliases_of_anonymous_id")
        device.user = user
        first = rng.choice(cat.FIRST_NAMES)
        last = rng.choice(cat.LAST_NAMES)
        email = f"{first}.{last}{person.index % 1000}@{rng.choice(cat.EMAIL_DOMAINS)}"
        if rng.random() < 0.08:
            email = f"  {email.upper()} "  # must still hash like the trimmed lowercase
        traits: JsonObject = {
            "email": email,
            "name": f"{first} {last}",
            "plan": "free",
            "created_at": iso_z(visit.now),
        }
        self._call(person, visit, "identify", "identify", None, traits=traits)
        self._step(visit, rng, 3)
        method = rng.choice(("email", "google", "apple"))
        name = self._spell(person, device, "signed_up")
        self._track(person, visit, "signed_up", name, {"method": method}, None)
        if person.legacy_id is not None:
            person.migrate_at_ms = visit.now + rng.randint(1, 20) * DAY_MS
        if rng.random() < 0.003:
            self._call(person, visit, "alias", "alias", None, previous_id=user)
            self.sink.note("self_aliases")
        if rng.random() < 0.08:
            self._step(visit, rng, 20)
            group: JsonObject = {"name": f"{rng.choice(cat.LAST_NAMES)} GmbH", "employees": 12}
            self._call(
                person,
                visit,
                "group",
                "group",
                None,
                traits=group,
                group_id=f"acct_{person.index}",
            )
        p_onboarding = {"control": 0.6, "short": 0.72, "guided": 0.67}.get(variant or "", 0.62)
        if rng.random() < p_onboarding:
            later = Visit(device, visit.session_id, visit.now, visit.offline_delay_ms, None)
            later.show(visit.page)
            if rng.random() < 0.75:
                later.now += rng.randint(1 * MINUTE_MS, 25 * MINUTE_MS)
            else:
                later.now += rng.randint(1 * DAY_MS, 20 * DAY_MS)
            if later.now < self.end_ms:
                name = self._spell(person, device, "onboarding_completed")
                steps = {"steps": rng.randint(3, 6)}
                self._track(person, later, "onboarding_completed", name, steps, None)
        if rng.random() < 0.25:
            self._subscriptions(person, visit.now + rng.randint(0, 10) * DAY_MS)

    def _migrate_legacy_id(self, person: Person, visit: Visit) -> None:
        """A legacy user id is aliased to the new one; later events use the new id."""
        assert person.legacy_id is not None
        person.migrate_at_ms = None
        person.current_user = person.user_id
        for device in person.devices:
            if device.user is not None:
                device.user = person.user_id
        saved = visit.device.user
        visit.device.user = person.user_id
        self._call(person, visit, "alias", "alias", None, previous_id=person.legacy_id)
        visit.device.user = saved if saved is None else person.user_id
        self.sink.note("aliases_of_legacy_user_id")

    def _expose(self, person: Person, visit: Visit, surface: str) -> str | None:
        """Experiment exposure on `surface`; returns the person's variant, if enrolled."""
        for number, (name, options, exp_surface) in enumerate(cat.EXPERIMENTS, start=1):
            if exp_surface != surface or name not in person.variants:
                continue
            variant = person.variants[name]
            if person.flipped_experiment == name and visit.device.index > 0:
                # An assignment bug: the second device sees another variant.
                variant = options[(options.index(variant) + 1) % len(options)]
            if (name, variant) not in person.exposures:
                person.exposures.append((name, variant))
            properties = {"experiment_name": name, "variant": variant}
            if person.rng.random() < 0.5:
                properties["experiment_id"] = f"exp_{number}"
            spelled = self._spell(person, visit.device, "experiment_viewed")
            self._track(person, visit, "experiment_viewed", spelled, properties, None)
            return variant
        return None

    # ------------------------------------------------------------------ orders

    def _shopping(self, person: Person, visit: Visit) -> None:
        rng = person.rng
        if person.cart and rng.random() < P_RESUME_CART:
            self._checkout(person, visit)
            return
        if rng.random() >= P_BROWSE_PRODUCTS:
            return
        viewed: list[int] = []
        for _ in range(1 + min(int(rng.expovariate(1.1)), 4)):
            product = rng.randrange(len(cat.PRODUCTS))
            viewed.append(product)
            self._step(visit, rng, 35)
            self._product_page(person, visit, product)
        if rng.random() < P_ADD_TO_CART:
            product = rng.choice(viewed)
            quantity = 1 if rng.random() < 0.85 else 2
            person.cart.append((product, quantity))
            self._step(visit, rng, 25)
            properties = self._product_properties(person, product)
            properties["quantity"] = quantity
            properties["cart_id"] = f"cart_{person.index}"
            name = self._spell(person, visit.device, "product_added")
            self._track(person, visit, "product_added", name, properties, None)
            if rng.random() < P_START_CHECKOUT:
                self._checkout(person, visit)

    def _product_page(self, person: Person, visit: Visit, product: int) -> None:
        product_id, _sku, title, category, _price = cat.PRODUCTS[product]
        if visit.device.is_app:
            self._screen(person, visit, "Product Detail")
        else:
            path = f"/products/{product_id}"
            url = cat.SITE_ORIGIN + path
            self._page(person, visit, url, path, f"{title} – ShopDemo", visit.referrer, None)
        self._step(visit, person.rng, 2)
        name = self._spell(person, visit.device, "product_viewed")
        properties = self._product_properties(person, product)
        properties["category"] = category
        self._track(person, visit, "product_viewed", name, properties, None)

    def _product_properties(self, person: Person, product: int) -> JsonObject:
        product_id, sku, title, _category, price = cat.PRODUCTS[product]
        local_price = round(price * cat.FROM_USD[person.currency], 2)
        return {
            "product_id": product_id,
            "sku": sku,
            "name": title,
            "price": local_price,
            "currency": person.currency,
        }

    def _checkout(self, person: Person, visit: Visit) -> None:
        rng = person.rng
        device = visit.device
        self._step(visit, rng, 30)
        if device.is_app:
            self._screen(person, visit, "Checkout")
        else:
            url = f"{cat.SITE_ORIGIN}/checkout"
            self._page(person, visit, url, "/checkout", "Checkout – ShopDemo", visit.referrer, None)
        variant = self._expose(person, visit, "checkout")
        rate = cat.FROM_USD[person.currency]
        value = round(sum(cat.PRODUCTS[p][4] * q for p, q in person.cart) * rate, 2)
        name = self._spell(person, device, "checkout_started")
        properties: JsonObject = {"value": value, "currency": person.currency}
        self._track(person, visit, "checkout_started", name, properties, None)
        p_order = P_COMPLETE_ORDER + (0.08 if variant == "treatment" else 0.0)
        if rng.random() >= p_order:
            return
        self._step(visit, rng, 90)
        self._order(person, visit, value)
        person.cart = []

    def _order(self, person: Person, visit: Visit, value: float) -> None:
        rng = person.rng
        device = visit.device
        person.orders += 1
        order_id = f"ord-{_scramble(person.index, self.seed + 11, 36):09x}-{person.orders}"
        shipping = 0.0 if value >= 50 else 4.95
        total = round(value + shipping, 2)
        amount_key = "revenue"
        if device.shape == SHAPE_FLAT:
            amount_key = "value" if device.name_style == "ga4" else "total"
        amount: float | str = total
        if rng.random() < 0.1:
            amount = f"{total:.2f}"  # numeric string
        order_key = "order_id"
        if device.shape == SHAPE_FLAT and device.name_style == "ga4":
            order_key = "transaction_id"
        elif device.name_style == "camel":
            order_key = "orderId"
        currency = _spell_currency(person.currency, rng)
        properties: JsonObject = {order_key: order_id, amount_key: amount}
        if currency is not None:
            properties["currency"] = currency
        properties["shipping"] = shipping
        properties["products"] = [
            {"product_id": cat.PRODUCTS[p][0], "sku": cat.PRODUCTS[p][1], "quantity": q}
            for p, q in person.cart
        ]
        name = self._spell(person, device, "order_completed")
        self._track(person, visit, "order_completed", name, properties, None)
        self.sink.note("orders")
        if rng.random() < P_ORDER_TRACKED_TWICE:
            # The backend confirms the same order: same order id, another message id.
            server_at = visit.now + rng.randint(2 * SECOND_MS, 3 * MINUTE_MS)
            confirm: JsonObject = {"order_id": order_id, "revenue": total}
            confirm["currency"] = person.currency
            self._server_track(person, device, "order_completed", confirm, server_at)
            self.sink.note("orders_tracked_twice")
        if rng.random() < P_REFUND:
            if rng.random() < 0.4:
                refund_at = visit.now + rng.randint(2 * HOUR_MS, 20 * HOUR_MS)
            else:
                refund_at = visit.now + rng.randint(1 * DAY_MS, 12 * DAY_MS)
            if refund_at < self.end_ms:
                refund = total if rng.random() < 0.7 else round(total * 0.4, 2)
                amount_name = "amount" if rng.random() < 0.8 else "value"
                refund_properties: JsonObject = {"order_id": order_id, amount_name: refund}
                if rng.random() < 0.7:
                    refund_properties["currency"] = person.currency
                self._server_track(person, device, "order_refunded", refund_properties, refund_at)
                self.sink.note("refunds")

    def _subscriptions(self, person: Person, start: int) -> None:
        """Plan changes month by month from `start` to the end of the range."""
        rng = person.rng
        device = person.devices[0]
        now = start
        active = False
        plan = 0
        value_first = person.variants.get("pricing_page_copy") == "value_first"
        while now < self.end_ms:
            if not active:
                if now == start or rng.random() < (0.16 if value_first else 0.12):
                    plan = rng.randrange(2) if rng.random() < 0.7 else rng.randrange(4)
                    active = True
                    properties = {"plan": cat.PLANS[plan][0], "mrr": cat.PLANS[plan][1]}
                    self._server_track(person, device, "subscription_started", properties, now)
                    self.sink.note("subscriptions_started")
            else:
                roll = rng.random()
                if roll < 0.07:
                    active = False
                    properties = {"plan": cat.PLANS[plan][0], "reason": "too_expensive"}
                    self._server_track(person, device, "subscription_cancelled", properties, now)
                elif roll < 0.15:
                    plan = min(3, max(0, plan + rng.choice((-1, 1, 1))))
                    properties = {"plan": cat.PLANS[plan][0], "mrr": cat.PLANS[plan][1]}
                    if rng.random() < 0.1:
                        properties["mrr"] = f"{cat.PLANS[plan][1]}"
                    self._server_track(person, device, "subscription_changed", properties, now)
            now += rng.randint(26, 34) * DAY_MS + rng.randrange(DAY_MS)

    # ---------------------------------------------------------------- writing

    def _spell(self, person: Person, device: Device, canonical: str) -> str:
        if device.name_style == "legacy":
            variants = cat.LEGACY_NAMES.get(canonical)
            if variants is not None and person.rng.random() < 0.7:
                return variants[person.rng.randrange(len(variants))]
            return spell_name(canonical, "title")
        return spell_name(canonical, device.name_style)

    def _track(
        self,
        person: Person,
        visit: Visit,
        canonical: str,
        name: str,
        properties: JsonObject,
        campaign: JsonObject | None,
    ) -> None:
        self._call(person, visit, "track", canonical, properties, campaign=campaign, name=name)

    def _call(
        self,
        person: Person,
        visit: Visit,
        event_type: str,
        canonical: str,
        properties: JsonObject | None,
        *,
        campaign: JsonObject | None = None,
        name: str | None = None,
        traits: JsonObject | None = None,
        previous_id: str | int | None = None,
        group_id: str | None = None,
    ) -> None:
        """Build one message the way the device's tracker writes it, and emit it."""
        rng = person.rng
        device = visit.device
        occurred = visit.now
        shape = device.shape
        if shape == SHAPE_FLAT and event_type != "track":
            shape = SHAPE_SEGMENT_SNAKE  # custom trackers send identify/alias Segment-style
        event: JsonObject
        if shape == SHAPE_FLAT:
            event = self._flat(rng, device, visit, name or canonical, properties)
            received: int | None = None
            if device.flat_received:
                received = occurred + visit.offline_delay_ms + 80 + int(rng.random() * 2_420)
                event["received_at"] = iso_z(received)
            context_json = device.context_prefix
            if not device.is_app and rng.random() < 0.5:
                context_json += visit.page_json
            if campaign is not None:
                context_json += ',"campaign":' + encode_json(campaign)
            context_json += "}"
            self.sink.emit(event, context_json, canonical, "track", SHAPE_FLAT, occurred, received)
            return
        snake = shape == SHAPE_SEGMENT_SNAKE
        type_text = event_type
        if device.type_case == "title":
            type_text = event_type.capitalize()
        elif device.type_case == "padded":
            type_text = f" {event_type} "
        event = {"type": type_text}
        if event_type == "track":
            event["event"] = name
        elif event_type == "screen" and name is not None:
            event["name"] = name
        if snake:
            event["message_id"] = _uuid(rng)
        elif rng.random() < 0.3:
            event["messageId"] = f"ajs-next-{rng.getrandbits(128):032x}"
        else:
            event["messageId"] = _uuid(rng)
        user = device.user
        if event_type == "alias":
            event["previous_id" if snake else "previousId"] = previous_id
            event["user_id" if snake else "userId"] = _user_json(user, snake)
        else:
            if user is not None:
                event["user_id" if snake else "userId"] = _user_json(user, snake)
            event["anonymous_id" if snake else "anonymousId"] = device.anonymous_id
        if group_id is not None:
            event["group_id" if snake else "groupId"] = group_id
        if traits is not None:
            event["traits"] = traits
        if properties is not None:
            event["properties"] = properties
        context_json = device.context_prefix
        if not device.is_app:
            context_json += visit.page_json
        if campaign is not None:
            context_json += ',"campaign":' + encode_json(campaign)
        context_json += ',"sessionId":' + encode_json(visit.session_id) + "}"
        # Hot path: random() arithmetic is several times faster than randint().
        flush = 50 + int(rng.random() * 5_950) + visit.offline_delay_ms
        sent = occurred + flush
        received = sent + 40 + int(rng.random() * 860)
        skew = device.skew_ms
        client_time = format_ts(occurred + skew, device.ts_style, device.offset_minutes)
        if skew == 0:
            event["timestamp"] = client_time
        else:
            # A wrong device clock: no `timestamp`, so SPEC's received_at +
            # (originalTimestamp - sentAt) correction applies.
            self.sink.note("skewed_events")
        if snake:
            event["original_timestamp"] = client_time
            event["sent_at"] = iso_z(sent + skew)
            event["received_at"] = iso_z(received)
        else:
            event["originalTimestamp"] = client_time
            event["sentAt"] = iso_z(sent + skew)
            event["receivedAt"] = iso_z(received)
        if visit.offline_delay_ms:
            self.sink.note("late_events")
        self.sink.emit(event, context_json, canonical, event_type, shape, occurred, received)

    def _flat(
        self,
        rng: Random,
        device: Device,
        visit: Visit,
        name: str,
        properties: JsonObject | None,
    ) -> JsonObject:
        name_key, id_key, anonymous_key = device.flat_keys
        event: JsonObject = {name_key: name}
        if id_key == "id":
            event["id"] = f"evt_{rng.getrandbits(96):024x}"
        else:
            event["event_id"] = _uuid(rng)
        event["timestamp"] = format_ts(visit.now, device.ts_style, device.offset_minutes)
        if device.user is not None:
            event["user_id"] = device.user
        event[anonymous_key] = device.anonymous_id
        event["session_id"] = visit.session_id
        if properties:
            event["properties"] = properties
        return event

    def _server_track(
        self, person: Person, device: Device, canonical: str, properties: JsonObject, at: int
    ) -> None:
        """A backend event: no browser context, the user id when there is one."""
        rng = person.rng
        user = person.current_user
        received = at + 20 + int(rng.random() * 380)
        if person.server_shape == SHAPE_FLAT:
            spelled = spell_name(canonical, "snake")
            if canonical == "order_refunded" and rng.random() < 0.3:
                spelled = "refund"
            event: JsonObject = {
                "event_name": spelled,
                "event_id": _uuid(rng),
                "timestamp": iso_z(at),
            }
            if user is not None:
                event["user_id"] = user
            else:
                event["anonymous_id"] = device.anonymous_id
            event["properties"] = properties
            event["context"] = {"library": {"name": "shopdemo-backend", "version": "2.3.1"}}
            event["received_at"] = iso_z(received)
        else:
            spelled = spell_name(canonical, "title")
            if canonical == "subscription_cancelled" and rng.random() < 0.3:
                spelled = "Subscription Canceled"
            event = {"type": "track", "event": spelled, "messageId": _uuid(rng)}
            if user is not None:
                event["userId"] = _user_json(user, False)
            else:
                event["anonymousId"] = device.anonymous_id
            event["properties"] = properties
            event["context"] = {"library": {"name": "analytics-node", "version": "2.1.0"}}
            event["timestamp"] = iso_z(at)
            event["receivedAt"] = iso_z(received)
        self.sink.emit(event, None, canonical, "track", person.server_shape, at, received)


def _user_json(user: str | int | None, as_number: bool) -> str | int | None:
    """Numeric user ids travel as JSON numbers in snake/flat payloads, as text otherwise."""
    if isinstance(user, int) and not as_number:
        return str(user)
    return user


def _spell_currency(currency: str, rng: Random) -> str | None:
    roll = rng.random()
    if roll < 0.07:
        return currency.lower()
    if roll < 0.1:
        return f" {currency} "
    if roll < 0.12 and currency == "USD":
        return None  # defaults to the reporting currency
    return currency


def _random_ip(rng: Random) -> str:
    if rng.random() < 0.8:
        first = rng.choice((24, 31, 46, 62, 73, 81, 88, 92, 98, 109, 151, 176, 185, 203, 212))
        return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    prefix = rng.choice(("2001:db8", "2a02:8108", "2600:1700", "2409:4042"))
    groups = ":".join(f"{rng.getrandbits(16):x}" for _ in range(3))
    if rng.random() < 0.5:
        return f"{prefix}:{groups}::{rng.getrandbits(16):x}"
    tail = ":".join(f"{rng.getrandbits(16):x}" for _ in range(3))
    return f"{prefix}:{groups}:{tail}"


def _channel(rng: Random) -> tuple[str | None, JsonObject | None]:
    """A landing's referrer and utm campaign, drawn from a GA4-like channel mix."""
    channel = rng.choices(cat.CHANNELS, cum_weights=cat.CHANNEL_CUM_WEIGHTS)[0]
    if channel == "direct":
        return None, None
    if channel == "organic_search":
        return rng.choice(cat.SEARCH_REFERRERS), None
    if channel == "paid_search":
        source = rng.choice(("google", "google", "bing", "Google"))
        campaign: JsonObject = {
            "source": source,
            "medium": rng.choice(("cpc", "cpc", "ppc", "CPC", "paid_search")),
            "name": rng.choice(cat.CAMPAIGNS_PAID_SEARCH),
            "term": rng.choice(cat.SEARCH_TERMS_PAID),
        }
        return f"https://www.{source.lower()}.com/", campaign
    if channel == "organic_social":
        if rng.random() < 0.3:
            source = rng.choice(("facebook", "instagram", "reddit"))
            return None, {"source": source, "medium": "social", "name": "organic_post"}
        return rng.choice(cat.SOCIAL_REFERRERS), None
    if channel == "paid_social":
        source = rng.choice(("facebook", "instagram", "tiktok", "fb"))
        campaign = {
            "source": source,
            "medium": rng.choice(("paid_social", "cpc", "paid")),
            "name": rng.choice(cat.CAMPAIGNS_SOCIAL),
            "content": rng.choice(("video_a", "carousel_b", "static_c")),
        }
        return rng.choice(cat.SOCIAL_REFERRERS), campaign
    if channel == "email":
        campaign = {
            "source": rng.choice(("newsletter", "newsletter", "braze", "klaviyo")),
            "medium": "email",
            "name": rng.choice(cat.CAMPAIGNS_EMAIL),
        }
        return None, campaign
    if channel == "referral":
        return rng.choice(cat.REFERRAL_REFERRERS), None
    if channel == "affiliate":
        campaign = {"source": rng.choice(cat.AFFILIATES), "medium": "affiliate"}
        return "https://www.example-deals.com/shopdemo", campaign
    campaign = {
        "source": rng.choice(cat.DISPLAY_SOURCES),
        "medium": rng.choice(("display", "banner", "cpm")),
        "name": "retargeting_q1",
    }
    return None, campaign


_UTM_KEYS: Final = (
    ("source", "utm_source"),
    ("medium", "utm_medium"),
    ("name", "utm_campaign"),
    ("term", "utm_term"),
    ("content", "utm_content"),
)


def _query(campaign: JsonObject, rng: Random) -> str:
    """The utm query string of a campaign, percent-encoded (`+` for spaces)."""
    parts = [
        f"{param}={quote_plus(str(campaign[key]))}" for key, param in _UTM_KEYS if key in campaign
    ]
    if rng.random() < 0.2:
        parts.append("gclid=EAIaIQobChMI8pV")
    if rng.random() < 0.02:
        parts.append("utm_source=ignored_second_value")  # the first occurrence wins
    return "&".join(parts)
