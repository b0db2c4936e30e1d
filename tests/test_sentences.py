"""Sentence splitting of wrapped OCR text."""

import time

from extractors.sentences import MAX_SENTENCE_CHARS, SEGMENTER, load_segmenter, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_line_break_inside_a_sentence_is_not_a_boundary() -> None:
    text = "Tỉnh đã hỗ trợ các chủ thể tham\ngia Chương trình trong năm qua. Kết quả rất khả quan."
    assert texts(text) == [
        "Tỉnh đã hỗ trợ các chủ thể tham\ngia Chương trình trong năm qua.",
        "Kết quả rất khả quan.",
    ]


def test_blank_lines_list_markers_and_form_feeds_are_boundaries() -> None:
    text = "Mở đầu đoạn văn\n\n- Mục một\n+ Mục con\na) Mục a\n2. Mục hai\fTrang sau"
    assert texts(text) == ["Mở đầu đoạn văn", "- Mục một", "+ Mục con", "a) Mục a", "2. Mục hai", "Trang sau"]


def test_a_blank_line_or_page_break_inside_an_unfinished_sentence_is_not_a_boundary() -> None:
    # OCR puts blank lines between blocks of one paragraph, and a page may end mid-sentence
    text = "Phấn đấu đến năm 2025 có 20 sản phẩm\n\nđạt 3 sao trở lên.\nTỉnh hỗ trợ các chủ thể\ftham gia Chương trình."
    assert texts(text) == [
        "Phấn đấu đến năm 2025 có 20 sản phẩm\n\nđạt 3 sao trở lên.",
        "Tỉnh hỗ trợ các chủ thể\ftham gia Chương trình.",
    ]
    finished = "Kết quả rất khả quan.\n\nnăm 2022 có thêm 5 sản phẩm."  # the sentence before had ended
    assert texts(finished) == ["Kết quả rất khả quan.", "năm 2022 có thêm 5 sản phẩm."]
    assert texts("Mục tiêu cụ thể\n\na) Về sản phẩm") == ["Mục tiêu cụ thể", "a) Về sản phẩm"]  # a list item


def test_a_blank_line_before_a_figure_and_its_word_or_after_a_colon_is_not_a_boundary() -> None:
    text = (
        "Toàn tỉnh có 126 chủ thể, gồm: 19 doanh nghiệp,\n\n37 hợp tác xã và 66 hộ kinh doanh.\n"
        "Trong đó:\n\nngân sách tỉnh bố trí\n\n2.400 triệu đồng."
    )
    assert texts(text) == [
        "Toàn tỉnh có 126 chủ thể, gồm: 19 doanh nghiệp,\n\n37 hợp tác xã và 66 hộ kinh doanh.",
        "Trong đó:\n\nngân sách tỉnh bố trí\n\n2.400 triệu đồng.",
    ]
    row = (
        "Kết quả cụ thể như bảng sau\n\n4 Cán bộ được tập huấn Người 40 45 50"  # a table row: not a figure and its word
    )
    assert texts(row) == ["Kết quả cụ thể như bảng sau", "4 Cán bộ được tập huấn Người 40 45 50"]


def test_a_blank_line_inside_a_parenthesis_that_the_next_line_closes_is_not_a_boundary() -> None:
    text = "Có 03 sản phẩm được đánh giá lại và nâng hạng từ 3 sao lên 4 sao\n(tinh dầu tràm, trà rau má\n\nCam Lộ)."
    assert texts(text) == [text]
    # OCR loses closing parentheses: one left open does not swallow the paragraphs after it
    opened = "Năm 2020, tỉnh tập trung chuẩn hóa các sản phẩm đặc trưng của các xã\n(sản phẩm truyền thống, có"
    assert texts(f"{opened}\n\nTrong năm 2020, ngành Y tế cấp 104 giấy.") == [
        opened,
        "Trong năm 2020, ngành Y tế cấp 104 giấy.",
    ]


def test_a_blank_line_after_a_full_line_ending_on_a_word_is_not_a_boundary_before_a_name() -> None:
    full = "Năm 2023, kinh phí hỗ trợ các chủ thể được bố trí từ nguồn ngân sách Trung ương thuộc"
    text = f"{full}\n\nChương trình MTQG xây dựng nông thôn mới là 480 triệu đồng.\nĐã giải ngân 415 triệu đồng."
    assert texts(text)[0] == f"{full}\n\nChương trình MTQG xây dựng nông thôn mới là 480 triệu đồng."
    title = "Thực hiện Chương trình Mỗi xã một sản phẩm huyện Trùng Khánh giai đoạn 2023-2025"  # full, ends on a year
    assert texts(f"{title}\n\nĐến hết năm 2022, huyện có 06 sản phẩm OCOP.") == [
        title,
        "Đến hết năm 2022, huyện có 06 sản phẩm OCOP.",
    ]
    short = "Kết quả thực hiện"  # a short line was not wrapped
    assert texts(f"{full}.\n{short}\n\nChương trình đạt 90%.")[1:] == [short, "Chương trình đạt 90%."]


