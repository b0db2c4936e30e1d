"""Page OCR at scale: reading order, page cache, process pool, Dask LocalCluster, bad pages, bad scans."""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from bench.scans import LEVELS, scan_document, write_scan_pdf
from pipeline._exec.tesseract import OcrWord
from pipeline.config import Settings
from pipeline.ingest import discover_inputs, read_document
from pipeline.layout import arrange_text, drop_running_headers
from pipeline.pages import PageJob, run_page_jobs
from pipeline.preprocess import choose_recipe, measure_page

PARAGRAPHS = [
    "KẾ HOẠCH",
    "Thực hiện Chương trình Mỗi xã một sản phẩm giai đoạn 2021-2025",
    "Phấn đấu đến năm 2025 có ít nhất 40 sản phẩm được công nhận đạt từ 3 sao trở lên, trong đó có 5 sản phẩm "
    "đạt 4 sao; hỗ trợ các chủ thể hoàn thiện hồ sơ đánh giá, phân hạng sản phẩm và xúc tiến thương mại.",
]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def cer(ocr: str, truth: str) -> float:
    return Levenshtein.distance(squash(ocr), squash(truth)) / len(squash(truth))


def word(text: str, left: int, top: int, line: tuple[int, int, int]) -> OcrWord:
    return OcrWord(text, 0.9, (left, top, 20 * len(text), 40), line)


def test_two_column_header_is_read_column_by_column_and_page_numbers_dropped() -> None:
    words = (
        word("2", 1200, 50, (1, 1, 1)),
        word("ỦY", 200, 300, (2, 1, 1)), word("BAN", 280, 300, (2, 1, 1)),
        word("CỘNG", 1300, 300, (2, 1, 1)), word("HÒA", 1420, 300, (2, 1, 1)),
        word("TỈNH", 200, 360, (2, 1, 2)), word("Độc", 1300, 360, (2, 1, 2)), word("lập", 1380, 360, (2, 1, 2)),
        word("Thân", 300, 600, (3, 1, 1)), word("bài", 420, 600, (3, 1, 1)),
    )  # fmt: skip
    assert arrange_text(words, page_height=3500) == "ỦY BAN\nTỈNH\n\nCỘNG HÒA\nĐộc lập\n\nThân bài"


def test_running_header_repeated_on_most_pages_is_dropped() -> None:
    bodies = ["Mục tiêu chung.", "Nhiệm vụ cụ thể.", "Giải pháp thực hiện.", "Kinh phí thực hiện."]
    pages = [f"KẾ HOẠCH OCOP NĂM 2024 - TRANG {n}\n{body}" for n, body in enumerate(bodies, 1)]
    assert drop_running_headers(pages) == bodies
    assert drop_running_headers(pages[:2]) == pages[:2]


def test_measures_choose_upscaling_seal_suppression_and_despeckling_for_a_severe_scan() -> None:
    (page,) = scan_document(PARAGRAPHS * 3, LEVELS["severe"], 1, seed=3)
    recipe = choose_recipe(measure_page(page.image, 150))
    assert (recipe.scale, recipe.suppress_colour, recipe.normalise, recipe.despeckle) == (2.0, True, True, True)
    assert recipe.dark_specks_below > 0  # faded ink: the black toner dots are told apart by their darkness
    (clean,) = scan_document(PARAGRAPHS, LEVELS["clean"], 1, seed=3)
    assert choose_recipe(measure_page(clean.image, 300)).describe() == "none"


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A two-page harsh (200 dpi) scan of the paragraphs and its printed text."""
    pages = scan_document(PARAGRAPHS * 6, LEVELS["harsh"], 2, seed=random.Random(5).randrange(100))
    path = tmp_path_factory.mktemp("scan") / "scan.pdf"
    write_scan_pdf(pages, path)
    return path, [page.truth for page in pages]


def test_harsh_scan_pages_are_read_in_a_pool_and_cached(scanned_pdf: tuple[Path, list[str]], tmp_path: Path) -> None:
    path, truths = scanned_pdf
    shutil.copy(path, tmp_path)
    (source,), _ = discover_inputs(tmp_path)
    settings = Settings(interim_dir=tmp_path / "interim", ocr_workers=2)
    doc = read_document(source, settings)
    assert [p.source_kind for p in doc.pages] == ["pdf-scan", "pdf-scan"]
    assert all(cer(p.text, t) <= 0.02 for p, t in zip(doc.pages, truths, strict=True))
    cached = sorted((tmp_path / "interim" / "ocr").rglob("*.json"))
    assert len(cached) == 2 and '"words"' in cached[0].read_text(encoding="utf-8")
    assert read_document(source, replace(settings, ocr_workers=1)).pages == doc.pages  # from the cache


def test_pages_run_on_a_dask_local_cluster(scanned_pdf: tuple[Path, list[str]], tmp_path: Path) -> None:
    from distributed import LocalCluster

    from pipeline.pdf import ocr_pdf_job

    path, truths = scanned_pdf
    jobs = [PageJob(path, "scan", n, "pdf-scan") for n in (1, 2)]
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        settings = Settings(interim_dir=tmp_path, scheduler=cluster.scheduler_address)
        records = run_page_jobs(ocr_pdf_job, jobs, settings)
    assert [r.page_no for r in records] == [1, 2]
    assert all(cer(r.text, t) <= 0.02 for r, t in zip(records, truths, strict=True))


def fail_on_page_two(job: PageJob, settings: Settings):
    """A page function that breaks on page 2 (stands for a corrupt page)."""
    if job.page_no == 2:
        raise ValueError("corrupt page")
    return job.failed("not a real OCR") if job.page_no == 3 else replace(job.failed(""), status="ok", text="ok")


def test_a_failing_page_is_marked_and_the_others_complete(tmp_path: Path) -> None:
    jobs = [PageJob(tmp_path, "doc", n, "image") for n in (1, 2, 3)]
    for workers in (1, 2):
        records = run_page_jobs(fail_on_page_two, jobs, Settings(interim_dir=tmp_path, ocr_workers=workers))
        assert [r.status for r in records] == ["ok", "ocr_failed", "ocr_failed"]
        assert records[1].reason == "ValueError: corrupt page"
