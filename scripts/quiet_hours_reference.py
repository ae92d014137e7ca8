#!/usr/bin/env python3
"""Independent reference for SPEC §3 / §17 quiet hours, and the cases it produces.

It re-implements, from the SPEC text alone, what `msgctl quiet-hours` answers under the
default policy, with Python's own tools: `phonenumbers` for the number's region,
`zoneinfo` (the system tz database, /usr/share/zoneinfo) for local time, and the zone
tables msgcore generates, read from tests/fixtures/quiet_hours_zones.json (written by
scripts/gen_quiet_hours_tables.py). msgcore's Rust implementation is then checked
against it.

The rules, as read from SPEC §3 and §17:
  * transactional sends are never held;
  * a marketing send is allowed at instant T when, in every zone the recipient may be
    in, T lies in that local day's window [start, end) — 08:00–21:00, intersected with
    the state's window (FL, OK, MD, WA 08:00–20:00; CT 09:00–20:00; TX Mon–Sat
    09:00–21:00, Sun 12:00–21:00) — and, in FL, OK and MD, fewer than 3 of the
    recent sends fall in (T − 24h, T];
  * a US/CA number takes its area code's state and zones; one whose area code has no
    place (toll free …) every zone of its country and every state's rules; any other
    number its region's zones, no state rules; a number without a region is an error;
  * a window boundary that does not exist locally (spring forward) is the first instant
    after the gap; one that exists twice (fall back) is the earlier;
  * a held send gets the earliest allowed instant at or after T, in UTC to the second
    (rounded up).

Where the Rust code iterates each rule to a fixpoint, this reference lists every
instant where an allowed stretch can begin (T itself, each window start in each zone
over the next ten days, each instant a recent send ages out) and takes the first one
that passes a direct check of every rule.

Usage:

    # ~3,000 cases, committed as the fixture tests/quiet_hours_reference.rs and
    # tests/msgctl.rs assert:
    python3 scripts/quiet_hours_reference.py cases --count 3000 --seed 1 \\
        > tests/fixtures/quiet_hours_cases.jsonl
    # A large local run (not committed):
    python3 scripts/quiet_hours_reference.py cases --count 50000 --seed 2 > /tmp/qh.jsonl
    QUIET_HOURS_CASES=/tmp/qh.jsonl cargo test --test quiet_hours_reference
    # Answer msgctl input lines (one JSON answer per line):
    python3 scripts/quiet_hours_reference.py answer < input.jsonl
    # The peer of `cargo bench --bench quiet_hours` (fixture_*): answer every line of
    # the fixture in process, caches cleared, best of 5 rounds:
    python3 scripts/quiet_hours_reference.py bench < tests/fixtures/quiet_hours_cases.jsonl

Each case is one JSON line of `msgctl quiet-hours` input plus "expected": the answer,
{"allowed": true}, {"allowed": false, "hold_until": "…Z"} or {"error": "…"}.
"""

import argparse
import functools
import json
import math
import os
import random
import sys
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import phonenumbers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLES = json.load(open(os.path.join(ROOT, "tests/fixtures/quiet_hours_zones.json"), encoding="utf-8"))
AREA_CODES = TABLES["area_codes"]
COUNTRIES = TABLES["countries"]
UTC = timezone.utc

FEDERAL = (time(8), time(21))
# State -> window per weekday (Monday = 0), from SPEC §3.
STATE_WINDOWS = {
    "US-FL": [(time(8), time(20))] * 7,
    "US-OK": [(time(8), time(20))] * 7,
    "US-MD": [(time(8), time(20))] * 7,
    "US-WA": [(time(8), time(20))] * 7,
    "US-CT": [(time(9), time(20))] * 7,
    "US-TX": [(time(9), time(21))] * 6 + [(time(12), time(21))],
}
CAPPED = {"US-FL", "US-OK", "US-MD"}
CAP_SENDS, CAP_PERIOD = 3, timedelta(hours=24)


