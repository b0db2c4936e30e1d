"""The diacritic restorer on the committed model: golden cases, properties, protection, casing, API."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diacritics
from diacritics import ModelError, Restorer, restore, strip_marks
from diacritics.lm import META_FILE
from diacritics.tokens import code_acronym, line_end, line_start, scan_tokens

FIXTURES = Path(__file__).parent / "fixtures"
CASES = [json.loads(line) for line in (FIXTURES / "restore_cases.jsonl").read_text(encoding="utf-8").splitlines()]
LETTERS = re.compile(r"[^\W\d_]+")
PLAIN_WORDS = ["ke", "hoach", "trien", "khai", "thuc", "hien", "chuong", "trinh", "moi", "xa", "mot"]
PLAIN_WORDS += ["san", "pham", "nam", "tinh", "huyen", "cong", "tac", "quan", "ly"]
NON_WORDS = ["2021", "122/KH-UBND", "OCOP", "HTX", "(1)", "-", "15,5%", "3.200", "www.ocop.vn", "a.b@c.vn", ";", "..."]


def token_accuracy(output: str, expected: str) -> float:
    """Share of the expected whitespace tokens reproduced (the texts have the same tokens)."""
    out, exp = output.split(), expected.split()
    assert len(out) == len(exp)
    return sum(a == b for a, b in zip(out, exp, strict=True)) / len(exp)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['kind']}-{i}" for i, c in enumerate(CASES)])
def test_golden_case(case: dict) -> None:
    output = restore(case["input"]).text
    if case["kind"] == "ocr_eng":  # garbled OCR: most tokens, not all, are recoverable out of context
        assert token_accuracy(output, case["expected"]) >= 0.75
    else:
        assert output == case["expected"]


ENG_CONFUSIONS = [  # lines as Tesseract's English model reads them (ư→w, ơ→d/o, ô→6/é, ă→i/4, đ→d/P/B, ợ→¢)
    ("Trién khai thye hién Chwong trinh phat trién kinh té", "Triển khai thực hiện Chương trình phát triển kinh tế"),
    ("cac hdp tac xa va co sd san xuét", "các hợp tác xã và cơ sở sản xuất"),
    ("tang cudng c6ng tac quan ly nha nudc", "tăng cường công tác quản lý nhà nước"),
    ("khéng dugc chi tra", "không được chi trả"),
    ("trong nim 2022 va t4ng cuong kiém tra", "trong năm 2022 và tăng cường kiểm tra"),
    ("Pau tu xay dung néng thén mdi", "Đầu tư xây dựng nông thôn mới"),
    ("Bong thoi, cac dia phuong béo céo", "Đồng thời, các địa phương báo cáo"),
    ("h¢p tac xa nong nghiép", "hợp tác xã nông nghiệp"),
]


@pytest.mark.parametrize(("ocr", "expected"), ENG_CONFUSIONS, ids=[e.split()[0] for _, e in ENG_CONFUSIONS])
def test_english_model_confusions_are_undone(ocr: str, expected: str) -> None:
    assert restore(ocr).text == expected


def test_learned_ocr_confusions_are_undone() -> None:
    output = restore("Triển khai thye hién Chwong trình Mỗi xã mét sản phẩm").text
    assert output == "Triển khai thực hiện Chương trình Mỗi xã một sản phẩm"


def test_a_rare_syllable_the_neighbours_call_for_is_found_beyond_the_usual_candidates() -> None:
    # "tring" between two "Bộ": trưởng is ranked out of its candidates by its unigram prior (trung, trình come
    # first), the chosen neighbours bring it back
    ocr = "Can cir Quyét dinh cua Thu tréng Chinh phi va Théng tw cua B6 tring B6 Tai chinh; céc t6 chirc chinh tri."
    restorer = diacritics.default_restorer()
    assert "trưởng" not in [restorer.model.vocab[i] for i in restorer.index.lookup("tring").ids]
    assert "Bộ trưởng Bộ Tài chính" in restore(ocr).text


def test_a_bare_token_of_unmarked_text_keeps_the_common_forms_of_its_key_beyond_its_width() -> None:
    # unmarked text looks a token up without fuzzy search and weighs only plain costs; the marked-text cost that
    # decides whether a common form past the width is kept is computed only for those forms
    restorer = diacritics.default_restorer()
    index, vocab = restorer.index.with_channel(restorer.index.channel), restorer.model.vocab  # a fresh cache
    found = index.lookup("de", fuzzy=False, width=2)
    assert [vocab[i] for i in found.ids[:2]] == ["để", "đề"]
    assert {"đê", "dễ", "đẻ", "đe", "de"} <= {vocab[i] for i in found.ids[2:]}
    assert found.costs.tolist() == found.plain_costs.tolist()
    assert set(found.plain_costs.tolist()) == {0.0}  # only marks lost, which unmarked text gives free
    marked = index.lookup("dể", fuzzy=False, width=2)  # a marked token: its marked costs are its own
    assert marked.costs.tolist() != marked.plain_costs.tolist()


def test_a_token_kept_as_written_does_not_keep_the_next_but_one_as_written_too() -> None:
    # English-model OCR of "Hạt sen sấy": with the trigram P(<unk> | <unk> sen) of the corpus's foreign-language
    # runs, keeping "Hat" made keeping "sdy" the likelier path
    ocr = "OCOP dat trén 90 diém (gom san pham Hat sen sdy, Mit sy cua Céng ty TNHH"
    assert "sản phẩm Hạt sen sấy" in restore(ocr).text


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_WORDS), min_size=1, max_size=12), st.sampled_from([" ", "\n", ", ", ".\n"]))
def test_unmarked_input_only_gains_marks(words: list[str], sep: str) -> None:
    text = sep.join(words)
    assert strip_marks(restore(text).text) == text


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(PLAIN_WORDS + NON_WORDS), min_size=1, max_size=15), st.sampled_from([" ", "\n", "\n\n"])
)
def test_lines_and_non_letters_unchanged(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    output = restore(text).text
    assert output.count("\n") == text.count("\n")
    assert LETTERS.split(output) == LETTERS.split(text)


@pytest.mark.parametrize("case", CASES[:12], ids=lambda c: c["input"][:20])
def test_idempotent_on_own_output(case: dict) -> None:
    once = restore(case["input"]).text
    assert restore(once).text == once


@pytest.mark.parametrize(
    "token",
    ["OCOP", "UBND", "HTX", "MTQG", "TNHH", "122/KH-UBND", "07/5/2018", "https://ocop.gov.vn/a", "ocop@gmail.com"],
)
def test_protected_tokens_kept(token: str) -> None:
    output = restore(f"cac san pham {token} cua tinh").text
    assert output == f"các sản phẩm {token} của tỉnh"


def test_a_code_that_ocr_cut_at_its_hyphen_stays_one_code() -> None:
    text = "Can cu Quyet dinh so 490/QD- TTg ngay 07/5/2018 va so 3/BCH-\nUBND; den nam 2020- Chuong trinh"
    codes = [text[t.start : t.end] for t in scan_tokens(text) if t.kind == "code"]
    assert codes == ["490/QD- TTg", "07/5/2018", "3/BCH-\nUBND", "2020"]
    assert restore(text).text == (
        "Căn cứ Quyết định số 490/QĐ- TTg ngày 07/5/2018 và số 3/BCH-\nUBND; đến năm 2020- Chương trình"
    )


def test_casing_follows_input() -> None:
    assert restore("SAN PHAM").text == "SẢN PHẨM"
    assert restore("San Pham").text == "Sản Phẩm"
    assert restore("san pham").text == "sản phẩm"


def test_a_first_word_ocr_read_in_capitals_takes_title_case() -> None:
    # English-model OCR of real plans reads the marked small letter of "Hỗ" as a capital: "HO tro" for "Hỗ trợ"
    assert restore("- HO tro xay dung 02 diém ban hang.\n- HO trg cac chu thé. UBND tinh chi dao").text == (
        "- Hỗ trợ xây dựng 02 điểm bán hàng.\n- Hỗ trợ các chủ thể. UBND tỉnh chỉ đạo"
    )
    assert restore("KE HOACH TRIEN KHAI\ntuyen truyen cho CAC san pham").text == (
        "KẾ HOẠCH TRIỂN KHAI\ntuyên truyền cho CÁC sản phẩm"  # a heading, and a word inside a sentence, stay upper
    )


def test_a_name_head_ocr_read_in_capitals_takes_title_case() -> None:
    # "Bộ" before a ministry's name is read "BO": the small ộ with its marks looks like a capital to an English model
    assert restore("Bộ trưởng BO Tai chinh quy dinh; do BO Y te ban hanh").text == (
        "Bộ trưởng Bộ Tài chính quy định; do Bộ Y tế ban hành"
    )


def test_tokens_align_input_and_output() -> None:
    text = "Chuong trinh  OCOP\nnam 2021: 3 san pham."
    result = restore(text)
    assert result.tokens, "tokens expected"
    for tok in result.tokens:
        assert text[tok.start : tok.end] == tok.original
        assert result.text[tok.out_start : tok.out_end] == tok.output
        assert 0.0 <= tok.confidence <= 1.0
        assert tok.changed == (tok.original != tok.output)
    assert [t.original for t in result.tokens if t.changed] == ["Chuong", "trinh", "nam", "san", "pham"]


def test_decomposed_marks_are_restored_as_their_composed_form() -> None:
    composed = "Triển khai thực hiện Chương trình Mỗi xã một sản phẩm"
    decomposed = unicodedata.normalize("NFD", composed)
    result = restore(decomposed)
    assert result.text == restore(composed).text == composed  # not "xã̃", a tilde written twice
    assert [t.original for t in result.tokens] == composed.split()  # spans count in the composed text


def test_a_restoration_is_cut_into_the_restorations_of_its_parts() -> None:
    text = "Chuong trinh OCOP\fnam 2021: 3 san pham.\f\fMoi xa"
    spans = [(0, 17), (18, 39), (40, 40), (41, 47)]
    parts = restore(text).cut(spans)
    assert [p.text for p in parts] == ["Chương trình OCOP", "năm 2021: 3 sản phẩm.", "", "Mỗi xã"]
    for (start, end), part in zip(spans, parts, strict=True):
        assert [t.original for t in part.tokens] == text[start:end].replace(":", " ").replace(".", " ").split()
        for tok in part.tokens:
            assert text[start:end][tok.start : tok.end] == tok.original
            assert part.text[tok.out_start : tok.out_end] == tok.output


@pytest.mark.parametrize(
    ("position", "line"),
    [(0, "ab"), (2, "ab"), (3, "cd"), (6, "ef"), (8, "ef"), (9, "gh"), (11, "gh")],
)
def test_a_line_ends_at_a_line_break_or_a_page_break(position: int, line: str) -> None:
    text = "ab\ncd\fef\ngh"
    assert text[line_start(text, position) : line_end(text, position)] == line


def test_strip_marks_removes_tones_vowel_marks_and_d_bar() -> None:
    assert strip_marks("Đồng Tháp, ngày 14 tháng 4 năm 2021") == "Dong Thap, ngay 14 thang 4 nam 2021"


def test_user_lexicon_overrides_model(tmp_path: Path) -> None:
    lexicon = tmp_path / "user.tsv"
    lexicon.write_text("wrong\tright\nsen\tsên\n", encoding="utf-8")
    assert Restorer.load(user_lexicon=lexicon).restore("Sen").text == "Sên"
    assert Restorer.load(user_lexicon=None).restore("Sen").text != "Sên"


def test_wrong_format_version_names_the_file(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    shutil.copytree(diacritics.DEFAULT_MODEL_DIR, model_dir)
    meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
    (model_dir / META_FILE).write_text(json.dumps({**meta, "format_version": -1}), encoding="utf-8")
    with pytest.raises(ModelError, match=re.escape(str(model_dir / META_FILE))):
        Restorer.load(model_dir)


def test_model_fingerprint_is_short_and_stable() -> None:
    fingerprint = diacritics.model_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{16}", fingerprint)
    assert fingerprint == diacritics.model_fingerprint()


def test_model_fingerprint_follows_every_model_file_but_the_notes(tmp_path: Path) -> None:
    def fingerprint_after(edit: str) -> str:
        model_dir = tmp_path / edit
        shutil.copytree(diacritics.DEFAULT_MODEL_DIR, model_dir)
        with (model_dir / edit).open("a", encoding="utf-8") as fh:
            fh.write("\n")
        return diacritics.model_fingerprint(model_dir)

    packaged = diacritics.model_fingerprint()
    assert fingerprint_after("README.md") == packaged
    assert fingerprint_after("confidence.json") != packaged
    assert fingerprint_after("vi_place_words.tsv") != packaged


def test_cli_restores_stdin_line_for_line_with_a_zero_width_space_as_the_word_break_it_is() -> None:
    text = "ke hoach nam 2021\n\nUY BAN NHAN DAN\nTrien\u200bkhai thuc hien\n"
    done = subprocess.run(
        [sys.executable, "-m", "diacritics", "restore"], input=text.encode(), capture_output=True, check=True
    )
    assert done.stdout.decode() == "kế hoạch năm 2021\n\nỦY BAN NHÂN DÂN\nTriển khai thực hiện\n"


def test_codes_get_their_marks_back_from_misread_capitals() -> None:
    text = "theo Quyết định số 1048/QP-TTg, 781/Qb-TTg, Nghị định số 12/2020/ND-CP và 05/NB-CP; CB, PT; 1/Tp-Quyen"
    expected = "theo Quyết định số 1048/QĐ-TTg, 781/QĐ-TTg, Nghị định số 12/2020/NĐ-CP và 05/NĐ-CP; CB, PT; 1/Tp-Quyen"
    assert restore(text).text == expected


def test_a_q_read_as_zero_or_o_in_a_code_is_q_where_that_spells_a_known_acronym() -> None:
    text = "Quyết định số 490/0P- TTg và 1048/OD-TTg; Kế hoạch 3/OCOP-VP, 5/0K-UB"
    assert restore(text).text == "Quyết định số 490/QĐ- TTg và 1048/QĐ-TTg; Kế hoạch 3/OCOP-VP, 5/0K-UB"


def test_an_acronym_with_a_misread_capital_is_marked_in_misread_text_only() -> None:
    misread = "Kinh gui: TT.TU, HBND, UBND tinh; Bao Béc Giang, Dai PT-TH; Cty CP BTPT thyc phdm Thuan Thién"
    restored = restore(misread).text
    assert "HĐND, UBND" in restored and "CP ĐTPT" in restored and "PT-TH" in restored  # two letters: too short to tell
    clean = "Kính gửi: TT.TU, HBND, UBND tỉnh; Công ty CP BTPT thực phẩm"
    assert restore(clean).text == clean


def test_a_known_acronym_read_with_a_mark_no_syllable_carries_loses_it_and_marked_capitals_stay() -> None:
    text = "sản phẩm OCƠP: phát triển; ÙBND huyện; HỘI NGHỊ TỔNG KẾT OCOP"
    assert restore(text).text == "sản phẩm OCOP: phát triển; UBND huyện; HỘI NGHỊ TỔNG KẾT OCOP"


def test_upper_case_words_with_marks_are_syllables_whose_tone_slips_are_fixed() -> None:
    text = "SỞ NÔNG NGHIỆP VÀ PHÁT TRIẾN NÔNG THÔN TĨNH BẾN TRE\nCHƯƠNG TRÌNH MỖI XÁ MỘT SẢN PHẨM"
    expected = "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN TỈNH BẾN TRE\nCHƯƠNG TRÌNH MỖI XÃ MỘT SẢN PHẨM"
    assert restore(text).text == expected


def test_an_upper_case_non_syllable_is_an_acronym_in_running_text_and_a_misreading_in_a_heading() -> None:
    text = "to chuc FAO va cac HTIX thuoc B6 Cong an\nCONG HOA XA HQI CHU NGHIA VIET NAM"
    expected = "tổ chức FAO và các HTIX thuộc Bộ Công an\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert restore(text).text == expected
    assert restore(text.replace("\n", "\f")).text == expected.replace("\n", "\f")  # a page break ends a line


VIE_SLIPS = "Hồ sơ thiết kế chỉ tiết; Tống Giám đốc có thấm quyền; bố sung về tố chức."


def test_tone_slips_of_the_vietnamese_ocr_model_are_fixed_when_the_caller_says_so() -> None:
    expected = "Hồ sơ thiết kế chi tiết; Tổng Giám đốc có thẩm quyền; bổ sung về tổ chức."
    assert restore(VIE_SLIPS, vie_ocr=True).text == expected
    assert restore(VIE_SLIPS).text.startswith("Hồ sơ thiết kế chỉ tiết; Tống Giám đốc có thấm quyền")  # as written
    clean = "Bộ Chỉ huy quân sự tỉnh chỉ đạo Chi cục Thủy lợi và Tổng cục Thống kê."
    assert restore(clean, vie_ocr=True).text == clean


def test_cli_takes_the_vietnamese_ocr_hint() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "diacritics", "restore", "--vie-ocr"],
        input=VIE_SLIPS.encode(),
        capture_output=True,
        check=True,
    )
    assert done.stdout.decode().startswith("Hồ sơ thiết kế chi tiết; Tổng Giám đốc có thẩm quyền")


def test_only_a_code_of_letters_reads_as_its_last_acronym() -> None:
    assert [code_acronym(c) for c in ["TT/HĐND", "PCT/UBND", "122/KH-UBND", "/KH-UBND", "Co.op"]] == [
        "HĐND",
        "UBND",
        None,
        None,  # a number left blank (Số: /KH-UBND): still a number, after which Số stays Số
        None,
    ]


def test_a_code_without_digits_gives_the_word_after_it_the_context_of_its_last_acronym() -> None:
    # the recipients list of a real plan: "TT/HĐND Tỉnh" read Tính while the code was a number to the model
    assert restore("- TT/TU, TT/HDND Tinh;\n- CT, cac PCT/UBND Tinh;").text == (
        "- TT/TU, TT/HĐND Tỉnh;\n- CT, các PCT/UBND Tỉnh;"
    )
