#!/usr/bin/env python3
"""Transcribes SPEC §4's conversation transition table into the fixture
`tests/conversation_spec.rs` checks `transition` against.

It reads the table from the SPEC text itself (the markdown rows between
"## 4. Conversations" and the next section), maps the SPEC's event labels onto
msgcore's wire names, expands "any other" and "BOT_ACTIVE / AI_ACTIVE", and writes
every (status, event) pair with the status the SPEC gives, or null where the SPEC
has no row (an invalid transition). The inbound event is written twice, within and
after the resumption window. This is a second reading of the SPEC, independent of
the table in `src/core/conversation.rs`'s docs (which a unit test checks the code
against).

Usage:

    python3 scripts/spec_transitions.py /work/shared/SPEC.md \
        > tests/fixtures/conversation_transitions.json
"""

import json
import re
import sys

STATUSES = ["OPEN", "ASSIGNED", "RESOLVED", "BOT_ACTIVE", "AI_ACTIVE"]
# SPEC label -> msgcore event wire names (a "/" in the label pairs with one in "to").
EVENTS = {
    "inbound message": ["inbound"],
    "assign (agent)": ["assign"],
    "unassign": ["unassign"],
    "hand to bot / to AI": ["hand_to_bot", "hand_to_ai"],
    "hand-off to a human": ["hand_to_human"],
    "resolve": ["resolve"],
    "reopen": ["reopen"],
}
WINDOW = "(within the resumption window)"


def spec_rows(spec):
    section = spec.split("## 4. Conversations", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in EVENTS:
            yield cells


def table(spec):
    """{(event, within_window or None, status): next status}."""
    result = {}
    for label, source, target in spec_rows(spec):
        names = EVENTS[label]
        targets = [t.strip() for t in target.split("/")]
        if len(targets) != len(names):
            targets = targets * len(names)
        windows = [True] if WINDOW in source else [True, False]
        windows = windows if names == ["inbound"] else [None]
        if source == "any other":
            froms = STATUSES
        else:
            froms = [re.sub(r"\(.*?\)", "", s).strip() for s in source.split(",")]
            assert all(s in STATUSES for s in froms), froms
        for name, to in zip(names, targets):
            for status in froms:
                for window in windows:
                    key = (name, window, status)
                    if key in result and source == "any other":
                        continue
                    assert key not in result, f"{key} listed twice"
                    result[key] = status if to == "unchanged" else to
    return result


def main():
    spec = open(sys.argv[1], encoding="utf-8").read()
    transitions = table(spec)
    assert len({k[0] for k in transitions}) == 8, "every event has a row"
    cases = []
    for names in EVENTS.values():
        for name in names:
            for window in ([True, False] if name == "inbound" else [None]):
                for status in STATUSES:
                    case = {"from": status, "event": name}
                    if window is not None:
                        case["within_resumption_window"] = window
                    case["to"] = transitions.get((name, window, status))
                    cases.append(case)
    json.dump(cases, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
