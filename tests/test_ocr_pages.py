"""Page OCR at scale: reading order, page cache, process pool, Dask LocalCluster, bad pages, bad scans."""

from __future__ import annotations

import multiprocessing
import random
import re
import shutil
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from doc_text_factory import make_doc_text
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from bench.render import load_font
from bench.scans import LEVELS, scan_document, write_scan_pdf
from extractors import extract_facts
from pipeline import pages
from pipeline._exec.tesseract import OcrWord
from pipeline.config import Settings
from pipeline.ingest import discover_inputs, read_document
from pipeline.layout import arrange_text, drop_running_headers
from pipeline.ocr import read_digit_crop as read_page_digits
from pipeline.ocr import read_page
from pipeline.pages import PageJob, dask_client, run_page_jobs
from pipeline.preprocess import (
    Recipe,
    apply_recipe,
    choose_recipe,
    measure_page,
    remove_specks,
    suppress_coloured_ink,
)
from pipeline.superscripts import restore_superscripts

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


def test_a_long_first_header_line_closer_than_a_column_gap_joins_the_band_below() -> None:
    words = (
        word("ỦY", 200, 300, (1, 1, 1)), word("BAN", 260, 300, (1, 1, 1)),  # ends at 320
        word("CỘNG", 400, 300, (1, 1, 1)), word("HÒA", 500, 300, (1, 1, 1)),  # 80 px: 2 line heights, not 3
        word("TỈNH", 200, 360, (1, 1, 2)), word("Độc", 600, 360, (1, 1, 2)), word("lập", 680, 360, (1, 1, 2)),
        word("Số:", 200, 420, (1, 1, 3)), word("Tự", 600, 420, (1, 1, 3)), word("do", 660, 420, (1, 1, 3)),
        word("Thân", 200, 600, (2, 1, 1)), word("bài", 300, 600, (2, 1, 1)), word("văn", 380, 600, (2, 1, 1)),
        word("bản", 460, 600, (2, 1, 1)), word("dài", 540, 600, (2, 1, 1)), word("hết", 620, 600, (2, 1, 1)),
    )  # fmt: skip
    expected = "ỦY BAN\nTỈNH\nSố:\n\nCỘNG HÒA\nĐộc lập\nTự do\n\nThân bài văn bản dài hết"
    assert arrange_text(words, page_height=3500) == expected


def test_a_speck_read_as_dots_between_the_first_header_line_columns_does_not_keep_it_out_of_the_band() -> None:
    words = (
        word("ỦY", 200, 300, (1, 1, 1)), word("BAN", 260, 300, (1, 1, 1)),  # ends at 320
        OcrWord("....", 0.55, (350, 320, 30, 10), (1, 1, 1)),  # seal or dust residue in the gap
        word("CỘNG", 420, 300, (1, 1, 1)), word("HÒA", 520, 300, (1, 1, 1)),
        word("TỈNH", 200, 360, (1, 1, 2)), word("Độc", 600, 360, (1, 1, 2)), word("lập", 680, 360, (1, 1, 2)),
        word("Số:", 200, 420, (1, 1, 3)), word("Tự", 600, 420, (1, 1, 3)), word("do", 660, 420, (1, 1, 3)),
    )  # fmt: skip
    assert arrange_text(words, page_height=3500) == "ỦY BAN\nTỈNH\nSố:\n\nCỘNG HÒA\nĐộc lập\nTự do"


def test_a_large_font_first_header_line_joins_the_band_at_a_word_space_between_its_columns() -> None:
    header = (
        word("ỦY", 200, 300, (1, 1, 1)), word("BAN", 260, 300, (1, 1, 1)),  # ends at 320
        word("CỘNG", 340, 300, (1, 1, 1)), word("HÒA", 440, 300, (1, 1, 1)),  # word spaces: 20 px
        word("TỈNH", 200, 360, (1, 1, 2)), word("Độc", 420, 360, (1, 1, 2)), word("lập", 500, 360, (1, 1, 2)),
        word("Số:", 200, 420, (1, 1, 3)), word("Tự", 430, 420, (1, 1, 3)), word("do", 490, 420, (1, 1, 3)),
    )  # fmt: skip
    assert arrange_text(header, page_height=3500) == "ỦY BAN\nTỈNH\nSố:\n\nCỘNG HÒA\nĐộc lập\nTự do"
    title = (word("Văn", 200, 200, (0, 1, 1)), word("bản", 300, 200, (0, 1, 1)))  # the line is not the page's first
    assert arrange_text(title + header, page_height=3500).startswith("Văn bản\n\nỦY BAN CỘNG HÒA\n")


