"""The ceiling experiment's project half: how tokens are analysed for the network, and how its reading is scored."""

from __future__ import annotations

from bench.neural_ceiling import analyse, overridden


def test_tokens_are_analysed_as_the_restorer_reads_them() -> None:
    assert analyse("Hoá") == ("hoa", "hóa", 1)  # modern tone placement, Title case
    assert analyse("ĐỒNG") == ("dong", "đồng", 2)
    assert analyse("2021") == ("<num>", "<num>", 3)
    assert analyse(",") == (",", ",", 3)


def test_the_decoder_is_overridden_only_where_the_network_is_sure_of_another_candidate() -> None:
    line = "Tỉnh cùng đã xây dựng"
    read = [{"tỉnh": 0.9, "tính": 0.1}, {"cùng": 0.01, "cũng": 0.99}, {"đã": 1.0}, {"xây": 1.0}, {"dựng": 1.0}]
    assert overridden(line, read, 0.98) == "Tỉnh cũng đã xây dựng"
    assert overridden(line, read, 0.995) == line
    unsure = [{"tỉnh": 0.4, "tính": 0.6}, *read[1:]]
    assert overridden(line, unsure, 0.98) == "Tỉnh cũng đã xây dựng"  # 0.6 is under the threshold: Tỉnh stays
    assert overridden("tinh cung", [{"tỉnh": 0.7, "tính": 0.3}, {"cùng": 0.2, "cũng": 0.8}], 0.0) == "tỉnh cũng"
    assert overridden("Tỉnh cùng", read, 0.5) == "Tỉnh cùng"  # the tokens do not match the reading: kept
