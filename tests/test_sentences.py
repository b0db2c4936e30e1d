"""Sentence splitting of wrapped OCR text."""

from extractors.sentences import split_sentences


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