def cell(text: str, left: int, top: int, block: int) -> OcrWord:
    return word(text, left, top, (block, 1, 1))


def test_cells_tesseract_reads_as_separate_lines_make_one_table_row_each() -> None:
    words = (
        cell("TT", 200, 300, 1), cell("Chỉ", 300, 300, 2), cell("ĐVT", 900, 300, 3), cell("2024", 1200, 300, 4),
        cell("1", 200, 360, 5), cell("Hội", 300, 362, 6), cell("chợ", 380, 362, 6), cell("Hội", 900, 358, 7),
        cell("chợ", 980, 358, 7), cell("02", 1200, 360, 8),
        word("Thân", 200, 600, (9, 1, 1)), word("bài", 300, 600, (9, 1, 1)),
    )  # fmt: skip
    expected = "TT | Chỉ | ĐVT | 2024\n1 | Hội chợ | Hội chợ | 02\n\nThân bài"
    assert arrange_text(words, page_height=3500) == expected


def test_lines_between_two_tables_keep_their_own_paragraphs() -> None:
    def table(top: int, block: int) -> tuple[OcrWord, ...]:
        return tuple(
            cell(text, left, top + 60 * k, block + 3 * k + i)
            for k in range(2)
            for i, (text, left) in enumerate((("1", 200), ("Chợ", 300), ("02", 1200)))
        )

    body = tuple(word(text, 200, top, (50 + k, 1, 1)) for k, (text, top) in enumerate(
        (("Một", 600), ("Hai", 700), ("Ba", 800), ("Bốn", 900))
    ))  # fmt: skip
    text = arrange_text(table(300, 10) + body + table(1100, 30), page_height=3500)
    assert text == "1 | Chợ | 02\n1 | Chợ | 02\n\nMột\n\nHai\n\nBa\n\nBốn\n\n1 | Chợ | 02\n1 | Chợ | 02"


def test_a_ruled_goal_table_is_read_row_by_row_and_its_goals_extracted() -> None:
    font = load_font("Liberation Serif", "regular", 36)
    image = Image.new("L", (2480, 900), 255)
    draw = ImageDraw.Draw(image)
    draw.text((200, 100), "II. MỤC TIÊU NĂM 2024", font=font, fill=0)
    columns = [200, 330, 1250, 1550, 1900, 2250]
    rows = [
        ["TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2024", "Năm 2025"],
        ["1", "Sản phẩm được công nhận đạt 3 sao trở lên", "Sản phẩm", "08", "10"],
        ["2", "Chủ thể OCOP mới", "Chủ thể", "05", "06"],
    ]
    for k, row in enumerate(rows):
        top = 220 + 80 * k
        draw.line((180, top - 15, 2250, top - 15), fill=0, width=2)
        for left, text in zip(columns, row, strict=False):
            draw.text((left, top), text, font=font, fill=0)
    bottom = 220 + 80 * len(rows) - 15
    draw.line((180, bottom, 2250, bottom), fill=0, width=2)
    for left in columns:
        draw.line((left - 20, 205, left - 20, bottom), fill=0, width=2)
    image.info["dpi"] = (300, 300)
    text = read_page(image, Settings()).text
    lines = [line for line in text.splitlines() if "|" in line]
    assert [line.count("|") for line in lines] == [4, 4, 4]  # not column by column
    assert lines[1].startswith("1 | Sản phẩm") and lines[1].endswith("| Sản phẩm | 08 | 10")
    targets = extract_facts(make_doc_text(text)).targets
    assert [(t.quantity, t.unit, t.period, t.star_min) for t in targets] == [
        (8, "sản phẩm", "2024", 3), (10, "sản phẩm", "2025", 3),
        (5, "chủ thể", "2024", None), (6, "chủ thể", "2025", None),
    ]  # fmt: skip


def read_digit_crop(crop: np.ndarray) -> str:
    return read_page_digits(crop, timeout_s=30)