class NoZone(Exception):
    pass


def recipient(to):
    """(zones, applicable state rule keys) for an E.164 string."""
    number = phonenumbers.parse(to, None)
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{to} is not a valid number")
    national = str(number.national_number)
    if number.country_code == 1 and national[:3] in AREA_CODES:
        row = AREA_CODES[national[:3]]
        return row["zones"], [s for s in row["subdivisions"] if s in STATE_WINDOWS]
    region = phonenumbers.region_code_for_number(number)
    if region is None or region == "001" or region not in COUNTRIES:
        raise NoZone(to)
    states = list(STATE_WINDOWS) if region == "US" else []
    return COUNTRIES[region], states


def window_for(states, weekday):
    start, end = FEDERAL
    for state in states:
        s, e = STATE_WINDOWS[state][weekday]
        start, end = max(start, s), min(end, e)
    return (start, end) if start < end else None


@functools.lru_cache(maxsize=None)
def zone(name):
    return ZoneInfo(name)


@functools.lru_cache(maxsize=1 << 20)
def resolve(zone_name, naive):
    """The UTC instant of a local wall-clock time: the earlier of two; after a gap, the
    instant the clocks jump."""
    z = zone(zone_name)
    first = naive.replace(tzinfo=z, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=z, fold=1).astimezone(UTC)
    exists = [u for u in (first, second) if u.astimezone(z).replace(tzinfo=None) == naive]
    if exists:
        return min(exists)
    # In a gap PEP 495 reads fold=1 with the offset after the jump (an instant before
    # it) and fold=0 with the offset before (an instant after it): search between.
    lo, hi = min(first, second), max(first, second)
    lo_s, hi_s = math.floor(lo.timestamp()), math.ceil(hi.timestamp())
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        wall = datetime.fromtimestamp(mid, UTC).astimezone(z).replace(tzinfo=None)
        if wall >= naive:
            hi_s = mid
        else:
            lo_s = mid
    return datetime.fromtimestamp(hi_s, UTC)


def in_window(zone_name, states, t):
    local_day = t.astimezone(zone(zone_name)).date()
    for d in (local_day - timedelta(days=1), local_day, local_day + timedelta(days=1)):
        window = window_for(states, d.weekday())
        if window is None:
            continue
        start = resolve(zone_name, datetime.combine(d, window[0]))
        end = resolve(zone_name, datetime.combine(d, window[1]))
        if start <= t < end:
            return True
    return False


def under_cap(sends, t):
    return sum(1 for s in sends if t - CAP_PERIOD < s <= t) < CAP_SENDS


def allowed(zones, states, sends, t):
    if any(s in CAPPED for s in states) and not under_cap(sends, t):
        return False
    return all(in_window(z, states, t) for z in zones)


def earliest(zones, states, sends, at):
    candidates = {at}
    for z in zones:
        today = at.astimezone(zone(z)).date()
        for k in range(-1, 11):
            d = today + timedelta(days=k)
            window = window_for(states, d.weekday())
            if window:
                candidates.add(resolve(z, datetime.combine(d, window[0])))
    if any(s in CAPPED for s in states):
        candidates.update(s + CAP_PERIOD for s in sends)
    for c in sorted(c for c in candidates if c >= at):
        if allowed(zones, states, sends, c):
            return c
    raise RuntimeError(f"nothing allowed within ten days of {at}")


def parse_instant(text):
    # RFC 3339 with 'T' and an explicit offset (fromisoformat is laxer: check first).
    if len(text) < 20 or text[10] not in "Tt" or not (text.endswith(("Z", "z")) or text[-6] in "+-"):
        raise ValueError(f"{text!r} is not RFC 3339")
    t = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "Zz" else text)
    return t.astimezone(UTC)


