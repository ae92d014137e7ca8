#!/usr/bin/env python3
"""Generate mixed phone-number inputs for `msgctl e164`, as JSON Lines.

Usage: python3 scripts/e164_inputs.py [COUNT] [SEED] > inputs.jsonl

The mix is what a messaging backend sees: example numbers of every region and type
(from Google's libphonenumber metadata through the `phonenumbers` package) written
national, international, E.164 and tel: style, with punctuation, spaces, extensions,
00/011 prefixes, full-width digits; the same numbers with digits dropped, added or
changed (mostly invalid); already-E.164 strings; regions missing, wrong or lower-case;
and junk. Deterministic for a given COUNT and SEED.
"""
import json
import random
import sys

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as T

TYPES = [T.FIXED_LINE, T.MOBILE, T.TOLL_FREE, T.PREMIUM_RATE, T.VOIP, T.PERSONAL_NUMBER,
         T.PAGER, T.UAN, T.VOICEMAIL, T.SHARED_COST]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def examples():
    out = []
    for region in sorted(pn.SUPPORTED_REGIONS):
        for t in TYPES:
            n = pn.example_number_for_type(region, t)
            if n is not None:
                out.append((region, n))
    for cc in sorted(pn.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        n = pn.example_number_for_non_geo_entity(cc)
        if n is not None:
            out.append(("001", n))
    return out


def mutate_digits(rng, s):
    digits = [i for i, c in enumerate(s) if c.isdigit()]
    if not digits:
        return s
    i = rng.choice(digits)
    op = rng.randrange(3)
    if op == 0:
        return s[:i] + s[i + 1:]
    if op == 1:
        return s[:i] + str(rng.randrange(10)) + s[i:]
    return s[:i] + str(rng.randrange(10)) + s[i + 1:]


def written(rng, region, n):
    """One way a person might write the number, and the region to parse it with."""
    style = rng.randrange(10)
    if style == 0:
        return pn.format_number(n, F.E164), None
    if style == 1:
        return pn.format_number(n, F.INTERNATIONAL), rng.choice([None, region, "US"])
    if style == 2:
        return pn.format_number(n, F.RFC3966), None
    if style == 3 and region != "001":
        return pn.format_number(n, F.NATIONAL), region
    if style == 4 and region != "001":
        return pn.format_out_of_country_calling_number(n, "US"), "US"
    if style == 5 and region != "001":
        return pn.format_out_of_country_calling_number(n, "DE"), "DE"
    if style == 6:
        s = pn.format_number(n, F.INTERNATIONAL)
        return s + rng.choice([" ext. 12", " x123", " #45", ";ext=9"]), None
    if style == 7 and region != "001":
        s = pn.format_number(n, F.NATIONAL)
        return s.replace(" ", rng.choice([".", "-", "", "  "])), region
    if style == 8:
        return pn.format_number(n, F.E164).translate(FULLWIDTH), None
    digits = pn.national_significant_number(n)
    return digits, (region if region != "001" else None)


def junk(rng):
    alphabet = "0123456789+-() .abcxyz#*/\u00a0٠١٢٣"
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 25)))


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    pool = examples()
    regions = sorted(pn.SUPPORTED_REGIONS)
    for _ in range(count):
        roll = rng.random()
        if roll < 0.05:
            line = {"input": junk(rng), "region": rng.choice([None, "US", "GB"])}
        else:
            region, n = rng.choice(pool)
            text, parse_region = written(rng, region, n)
            if roll < 0.30:
                text = mutate_digits(rng, text)
            if roll > 0.97:
                parse_region = rng.choice([rng.choice(regions), "us", "XX", "", None])
            line = {"input": text, "region": parse_region}
        print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