def test_raised_footnote_marks_read_as_bangs_become_superscripts_and_real_bangs_stay() -> None:
    image = Image.new("L", (2500, 120), 255)
    draw = ImageDraw.Draw(image)
    font, small = load_font("Liberation Serif", "regular", 50), load_font("Liberation Serif", "regular", 30)

    def printed(x: int, text: str, mark: str, after: str, read_as: str) -> OcrWord:
        """Draw a word, its mark (raised and small for a footnote) and what follows; the word as Tesseract reads it."""
        draw.text((x, 30), text, font=font, fill=0)
        end = draw.textbbox((x, 30), text, font=font)[2]
        raised = mark.isdigit() or mark == "*"
        draw.text((end + 2, 24 if raised else 30), mark, font=small if raised else font, fill=0)
        mark_end = draw.textbbox((end + 2, 30), mark, font=small if raised else font)[2]
        draw.text((mark_end + 2, 30), after, font=font, fill=0)
        left, top, right, bottom = draw.textbbox((x, 24), text + mark + after, font=font)
        top = min(top, draw.textbbox((end + 2, 24), mark, font=small)[1]) - 4  # Tesseract's box holds the mark
        return OcrWord(read_as, 0.9, (left, top, max(right, mark_end + 20) - left, bottom - top))

    words = (printed(20, "trình", "1", ".", "trình!."), printed(330, "Tốt", "!", "", "Tốt!"),
             printed(560, "sao", "7", "", "sao?"), printed(800, "xuất", "8", ".", "xuất8."),
             printed(1080, "thể", "3", ".", "thể."), printed(1300, "gian", "", ".", "gian."),
             printed(1480, "phẩm", "9", "", "phẩm?"), printed(1700, "chủ", "5", ",", "chủ*,"),
             printed(1900, "thể", "4", ",", "thểt,"), printed(2120, "hoạch", "*", "", "hoạch*"))  # fmt: skip
    restored = restore_superscripts(words, np.asarray(image), read_digit_crop)
    # ⁷, ³, ⁹, ⁵ and ⁴ are read again, alone, as digits (⁹ is too short to count as a letter beside p, h and ẩ; ⁴
    # was read as a letter); a word with no mark and a real asterisk stay as they are
    assert [w.text for w in restored] == ["trình¹.", "Tốt!", "sao⁷", "xuất⁸.", "thể³.", "gian.", "phẩm⁹", "chủ⁵,",
                                          "thể⁴,", "hoạch*"]  # fmt: skip


def test_a_raised_number_opening_a_footnote_line_becomes_a_superscript_and_a_list_number_stays() -> None:
    image = Image.new("L", (700, 200), 255)
    draw = ImageDraw.Draw(image)
    font, small = load_font("Liberation Serif", "regular", 50), load_font("Liberation Serif", "regular", 30)
    draw.text((20, 24), "4", font=small, fill=0)  # a footnote: "⁴ Cụ thể"
    draw.text((50, 30), "Cụ thể", font=font, fill=0)
    draw.text((20, 120), "4 Cụ thể", font=font, fill=0)  # a plain number

    def box(xy: tuple[int, int], text: str, used: ImageFont.FreeTypeFont, line: int) -> OcrWord:
        left, top, right, bottom = draw.textbbox(xy, text, font=used)
        return OcrWord(text, 0.9, (left, top, right - left, bottom - top), (1, 1, line))

    words = (box((20, 24), "4", small, 1), box((50, 30), "Cụ", font, 1), box((20, 120), "4", font, 2),
             box((60, 120), "Cụ", font, 2))  # fmt: skip
    restored = restore_superscripts(words, np.asarray(image), read_digit_crop)
    assert [w.text for w in restored] == ["⁴", "Cụ", "4", "Cụ"]


def test_lone_dashes_are_told_apart_by_width_and_dash_specks_dropped() -> None:
    def dash(text: str, left: int, width: int) -> OcrWord:
        return OcrWord(text, 0.9, (left, 320, width, 4), (1, 1, 1))

    words = (
        word("Tự", 200, 300, (1, 1, 1)), dash("—", 250, 24), word("do", 290, 300, (1, 1, 1)),  # half an em: en dash
        dash("—", 350, 44), word("hạnh", 400, 300, (1, 1, 1)), dash("-", 490, 13),  # em dash, hyphen kept
        dash("-", 520, 2), word("phúc", 540, 300, (1, 1, 1)),  # a 2-pixel speck read as a hyphen
        dash("-", 600, 24), word("năm", 640, 300, (1, 1, 1)),  # an en dash read as a hyphen
    )  # fmt: skip
    assert arrange_text(words, page_height=3500) == "Tự – do — hạnh - phúc – năm"


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