def format_seconds(t):
    whole = t.replace(microsecond=0)
    if whole < t:
        whole += timedelta(seconds=1)
    return whole.strftime("%Y-%m-%dT%H:%M:%SZ")


def answer(case):
    try:
        at = parse_instant(case["at"])
        if case["kind"] not in ("marketing", "transactional"):
            raise ValueError(f"bad kind {case['kind']!r}")
        sends = [parse_instant(s) for s in case.get("recent_sends", [])]
        zones, states = recipient(case["to"])  # validates the number either way
    except NoZone:
        if case.get("kind") == "transactional":
            return {"allowed": True}
        return {"error": "no recipient zone"}
    except (ValueError, KeyError, phonenumbers.NumberParseException) as e:
        return {"error": str(e)}
    if case["kind"] == "transactional":
        return {"allowed": True}
    until = earliest(zones, states, sends, at)
    return {"allowed": True} if until == at else {"allowed": False, "hold_until": format_seconds(until)}


# --- Case generation ---

BOUNDARIES = [time(h, m, s) for h, m, s in [
    (7, 59, 59), (8, 0, 0), (8, 59, 59), (9, 0, 0), (11, 59, 59), (12, 0, 0),
    (19, 59, 59), (20, 0, 0), (20, 59, 59), (21, 0, 0), (0, 0, 0), (23, 59, 59),
]]


def numbers(rng):
    """Valid numbers: several per US/CA area code, the NANP countries and territories,
    toll free, an example mobile and fixed line for every region, and some that belong
    to no country."""
    found = []
    for npa in AREA_CODES:
        for exchange in ("234", "555", "720", "961"):
            n = f"+1{npa}{exchange}{rng.randrange(10000):04d}"
            if phonenumbers.is_valid_number(phonenumbers.parse(n)):
                found.append(n)
                break
    for npa in ("242", "246", "264", "268", "284", "340", "345", "441", "473", "649", "658",
                "664", "670", "671", "684", "721", "758", "767", "784", "787", "809", "829",
                "849", "868", "869", "876", "939", "800", "833", "844", "855", "866", "877",
                "888", "900", "500", "533", "600", "710"):
        for exchange in ("234", "555", "720", "961", "200", "322"):
            n = f"+1{npa}{exchange}{rng.randrange(10000):04d}"
            if phonenumbers.is_valid_number(phonenumbers.parse(n)):
                found.append(n)
                break
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                found.append(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164))
    for code in (800, 808, 870, 878, 881, 882, 883, 888, 979):
        example = phonenumbers.example_number_for_non_geo_entity(code)
        if example is not None:
            found.append(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164))
    return sorted(n for n in set(found) if phonenumbers.is_valid_number(phonenumbers.parse(n)))


@functools.lru_cache(maxsize=None)
def transitions(zone_name, year):
    """UTC instants (to the hour, then the second) where the zone's offset changes."""
    z = zone(zone_name)
    found = []
    t = datetime(year, 1, 1, tzinfo=UTC)
    prev = t.astimezone(z).utcoffset()
    while t.year == year:
        nxt = t + timedelta(hours=1)
        off = nxt.astimezone(z).utcoffset()
        if off != prev:
            lo, hi = t, nxt
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(z).utcoffset() == prev:
                    lo = mid
                else:
                    hi = mid
            found.append(hi.replace(microsecond=0))
            prev = off
        t = nxt
    return found


def instant_for(rng, zones):
    z = rng.choice(zones)
    year = rng.choice([2026] * 6 + [2024, 2025, 2027, 2028, 2019, 2007, 2035])
    how = rng.random()
    if how < 0.45:
        d = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        naive = datetime.combine(d, rng.choice(BOUNDARIES))
        t = resolve(z, naive)
        if rng.random() < 0.2:
            t += timedelta(seconds=rng.choice([-1, 1, -60, 60, -3600, 3600]))
        return t
    if how < 0.75:
        ts = transitions(z, year)
        if ts:
            return rng.choice(ts) + timedelta(seconds=rng.randrange(-2 * 86400, 2 * 86400))
    return datetime(year, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(365 * 86400))


