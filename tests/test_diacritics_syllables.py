"""Syllable helpers, tokenizer and channel model of the restorer."""

from __future__ import annotations

import math

import pytest

from diacritics import default_restorer, syllables
from diacritics.channel import SLIP_FILE, UNSEEN_SLIP_COST, ChannelModel
from diacritics.syllables import LOWER_LETTERS, apply_case, is_valid_syllable, normalize_tone
from diacritics.tokens import scan_tokens


@pytest.mark.parametrize(
    ("old", "modern"),
    [("hoá", "hóa"), ("uỷ", "ủy"), ("thuý", "thúy"), ("HOÁ", "HÓA"), ("quý", "quý"), ("hoàng", "hoàng")],
)
def test_normalize_tone_uses_modern_placement(old: str, modern: str) -> None:
    assert normalize_tone(old) == modern


def test_normalize_tone_leaves_a_word_that_spells_no_syllable_as_it_is() -> None:
    assert normalize_tone("thuféng") == "thuféng"  # OCR of thường: the mark stays where the ờ was read
    assert normalize_tone("thufe\u0301ng") == "thuféng"  # still NFC


def test_ocr_damage_is_read_with_its_mark_where_ocr_put_it() -> None:
    restored = default_restorer().restore("chinh kiém tra thuféng xuyén hodc d6t xuat tinh hinh thyc hién").text
    assert "kiểm tra thường xuyên hoặc đột xuất" in restored


@pytest.mark.parametrize(
    "word",
    [
        "người",
        "khuỷu",
        "giường",
        "quốc",
        "thuở",
        "nghiêng",
        "xã",
        "ủy",
        "quýt",
        "khuya",
        "ngoáy",
        "khuây",
        "oẳn",
        "ngoẹo",
    ],
)
def test_valid_syllables_pass(word: str) -> None:
    assert is_valid_syllable(word)


@pytest.mark.parametrize(
    "word", ["thye", "ocop", "cac", "tnhh", "ndam", "market", "hàt", "íy", "ii", "việ", "đượ", "nguời", "ă", "eu"]
)
def test_invalid_syllables_fail(word: str) -> None:
    assert not is_valid_syllable(word)


def test_apply_case() -> None:
    assert [apply_case("đồng", p) for p in ("PONG", "Pong", "pong")] == ["ĐỒNG", "Đồng", "đồng"]


def test_an_upper_case_word_with_one_capital_read_small_stays_upper_case() -> None:
    assert apply_case("đích", "PiCH") == "ĐÍCH"  # Í read as a small i in a heading
    assert [apply_case("ths", "ThS"), apply_case("ttg", "TTg")] == ["Ths", "Ttg"]  # short abbreviations: Title
    assert apply_case("đích", "PicH") == "Đích"  # two small letters: not an upper-case word
    assert [apply_case("lý", "Iy"), apply_case("lên", "Ién")] == ["lý", "lên"]  # a small l read as I
    assert [apply_case("lý", "IY"), apply_case("ia", "Ia")] == ["LÝ", "Ia"]
    assert apply_case("490/qđ-ttg", "490/QP-TTg") == "490/qđ-ttg"  # a code is not a word


def test_scan_tokens_kinds() -> None:
    text = "S6: 122/KH-UBND Chu’O’ng, thu'c x3 a) www.a.vn 2021."
    found = [(t.kind, text[t.start : t.end]) for t in scan_tokens(text)]
    assert found == [
        ("word", "S6"),
        ("break", ""),
        ("code", "122/KH-UBND"),
        ("word", "Chu’O’ng"),
        ("word", "thu'c"),
        ("word", "x3"),
        ("code", "a"),
        ("code", "www.a.vn"),
        ("code", "2021"),
        ("break", ""),
    ]


def test_channel_prefers_mark_loss_and_learned_confusions() -> None:
    generic = ChannelModel()
    assert generic.cost("tinh", "tỉnh") < generic.cost("tinh", "tình") + 1  # both lose marks only
    assert generic.cost("tinh", "tỉnh") < generic.cost("tính", "tỉnh") < generic.cost("tanh", "tỉnh")
    learned = ChannelModel({("ư", "w"): 0.5})
    assert learned.cost("chwong", "chương") < generic.cost("chwong", "chương")
    assert learned.cost("cty", "có") == pytest.approx(14.0)  # an unlearned span: a substitution and an insertion


