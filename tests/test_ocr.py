"""OCR with the real Tesseract (vie): the wrapper, page pre-processing, and scanned PDF/image inputs."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from pipeline._exec.tesseract import assemble_result, check_languages, ocr_image, tesseract_version
from pipeline.config import Settings
from pipeline.errors import SetupError
from pipeline.ingest import discover_inputs, read_document
from pipeline.ocr import flatten_image, ocr_page
from pipeline.preprocess import Recipe, apply_recipe, choose_recipe, measure_page

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
MAX_CER = 0.03


def ground_truth() -> str:
    return (FIXTURES / "page.gt.txt").read_text(encoding="utf-8")


def cer(ocr: str, truth: str) -> float:
    """Character error rate with runs of whitespace counted as one space."""
    squash = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    return Levenshtein.distance(squash(ocr), squash(truth)) / len(squash(truth))


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose OCR cache lives in pytest's temporary folder, which pytest cleans up."""
    return Settings(interim_dir=tmp_path_factory.mktemp("ocr-cache"))


@pytest.fixture(scope="module")
def page_image() -> Image.Image:
    with Image.open(FIXTURES / "page.png") as image:
        image.load()
        return image


def test_ocr_image_reads_vietnamese_with_lines_and_confidences(page_image: Image.Image) -> None:
    result = ocr_image(page_image, "vie", timeout_s=60)
    assert cer(result.text, ground_truth()) <= MAX_CER
    assert len([line for line in result.text.split("\n") if line.strip()]) == len(ground_truth().splitlines())
    assert result.mean_confidence is not None and 0.8 < result.mean_confidence <= 1
    assert all(0 <= w.confidence <= 1 and w.bbox[2] > 0 and w.bbox[3] > 0 for w in result.words)
    assert " ".join(w.text for w in result.words) == " ".join(result.text.split())


def test_words_are_grouped_into_lines_and_paragraphs() -> None:
    rows = [  # block, paragraph, line, text, confidence (-1: a layout row, not a word)
        (1, 1, 1, "", -1),
        (1, 1, 1, "Kế", 96),
        (1, 1, 1, "hoạch", 90),
        (1, 1, 2, "năm", 80),
        (1, 2, 1, "Mục", 70),
        (2, 1, 1, " ", 10),
        (2, 1, 1, "tiêu", 60),
    ]
    data = {
        "block_num": [r[0] for r in rows],
        "par_num": [r[1] for r in rows],
        "line_num": [r[2] for r in rows],
        "text": [r[3] for r in rows],
        "conf": [r[4] for r in rows],
        "left": [1] * len(rows),
        "top": [2] * len(rows),
        "width": [3] * len(rows),
        "height": [4] * len(rows),
    }
    result = assemble_result(data)
    assert result.text == "Kế hoạch\nnăm\n\nMục\n\ntiêu"
    assert [w.text for w in result.words] == ["Kế", "hoạch", "năm", "Mục", "tiêu"]
    assert result.words[0].bbox == (1, 2, 3, 4)
    assert result.mean_confidence == pytest.approx((0.96 + 0.90 + 0.80 + 0.70 + 0.60) / 5)


def test_an_icelandic_eth_read_for_d_with_stroke_becomes_the_vietnamese_letter() -> None:
    data = {"block_num": [1, 1], "par_num": [1, 1], "line_num": [1, 1], "text": ["4078/QÐ-BNN", "ðồng"],
            "conf": [90, 90], "left": [1, 9], "top": [2, 2], "width": [3, 3], "height": [4, 4]}  # fmt: skip
    result = assemble_result(data)
    assert result.text == "4078/QĐ-BNN đồng" and result.words[0].text == "4078/QĐ-BNN"


def test_ocr_page_returns_an_nfc_page_record(page_image: Image.Image, settings: Settings) -> None:
    page = ocr_page(page_image, "doc", 4, "image", settings)
    assert (page.doc_id, page.page_no, page.source_kind, page.status) == ("doc", 4, "image", "ok")
    assert unicodedata.is_normalized("NFC", page.text)
    assert cer(page.text, ground_truth()) <= MAX_CER
    assert page.confidence is not None and page.confidence > 0.8


def test_low_resolution_scan_is_upscaled_and_still_read(page_image: Image.Image, settings: Settings) -> None:
    half = page_image.resize((page_image.width // 2, page_image.height // 2), Image.Resampling.LANCZOS)
    half.info["dpi"] = (150, 150)
    recipe = choose_recipe(measure_page(half, 150))
    assert recipe.scale == 2.0
    assert apply_recipe(half, recipe, settings.max_image_pixels).size == (half.width * 2, half.height * 2)
    page = ocr_page(half, "doc", 1, "image", settings)
    assert cer(page.text, ground_truth()) <= MAX_CER


def test_upscaling_respects_the_pixel_limit_and_300_dpi_is_left_alone(page_image: Image.Image) -> None:
    assert choose_recipe(measure_page(page_image, 300)).scale == 1.0
    small = page_image.resize((500, 100))
    width, height = apply_recipe(small, Recipe(scale=3.0), max_pixels=200_000).size
    assert width * height <= 200_000 and width > 500


def test_transparency_and_deep_greys_are_flattened() -> None:
    transparent = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    assert flatten_image(transparent).getextrema() == ((255, 255),) * 3
    deep = Image.fromarray(np.array([[0, 20000], [40000, 65535]], dtype=np.uint16))
    assert flatten_image(deep).mode == "L"
    assert flatten_image(deep).getextrema() == (0, 255)


def test_blank_page_is_empty_without_running_tesseract(settings: Settings) -> None:
    page = ocr_page(Image.new("L", (2480, 3508), 250), "doc", 2, "pdf-scan", settings)
    assert (page.status, page.text, page.confidence) == ("empty", "", None)


def test_timeout_marks_the_page_failed(settings: Settings) -> None:
    noise = Image.fromarray(np.random.default_rng(1).integers(0, 256, (3000, 3000), dtype=np.uint8))
    noise.info["dpi"] = (300, 300)
    page = ocr_page(noise, "doc", 1, "image", replace(settings, page_timeout_s=1))
    assert (page.status, page.text) == ("ocr_failed", "")
    assert "timed out" in page.reason


def test_missing_language_data_is_a_setup_error_naming_the_package(page_image: Image.Image, settings: Settings) -> None:
    with pytest.raises(SetupError, match="tesseract-ocr-xyz"):
        check_languages("vie+xyz")
    with pytest.raises(SetupError, match="tesseract-ocr-xyz"):
        ocr_page(page_image, "doc", 1, "image", replace(settings, ocr_lang="xyz"))


def test_tesseract_version_is_dotted() -> None:
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?\S*", tesseract_version())


def test_png_and_scanned_pdf_page_are_ocred_through_read_document(tmp_path: Path, settings: Settings) -> None:
    shutil.copy(FIXTURES / "page.png", tmp_path)
    shutil.copy(FIXTURES / "mixed.pdf", tmp_path)
    sources, _ = discover_inputs(tmp_path)
    pdf, png = (read_document(s, settings) for s in sources)
    assert png.ocr_engine == f"tesseract {tesseract_version()} (vie)"
    (image_page,) = png.pages
    assert (image_page.page_no, image_page.source_kind) == (1, "image")
    assert cer(image_page.text, ground_truth()) <= MAX_CER
    assert pdf.pages[1].source_kind == "pdf-scan"
    assert cer(pdf.pages[1].text, ground_truth()) <= MAX_CER
