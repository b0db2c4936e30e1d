"""The model builder's estimates: each smoothing gives proper distributions; in-domain paragraphs are weighted."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from diacritics import build, lm
from diacritics.place_words import place_name_syllables


def load_tables(
    tmp_path, tables: dict[str, np.ndarray], vocab_size: int, pairs: list[tuple[int, int]] = ()
) -> lm.NgramModel:
    """An `NgramModel` read back from freshly estimated tables, with dictionary word ``pairs``."""
    keys = np.unique(lm.pack_keys(*np.array(pairs, dtype=np.int64).reshape(-1, 2).T))
    no_places = np.zeros(0, dtype=np.int64)
    np.savez_compressed(
        tmp_path / lm.NGRAM_FILE, pairs_delta=np.diff(keys, prepend=0), place_pairs_delta=no_places, **tables
    )
    (tmp_path / lm.VOCAB_FILE).write_text("".join(f"w{i}\t1\n" for i in range(vocab_size)), "utf-8")
    (tmp_path / lm.META_FILE).write_text(json.dumps({"format_version": lm.FORMAT_VERSION}), "utf-8")
    return lm.NgramModel.load(tmp_path)


@pytest.mark.parametrize("smoothing", ["absolute", "kneser-ney", "kneser-ney-bigram"])
def test_every_history_sums_to_one(tmp_path, smoothing: str) -> None:
    rng = np.random.default_rng(3)
    vocab_size = 12
    ids = rng.choice(vocab_size, 4000, p=np.linspace(2, 0.1, vocab_size) / np.linspace(2, 0.1, vocab_size).sum())
    tables, discounts = build.estimate_tables(ids.astype(np.int64), vocab_size, smoothing)
    assert all(0 < d < 3 for d in discounts.values())
    model = load_tables(tmp_path, tables, vocab_size)
    every = np.arange(vocab_size)
    # a history opening with the unknown word is left out: its P(<unk> | <unk> w2) is the bigram's by design
    # (`lm.NgramModel.score_triples`)
    for w1, w2 in [(0, 1), (1, 0), (5, 7), (11, 11), (3, lm.UNKNOWN_ID)]:
        total = np.exp(model.score(np.full(vocab_size, w1), np.full(vocab_size, w2), every)).sum()
        assert total == pytest.approx(1.0, abs=0.06)  # uint8 quantisation: 0.04 nats at most per entry


def test_domain_paragraphs_count_more() -> None:
    assert build.domain_weight("Phát triển sản phẩm nông nghiệp của hợp tác xã", 4, 2) == 4
    assert build.domain_weight("Phát triển sản phẩm", 4, 2) == 1
    assert build.domain_weight("Phát triển sản phẩm nông nghiệp", 1, 2) == 1


def test_dictionary_pairs_score_the_bonus_more_and_nothing_else_changes(tmp_path) -> None:
    rng = np.random.default_rng(5)
    vocab_size = 12
    ids = rng.choice(vocab_size, 4000)
    tables, _ = build.estimate_tables(ids.astype(np.int64), vocab_size)
    plain = load_tables(tmp_path, tables, vocab_size)
    with_pairs = load_tables(tmp_path, tables, vocab_size, [(3, 4), (7, 9)])
    w1, w2, w3 = (np.array(c) for c in zip(*itertools.product(range(vocab_size), repeat=3), strict=True))
    gain = with_pairs.score(w1, w2, w3) - plain.score(w1, w2, w3)
    in_pair = ((w2 == 3) & (w3 == 4)) | ((w2 == 7) & (w3 == 9))
    assert gain[in_pair] == pytest.approx(lm.WORD_PAIR_BONUS)
    assert not gain[~in_pair].any()


def test_dictionary_pairs_are_syllable_pairs_inside_words() -> None:
    ids = {"đặc": 4, "sản": 5, "cà": 6, "phê": 7, "sữa": 8}
    keys = build.dictionary_pairs(["đặc sản", "Cà phê sữa", "cà", "đặc sệt"], ids)
    assert keys.tolist() == sorted(lm.pack_keys(np.array([4, 6, 7]), np.array([5, 7, 8])).tolist())


def test_frequent_acronyms_are_words_of_their_own_and_rare_ones_share_one_token() -> None:
    encoder = build.StreamEncoder()
    for _ in range(build.MIN_ACRONYM_COUNT):
        encoder.add("Chủ nhiệm HTX họp.")
    encoder.add("Chủ nhiệm XYZQ họp.")
    vocab, word_to_id = build.build_vocab(encoder)
    ids = build.encode_stream(encoder, word_to_id).tolist()
    assert vocab[len(lm.SPECIAL_TOKENS) :] == ["chủ", "họp", "nhiệm", "HTX"]
    htx, acronym, boundary = vocab.index("HTX"), vocab.index(lm.ACRONYM), vocab.index(lm.BOUNDARY)
    assert ids[:5] == [boundary, vocab.index("chủ"), vocab.index("nhiệm"), htx, vocab.index("họp")]
    assert ids[-3:] == [acronym, vocab.index("họp"), boundary]
    assert build.frequent_acronyms(encoder) == ["HTX"]


def test_capitalised_place_words_are_one_token_and_a_listed_acronym_stays_itself() -> None:
    encoder = build.StreamEncoder({"ea", "kar", "sar", "m'drak"})
    for _ in range(build.MIN_ACRONYM_COUNT):
        encoder.add("huyện Ea Kar và SAR")
    encoder.add("HUYỆN EA KAR")
    encoder.add("huyện M'Drak, Sar, ea")
    vocab, word_to_id = build.build_vocab(encoder)
    words = [vocab[i] for i in build.encode_stream(encoder, word_to_id).tolist()]
    place, boundary = lm.PLACE, lm.BOUNDARY
    assert "SAR" in vocab and words[:6] == [boundary, "huyện", place, place, "và", "SAR"]
    last = [boundary, "huyện", place, place, boundary, boundary, "huyện", place, place, lm.UNKNOWN, boundary]
    assert words[-11:] == last
    # EA, KAR: rare upper-case non-syllables, yet place words; Sar: capitalised, not the acronym; ea: lower case


def test_an_ampersand_is_counted_as_the_word_it_stands_for() -> None:
    encoder = build.StreamEncoder()
    encoder.add("khoa học và công nghệ")
    encoder.add("khoa học & công nghệ")
    vocab, word_to_id = build.build_vocab(encoder)
    ids = build.encode_stream(encoder, word_to_id).tolist()
    words = [vocab[i] for i in ids]
    assert words.count("và") == 2
    assert words[: len(words) // 2] == words[len(words) // 2 :]


def test_marked_acronyms_inside_codes_are_listed_but_do_not_become_words() -> None:
    encoder = build.StreamEncoder()
    for _ in range(build.MIN_ACRONYM_COUNT):
        encoder.add("theo Thông tư số 15/2018/TT-BGDĐT và Hợp đồng 12/HĐ-UBND")
    vocab, _ = build.build_vocab(encoder)
    assert build.listed_acronyms(encoder) == ["BGDĐT"]  # TT has no marks, HĐ is too short to be told from HD
    assert "BGDĐT" not in vocab
    assert build.frequent_acronyms(encoder) == []


def test_typed_admin_names_are_province_and_district_names_with_their_unit_type() -> None:
    names = set(build.read_typed_admin_names())
    assert {"Huyện Long Mỹ", "Tỉnh Hậu Giang", "Thành phố Cao Lãnh", "Thị xã Long Mỹ", "Quận Ba Đình"} <= names
    assert not any(name.startswith(("Xã ", "Phường ")) for name in names)


def test_marked_place_syllables_outside_vietnamese_structure_are_admitted_to_the_lexicon() -> None:
    places = place_name_syllables(["Đắk Lắk", "Krông Búk", "Ea Kar", "Chư Păh", "Bă Ba", "Quận 8", "M'Đrắk"])
    assert places == {"đắk", "lắk", "krông", "búk", "păh", "bă"}  # Ea, Kar: unmarked; chư, ba: syllables
    encoder = build.StreamEncoder()
    for _ in range(build.MIN_SYLLABLE_COUNT):
        encoder.add("Ủy ban nhân dân tỉnh Đắk Lắk, huyện Krông Pắc, huyện Chư Păh; ba bà, Bă")
    encoder.add("huyện Krông Búk")
    vocab, _ = build.build_vocab(encoder, places)
    assert {"đắk", "lắk", "krông", "păh", "ba", "bà"} <= set(vocab)
    assert "bă" not in vocab  # its letters spell ba, a syllable: it would only compete with it
    assert "búk" not in vocab  # seen once: too rare
    assert "đắk" not in build.build_vocab(encoder)[0]
    assert {"đắk", "lắk"} <= place_name_syllables(build.read_admin_names())