def test_grey_ink_under_a_red_seal_stays_dark_and_the_seal_with_its_blurred_rim_turns_to_paper() -> None:
    paper, ink = np.uint8(245), np.uint8(115)  # faded grey ink
    red = np.array([0.8, 0.22, 0.24])  # a red seal multiplies the page by this
    rgb = np.full((90, 90, 3), paper, np.uint8)
    rgb[45:48, :] = (np.full(3, paper) * red).astype(np.uint8)  # a seal stroke
    rgb[44, :] = 205  # its rim: dark but grey, as JPEG stores chroma at half resolution
    rgb[:, 30:33] = (np.full(3, ink) * red).astype(np.uint8)  # a text stroke crossing under the seal
    rgb[:, 70:73] = ink  # a grey text stroke elsewhere
    grey = suppress_coloured_ink(rgb, 300)
    assert abs(int(grey[46, 5]) - paper) <= 3 and abs(int(grey[44, 5]) - paper) <= 3  # seal and rim are paper
    assert grey[10, 31] < 180 and grey[10, 71] == ink  # text under the seal stays ink, grey text is unchanged


def test_a_seal_on_shaded_paper_turns_to_the_paper_around_it_not_to_white() -> None:
    paper = 200  # a dim photocopy: a seal lifted to white would leave a dark halo after normalisation
    rgb = np.full((300, 300, 3), paper, np.uint8)
    rgb[100:200, 100:200] = (160, 44, 48)  # a red seal's solid star
    grey = suppress_coloured_ink(rgb, 150)
    assert abs(int(grey[150, 150]) - paper) <= 5 and abs(int(grey[20, 20]) - paper) <= 5


def test_a_toner_speck_on_a_faded_stroke_is_filled_in_not_punched_out() -> None:
    grey = np.full((60, 60), 245, np.uint8)
    grey[:, 22:40] = 110  # a faded vertical stroke (upscaled 150 dpi: thick)
    grey[29:32, 30:33] = 0  # a toner speck on it
    out = np.asarray(apply_recipe(Image.fromarray(grey), Recipe(dark_specks_below=60), 10**7))
    assert out[29:32, 30:33].max() < 180  # the stroke is not cut where the speck was
    assert out[:, 10].min() > 240  # the paper is untouched


def test_dust_beside_a_word_is_removed_on_a_solid_ink_page_but_the_page_dots_are_kept() -> None:
    grey = np.full((200, 400), 255, np.uint8)
    for k in range(30):  # the page's own dots (periods, i-dots): 6 x 6 pixels, each beside a stroke
        x, y = 10 + 12 * (k % 15), 20 + 60 * (k // 15)
        grey[y : y + 6, x : x + 6] = 0
        grey[y - 12 : y + 6, x + 8 : x + 10] = 0
    grey[150:170, 300:304] = 0  # a letter stroke
    grey[160:162, 306:308] = 0  # a 2 x 2 speck of dust beside it
    assert remove_specks(grey, 300, dust=False)[160, 306] == 0  # not isolated: kept by the old rule
    cleaned = remove_specks(grey, 300, dust=True)
    assert cleaned[160, 306] == 255 and cleaned[22, 12] == 0 and cleaned[160, 301] == 0


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
        dask_client(cluster.scheduler_address).close()  # a client left behind retries its lost scheduler in threads
        dask_client.cache_clear()
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


def hang_on_page_two(job: PageJob, settings: Settings):
    """A page function that never returns on page 2 (stands for a page Tesseract cannot finish)."""
    if job.page_no == 2:
        time.sleep(3600)
    return replace(job.failed(""), status="ok", text="ok")


def test_a_page_past_its_limit_is_marked_and_its_worker_is_killed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pages, "POOL_SLACK_S", 1)
    jobs = [PageJob(tmp_path, "doc", n, "image") for n in (1, 2, 3)]
    settings = Settings(interim_dir=tmp_path, ocr_workers=2, page_timeout_s=1)
    records = run_page_jobs(hang_on_page_two, jobs, settings)
    assert [r.status for r in records] == ["ok", "ocr_failed", "ok"]
    assert records[1].reason == "page timed out after 2 s"
    assert multiprocessing.active_children() == []  # nothing left that would keep the program from exiting