def format_at(rng, t):
    style = rng.random()
    if style < 0.8:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style < 0.9:
        offset = timedelta(minutes=rng.choice([-300, -210, 0, 330, 345, 600, 765]))
        local = t.astimezone(timezone(offset))
        return local.isoformat()
    return (t + timedelta(microseconds=rng.choice([1000, 250000, 999000]))).isoformat().replace("+00:00", "Z")


def make_case(rng, to_list):
    to = rng.choice(to_list)
    try:
        zones, states = recipient(to)
    except NoZone:
        zones, states = ["UTC"], []
    at = instant_for(rng, zones)
    case = {"to": to, "at": format_at(rng, at), "kind": "marketing" if rng.random() < 0.85 else "transactional"}
    if states and any(s in CAPPED for s in states) and rng.random() < 0.6 or rng.random() < 0.05:
        base = parse_instant(case["at"])
        sends = []
        for _ in range(rng.randrange(0, 6)):
            ago = rng.choice([
                timedelta(seconds=rng.randrange(0, 30 * 3600)),
                timedelta(hours=24),
                timedelta(hours=24, seconds=-1),
                timedelta(seconds=-rng.randrange(1, 3600)),
            ])
            s = base - ago
            text = s.strftime("%Y-%m-%dT%H:%M:%SZ")
            if rng.random() < 0.1:
                text = s.strftime("%Y-%m-%dT%H:%M:%S") + ".5Z"
            sends.append(text)
        case["recent_sends"] = sends
    return case


def bad_cases():
    return [
        {"to": "+1305", "at": "2026-03-08T12:00:00Z", "kind": "marketing"},
        {"to": "3055551234", "at": "2026-03-08T12:00:00Z", "kind": "marketing"},
        {"to": "+13055551234", "at": "2026-03-08 12:00", "kind": "marketing"},
        {"to": "+13055551234", "at": "yesterday", "kind": "marketing"},
        {"to": "+13055551234", "at": "2026-03-08T12:00:00Z", "kind": "promo"},
        {"to": "+13055551234", "at": "2026-03-08T12:00:00Z", "kind": "Marketing"},
        {"to": "+13055551234", "at": "2026-03-08T12:00:00Z", "kind": "marketing", "recent_sends": ["soon"]},
        {"to": "+80012345678", "at": "2026-03-08T12:00:00Z", "kind": "marketing"},
        {"to": "+80012345678", "at": "2026-03-08T12:00:00Z", "kind": "transactional"},
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cases = sub.add_parser("cases")
    cases.add_argument("--count", type=int, default=3000)
    cases.add_argument("--seed", type=int, default=1)
    sub.add_parser("answer")
    sub.add_parser("bench")
    args = parser.parse_args()
    out = sys.stdout
    if args.command == "bench":
        import time as clock

        lines = [json.loads(line) for line in sys.stdin]
        best = float("inf")
        for _ in range(5):
            resolve.cache_clear()
            start = clock.perf_counter()
            for case in lines:
                answer(case)
            best = min(best, clock.perf_counter() - start)
        out.write(f"{len(lines)} cases in {best * 1000:.1f} ms: {len(lines) / best:,.0f} cases/s\n")
        return
    if args.command == "answer":
        for line in sys.stdin:
            out.write(json.dumps(answer(json.loads(line))) + "\n")
        return
    rng = random.Random(args.seed)
    to_list = numbers(rng)
    for case in bad_cases():
        out.write(json.dumps({**case, "expected": answer(case)}) + "\n")
    for _ in range(args.count - len(bad_cases())):
        case = make_case(rng, to_list)
        out.write(json.dumps({**case, "expected": answer(case)}) + "\n")


if __name__ == "__main__":
    main()
