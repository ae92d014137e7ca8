#!/usr/bin/env python3
"""Trims Unicode's emoji-test.txt (UTS #51 test data) to its data lines, for
tests/emoji_test.rs: every sequence it lists must be accepted as one emoji in a
reaction, and two of them in a row refused.

Writes tests/fixtures/emoji-test.txt: a header naming the source and version, then
one `code points ; status` line per sequence. The input is the Unicode file, e.g.
the copy the unicode-width crate ships in its tests/ directory
(~/.cargo/registry/src/*/unicode-width-0.1.14/tests/emoji-test.txt, Emoji 15.1)
or https://unicode.org/Public/emoji/latest/emoji-test.txt.

Usage: python3 scripts/emoji_fixture.py PATH/TO/emoji-test.txt
"""
import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/emoji-test.txt"


def main(source):
    lines = pathlib.Path(source).read_text(encoding="utf-8").splitlines()
    header = [l for l in lines[:12] if l.startswith(("# emoji-test.txt", "# Date", "# ©", "# Version", "# For terms"))]
    data = []
    for line in lines:
        if line and not line.startswith("#"):
            points, status = (part.strip() for part in line.split("#")[0].split(";"))
            data.append(f"{points} ; {status}")
    OUT.write_text("\n".join(header + ["# Data lines only; trimmed by scripts/emoji_fixture.py"] + data) + "\n")
    print(f"{len(data)} sequences -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
