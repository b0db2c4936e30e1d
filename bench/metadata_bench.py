"""Province and district of plan headers for every unit: each province's own plan, and a plan of each of its
district-level units, those of `vietnamadminunits`' early-2025 snapshot and those merged or dissolved since 2019
(`extractors/patterns/former_districts.tsv`); each header as written, with its marks stripped, and stripped then
restored; every other header also printed, scanned and read by Tesseract's English model, then restored by the
pipeline (the OCR is cached with the extraction OCR bench's, under bench/out/ocr_cases/).

python -m bench.metadata_bench [--workers N] [--verbose]
"""

from __future__ import annotations

import argparse
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from bench.extract_ocr_bench import cached_ocr_text, extract_ocr_text
from diacritics import Restorer, strip_marks
from extractors.facts import DocumentMeta
from extractors.metadata import current_districts, extract_metadata, list_provinces, read_former_districts
from pipeline.pools import pool_of

PLAN_YEAR = 2022  # the year of a plan of a current unit; a former unit's plan is dated its last year
DOC_NUMBER = "45/KH-UBND"
SCAN_STRIDE = 2  # every SCAN_STRIDE-th header is also scanned and OCR'd (about 0.6 s of Tesseract per header)


@dataclass(frozen=True)
class Header:
    """A plan's opening lines, the province and district they name, and its issue date."""

    text: str
    province: str
    district: str | None
    issue_date: str


def unit_title(province: str, district: str) -> str:
    """How a plan's header names a district-level unit: a name that holds its type as it stands (Quận 8), a
    province's namesake capital as thành phố, any other as huyện (a header's type does not change which unit is
    meant)."""
    if district[-1].isdigit():
        return district
    return f"{'Thành phố' if district == province else 'Huyện'} {district}"


def plan_header(province: str, district: str | None, year: int) -> Header:
    """The header and opening of a district's plan (a province's when ``district`` is None)."""
    issuer = f"TỈNH {province}" if district is None else unit_title(province, district)
    place = district or province
    text = (
        f"ỦY BAN NHÂN DÂN\n{issuer.upper()}\nSố: {DOC_NUMBER}    {place}, ngày 12 tháng 3 năm {year}\n\nKẾ HOẠCH\n"
        f"Thực hiện Chương trình Mỗi xã một sản phẩm năm {year}\n\n"
        f"Căn cứ Kế hoạch của Ủy ban nhân dân tỉnh {province} về Chương trình OCOP năm {year};\n"
    )
    return Header(text, province, district, f"{year}-03-12")


def headers() -> list[Header]:
    """A provincial plan of each province, and a plan of each of its current and former district-level units."""
    out = []
    for province in sorted(set(list_provinces().values())):
        out.append(plan_header(province, None, PLAN_YEAR))
        out += [plan_header(province, district, PLAN_YEAR) for district in current_districts(province).values()]
    out += [plan_header(province, district, last) for province, district, last in read_former_districts()]
    return out


def scanned(header: Header) -> str:
    """The English-model OCR text of a header typeset on a degraded page, a line per paragraph."""
    return cached_ocr_text([line for line in header.text.split("\n") if line.strip()], zlib.crc32(header.text.encode()))


def score(items: list[Header], read: Callable[[Header], DocumentMeta]) -> dict:
    """How many headers have their province and district both right in the metadata ``read`` gives, and how many
    their number and issue date both."""
    wrong, numbered = [], 0
    for header in items:
        meta = read(header)
        numbered += (meta.doc_number, meta.issue_date) == (DOC_NUMBER, header.issue_date)
        if (meta.province, meta.district) != (header.province, header.district):
            wrong.append(f"{header.province} / {header.district}: read {meta.province} / {meta.district}")
    return {"headers": len(items), "right": len(items) - len(wrong), "numbered": numbered, "wrong": wrong}


def run(workers: int = os.cpu_count() or 1, verbose: bool = False) -> dict:
    """Score every header in each form, apart for provincial, current district and former district plans."""
    restorer = Restorer.load()
    items = headers()
    with pool_of(workers) as pool:
        ocr = dict(zip(items[::SCAN_STRIDE], pool.map(scanned, items[::SCAN_STRIDE]), strict=True))
    forms: dict[str, tuple[list[Header], Callable[[Header], DocumentMeta]]] = {
        "as written": (items, lambda h: extract_metadata(h.text)),
        "marks stripped": (items, lambda h: extract_metadata(strip_marks(h.text))),
        "stripped, restored": (items, lambda h: extract_metadata(restorer.restore(strip_marks(h.text)).text)),
        "scanned (eng), restored": (list(ocr), lambda h: extract_ocr_text(ocr[h], "header", restorer).meta),
    }
    former = {(province, district) for province, district, _ in read_former_districts()}
    groups = {
        "provincial": lambda h: h.district is None,
        "current districts": lambda h: h.district is not None and (h.province, h.district) not in former,
        "former districts": lambda h: (h.province, h.district) in former,
    }
    results = {}
    for form, (form_items, read) in forms.items():
        for group, belongs in groups.items():
            result = score([h for h in form_items if belongs(h)], read)
            results[f"{group}, {form}"] = result if verbose else {**result, "wrong": result["wrong"][:5]}
    return results


def print_report(results: dict) -> None:
    """One line per group and form, then the first wrong readings of each."""
    print("\nplan headers: province and district both right; number and issue date both right")
    for name, result in results.items():
        print(f"  {name}: {result['right']}/{result['headers']}; {result['numbered']}/{result['headers']}")
        for line in result["wrong"]:
            print(f"    {line}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="Tesseract processes")
    parser.add_argument("--verbose", action="store_true", help="list every wrong header, not the first five")
    args = parser.parse_args(argv)
    print_report(run(args.workers, args.verbose))


if __name__ == "__main__":
    main()
