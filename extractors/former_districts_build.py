"""Build ``patterns/former_districts.tsv``: district-level units that plans of 2019-2024 name but that
``vietnamadminunits`` no longer lists, because they were merged or dissolved before its early-2025 snapshot (huyện
Nam Đông, thành phố Huế, huyện Yên Dũng, quận 9).

The units come from old releases of the ``vietnam-provinces`` package (PyPI; its data is the General Statistics
Office's list of units). Each release is given with the last year its list held: a unit gets the last year of the
latest release that lists it. ``make former-districts`` downloads the releases and runs this script:

    python -m extractors.former_districts_build --release <wheel>:2020 --release <wheel>:2024
"""

from __future__ import annotations

import argparse
import json
import re
import zipfile
from pathlib import Path

from diacritics.syllables import apply_case, normalize_tone
from extractors.folding import fold
from extractors.metadata import FORMER_DISTRICTS_FILE, current_districts, list_provinces

DIVISIONS_FILE = "vietnam_provinces/data/nested-divisions.json"
UNIT_TYPE_RE = re.compile(r"^(?P<type>tỉnh|thành phố|huyện|quận|thị xã)\s+", re.IGNORECASE)
HEADER = "province\tdistrict\ttype\tlast_year\n"


def name_key(name: str) -> str:
    """A unit name compared without marks, case, spaces or punctuation ("Ia H' Drai" = "Ia H'Drai"), and with y
    read as i (Qui Nhơn = Quy Nhơn)."""
    return re.sub(r"[\W_]+", "", fold(name)).replace("y", "i")


def split_type(name: str) -> tuple[str, str]:
    """("Huyện", "Nam Đông") from "Huyện Nam Đông", the type as a capitalised phrase ("Thị xã"); a name of digits
    keeps its type, as the current tables write it ("Quận 9")."""
    match = UNIT_TYPE_RE.match(name)
    if match is None:
        return "", name
    unit_type, short = match.group("type").capitalize(), name[match.end() :]
    return unit_type, f"{unit_type} {short}" if short.isdigit() else short


def modern_spelling(name: str) -> str:
    """Each syllable of ``name`` with the tone placed as the rest of the tables write it (Phục Hoà → Phục Hòa)."""
    return " ".join(apply_case(normalize_tone(word.lower()), word) for word in name.split())


def read_release(wheel: Path) -> list[dict]:
    """The provinces, with their districts, of a ``vietnam-provinces`` wheel."""
    with zipfile.ZipFile(wheel) as archive:
        return json.loads(archive.read(DIVISIONS_FILE))


def former_districts(releases: list[tuple[list[dict], int]]) -> list[tuple[str, str, str, int]]:
    """(province, district, type, last year) of the districts the releases list and the current tables do not."""
    provinces = list_provinces()
    found: dict[tuple[str, str], tuple[str, str, str, int]] = {}
    for divisions, last_year in sorted(releases, key=lambda release: release[1]):
        for division in divisions:
            province = provinces.get(fold(split_type(division["name"])[1]))
            if province is None:
                raise ValueError(f"unknown province {division['name']!r}")
            current = {name_key(name) for name in current_districts(province).values()}
            for district in division["districts"]:
                unit_type, name = split_type(district["name"])
                if name_key(name) in current:
                    continue
                found[province, name_key(name)] = (province, modern_spelling(name), unit_type, last_year)
    return sorted(found.values())


def write_table(rows: list[tuple[str, str, str, int]], out: Path) -> None:
    """Write the rows as a TSV with a header."""
    out.write_text(HEADER + "".join("\t".join(map(str, row)) + "\n" for row in rows), encoding="utf-8")


def parse_release(value: str) -> tuple[Path, int]:
    """``wheel:last_year``."""
    path, _, year = value.rpartition(":")
    return Path(path), int(year)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", action="append", type=parse_release, required=True, help="WHEEL:LAST_YEAR")
    parser.add_argument("--out", type=Path, default=FORMER_DISTRICTS_FILE)
    args = parser.parse_args(argv)
    rows = former_districts([(read_release(wheel), year) for wheel, year in args.release])
    write_table(rows, args.out)
    print(f"{len(rows)} former districts written to {args.out}")


if __name__ == "__main__":
    main()