def test_capital_confusions_explain_an_upper_case_initial_only() -> None:
    channel = ChannelModel(capitals={"đ": [("p", 2.0)]})
    assert channel.cost("pong", "đong", capital=True) == pytest.approx(2.0)
    assert channel.cost("pong", "đong") > 5
    assert channel.cost("opng", "ođng", capital=True) > 5


def test_the_vie_channel_makes_seen_slips_cheap_and_anything_else_dear(tmp_path) -> None:
    rows = [("ổ", "ổ", 990), ("ổ", "ố", 10), ("ồ", "ồ", 1000), ("i", "i", 4990), ("i", "ỉ", 10)]
    (tmp_path / SLIP_FILE).write_text(
        "intended\tobserved\tcount\n" + "".join(f"{i}\t{o}\t{n}\n" for i, o, n in rows), encoding="utf-8"
    )
    slips = ChannelModel.load_slips(tmp_path)
    assert slips.cost("tố", "tổ") == pytest.approx(math.log(100))
    assert slips.cost("chỉ", "chi") == pytest.approx(math.log(500))
    assert slips.cost("tố", "tồ") == pytest.approx(UNSEEN_SLIP_COST)  # ồ read as ố never seen: not pooled with ổ
    assert slips.cost("tô", "tổ") == pytest.approx(UNSEEN_SLIP_COST)  # a mark lost: cheap for `eng`, not for `vie`
    assert ChannelModel.load_slips(tmp_path / "absent") is None


def test_footnote_marks_are_not_part_of_a_word() -> None:
    text = "Chương trình¹ và sản phẩm²."
    words = [text[t.start : t.end] for t in scan_tokens(text) if t.kind == "word"]
    assert words == ["Chương", "trình", "và", "sản", "phẩm"]


@pytest.mark.parametrize("chunk", ["T%nh", "PCT{EJBND", "TT/HĐND", "Co.op", "490/QĐ-TTg", "www.ocop.vn"])
def test_garbled_and_code_chunks_are_kept_whole(chunk: str) -> None:
    text = f"tinh {chunk}, nam"
    assert [(t.kind, text[t.start : t.end]) for t in scan_tokens(text)][1] == ("code", chunk)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ca nhan.Dieu 1", [("word", "ca"), ("word", "nhan"), ("break", ""), ("word", "Dieu"), ("code", "1")]),
        ("nam;Tinh", [("word", "nam"), ("break", ""), ("word", "Tinh")]),
        ("Co.op Mart", [("code", "Co.op"), ("word", "Mart")]),
        ("TP.HCM va", [("code", "TP.HCM"), ("word", "va")]),
        ("TP.Ho Chi", [("code", "TP"), ("word", "Ho"), ("word", "Chi")]),
        ("(Q.Ba Dinh)", [("code", "Q"), ("word", "Ba"), ("word", "Dinh")]),
        ("Tp.Cao Lanh.", [("code", "Tp"), ("word", "Cao"), ("word", "Lanh"), ("break", "")]),
        ("nhan.DIEU", [("code", "nhan.DIEU")]),
        ("V.TO CHUC:", [("code", "V"), ("word", "TO"), ("word", "CHUC"), ("break", "")]),  # a heading's numeral
        ("III.GIAI PHAP", [("code", "III"), ("word", "GIAI"), ("word", "PHAP")]),
        ("V.S.T.Y", [("code", "V.S.T.Y")]),  # more than one word after the numeral
        ("X.KHCN_Nhan", [("code", "X.KHCN_Nhan")]),
        ("www.ocop.Vn", [("code", "www.ocop.Vn")]),
    ],
)
def test_a_sentence_or_unit_glued_to_the_next_word_is_cut_off(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.kind, text[t.start : t.end]) for t in scan_tokens(text)] == expected


@pytest.mark.parametrize("word", ["ngu@i", "nh§n", "chi¥a", "nghié€p", "phu’0’ng"])  # quotes count as no letter
def test_ocr_symbols_between_letters_stay_in_the_word(word: str) -> None:
    text = f"cua {word} va a.b@c.vn"
    assert [(t.kind, text[t.start : t.end]) for t in scan_tokens(text)] == [
        ("word", "cua"),
        ("word", word),
        ("word", "va"),
        ("code", "a.b@c.vn"),
    ]