def test_a_break_starts_a_paragraph_at_its_line() -> None:
    text = "1 Xúc tiến thương mại 900 NS tỉnh\nTổng cộng 6.500\nTrong đó: ngân sách Trung ương 2.070 triệu đồng."
    after_table = text.index("Trong")
    assert texts(text) == [text]
    assert [s.text for s in split_sentences(text, frozenset({after_table}))] == [
        text[:after_table].strip(),
        text[after_table:],
    ]


def test_headings_in_capitals_stand_alone() -> None:
    text = "II. KẾ HOẠCH NĂM 2022\nNội dung của kế hoạch\ntiếp tục ở dòng sau."
    assert texts(text) == ["II. KẾ HOẠCH NĂM 2022", "Nội dung của kế hoạch\ntiếp tục ở dòng sau."]


def test_semicolons_split_list_items_but_not_inside_parentheses() -> None:
    text = "Hỗ trợ bao bì; hỗ trợ nhãn mác (gồm logo; mã vạch); tập huấn."
    assert texts(text) == ["Hỗ trợ bao bì;", "hỗ trợ nhãn mác (gồm logo; mã vạch);", "tập huấn."]


def test_abbreviations_and_numbers_do_not_end_a_sentence() -> None:
    text = "Hội chợ tại Tp. Cần Thơ do TS. Lê An chủ trì, kinh phí 6.400.000 đồng và 38,614 tỷ đồng. Xong."
    assert texts(text) == [text[: text.index(" Xong")], "Xong."]


def test_offsets_and_folded_twin_match_the_text() -> None:
    text = "  Năm 2020 có 12 sản phẩm.\n\n- Đạt 3 sao.  "
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert len(sentence.folded) == len(sentence.text)
    assert [s.marker for s in split_sentences(text)] == ["", "-"]


def test_list_item_numbers_stay_with_their_text() -> None:
    assert texts("1. Công tác chỉ đạo\n\n5.2. Về chủ thể") == ["1. Công tác chỉ đạo", "5.2. Về chủ thể"]


def test_the_segmenter_is_a_spacy_pipeline_component() -> None:
    nlp = load_segmenter()
    assert nlp.lang == "vi" and nlp.pipe_names == [SEGMENTER]
    doc = nlp("Năm 2020 có 12 sản phẩm. Năm 2021 có 15 sản phẩm.")
    assert [s.text for s in doc.sents] == ["Năm 2020 có 12 sản phẩm.", "Năm 2021 có 15 sản phẩm."]


def test_titles_and_decimal_points_do_not_end_a_sentence() -> None:
    text = "Đoàn do ThS. Trần Bình và PGS. Lý Hoa dẫn, tại TT. Mỹ Thọ, kinh phí 0.9 tỷ đồng. Xong."
    assert texts(text) == [text[: text.index(" Xong")], "Xong."]


def test_a_line_continuing_a_numbered_heading_stays_with_it() -> None:
    text = "4.2. Dự kiến ngân sách địa phương: 5.785 triệu đồng\n(năm nghìn bảy trăm tám mươi lăm triệu đồng).\n"
    assert texts(text) == [text.strip()]


def test_empty_and_blank_texts_have_no_sentences() -> None:
    assert split_sentences("") == [] and split_sentences(" \n\f ") == []


def test_segmenting_a_long_plan_is_fast() -> None:
    text = ("1. Mục tiêu\n- Phấn đấu có ít nhất 15 sản phẩm đạt 3 sao; 100% cán bộ được tập huấn.\n" * 600)[:50_000]
    started = time.perf_counter()
    assert len(split_sentences(text)) > 1000
    assert time.perf_counter() - started < 1.0


def test_long_texts_and_overlong_sentences_are_split_into_bounded_pieces() -> None:
    rule = "─" * 5000
    text = rule + "\nPhấn đấu có thêm 12 sản phẩm được công nhận đạt từ 3 sao trở lên.\n"
    sentences = split_sentences(text)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert sentences[-1].text.endswith("\nPhấn đấu có thêm 12 sản phẩm được công nhận đạt từ 3 sao trở lên.")
    assert sum(len(s.text) for s in sentences) == len(text.strip())
    many = "Trien khai thuc hien Chuong trinh. " * 40000  # 1.4 M characters: beyond spaCy's default limit
    assert len(split_sentences(many)) == 40000