def test_alignment_lists_the_spans_of_the_cheapest_alignment() -> None:
    channel = ChannelModel({("ư", "uf"): 1.0, ("ớ", "é"): 1.0})
    assert channel.alignment("nuféc", "nước") == [("n", "n"), ("ư", "uf"), ("ớ", "é"), ("c", "c")]
    assert channel.alignment("chwong", "chương") == list(zip("chương", "chwong", strict=True))
    assert channel.alignment("dng", "đông") == [("đ", "d"), ("ô", ""), ("n", "n"), ("g", "g")]


def test_alignment_names_a_capital_misreading_first() -> None:
    channel = ChannelModel(capitals={"đ": [("p", 2.0)]})
    assert channel.alignment("pong", "đong", capital=True) == [("đ", "p"), ("o", "o"), ("n", "n"), ("g", "g")]
    assert channel.alignment("pong", "đong")[0] == ("đ", "p")  # the same pair, read as a lower-case confusion


def test_the_lexicon_is_spelled_with_the_lower_case_letters_the_channel_indexes_first() -> None:
    index = default_restorer().index
    lexicon = {index.vocab[i] for ids in index.by_key.values() for i in ids}
    assert set("".join(lexicon)) <= set(LOWER_LETTERS)
    assert len(LOWER_LETTERS) == 26 + 1 + 12 * 6 - 6  # a-z, đ, 12 vowels with 5 tones (a, e, i, o, u, y among a-z)


def test_costs_do_not_depend_on_the_letters_the_channel_met_before() -> None:
    confusions = {("ư", "uf"): 1.0, ("ớ", "é"): 1.0}
    fresh = ChannelModel(confusions).costs("nuféc", ["nước", "nuóc", "nc"])
    channel = ChannelModel(confusions)
    channel.costs("nuféc", ["nuoc"])  # the spans of "nuféc" costed for the letters of "nuoc" alone
    assert channel.costs("nuféc", ["nước", "nuóc", "nc"]).tolist() == fresh.tolist()  # ư, ớ, ó join the letters
    assert fresh.tolist() == [
        2.0,
        ChannelModel(confusions).cost("nuféc", "nuóc"),
        ChannelModel(confusions).cost("nuféc", "nc"),
    ]


def reference_distance(channel: ChannelModel, observed: str, intended: str) -> float:
    """The cheapest alignment by the textbook dynamic programme, one cell at a time (a check on the batched one)."""
    dist = [[math.inf] * (len(observed) + 1) for _ in range(len(intended) + 1)]
    dist[0][0] = 0.0
    for i in range(len(intended) + 1):
        for j in range(len(observed) + 1):
            for di, dj in channel.spans:
                if di <= i and dj <= j and (di or dj):
                    step = dist[i - di][j - dj] + channel.pair_cost(intended[i - di : i], observed[j - dj : j])
                    dist[i][j] = min(dist[i][j], step)
    return dist[-1][-1]


@pytest.mark.parametrize("observed", ["chwong", "nuféc", "dng", "xuét", "ciia", "gidi", "Pdng", "thép", "c6", "a"])
def test_batched_costs_match_the_textbook_alignment(observed: str) -> None:
    channel = default_restorer().index.channel
    words = ["chương", "nước", "đông", "xuất", "của", "giới", "đồng", "tháp", "có", "à", "ở", "nghiêng", ""]
    batched = channel.costs(observed.lower(), words)
    for word, cost in zip(words, batched, strict=True):
        expected = reference_distance(channel, observed.lower(), word)
        if len(word) == len(observed):  # substitutions only, as documented: never below the cheapest
            assert cost >= expected - 1e-9
        else:
            assert cost == pytest.approx(expected)
        assert channel.cost(observed.lower(), word) == pytest.approx(cost)


def test_strip_marks_memoises_words_but_keeps_no_long_text() -> None:
    syllables.clear_caches()
    line = "Triển khai thực hiện Chương trình Mỗi xã một sản phẩm năm 2021"
    assert syllables.strip_marks(line) == "Trien khai thuc hien Chuong trinh Moi xa mot san pham nam 2021"
    assert syllables._strip_word.cache_info().currsize == 0
    assert syllables.strip_marks("Mỗi") == syllables.strip_marks("Mỗi") == "Moi"
    assert syllables._strip_word.cache_info().hits == 1
