"""The table of districts merged or dissolved before `vietnamadminunits`' snapshot, and the script that builds it."""

from extractors.folding import fold
from extractors.former_districts_build import former_districts
from extractors.metadata import current_districts, list_provinces, read_former_districts


def division(name: str, districts: list[str]) -> dict:
    return {"name": name, "districts": [{"name": district} for district in districts]}


def test_the_build_keeps_only_units_gone_from_the_current_tables_with_the_last_year_a_release_lists_them() -> None:
    early = [
        division("Tỉnh Thừa Thiên Huế", ["Thành phố Huế", "Huyện Nam Đông", "Huyện Phú Vang"]),
        division("Thành phố Hồ Chí Minh", ["Quận 1", "Quận 9"]),
        division("Tỉnh Bình Định", ["Thành phố Qui Nhơn"]),  # today's Quy Nhơn, spelt the old way
        division("Tỉnh Cao Bằng", ["Huyện Phục Hoà"]),
    ]
    late = [division("Tỉnh Thừa Thiên Huế", ["Thành phố Huế", "Huyện Phú Vang"])]
    assert former_districts([(late, 2024), (early, 2020)]) == [
        ("Cao Bằng", "Phục Hòa", "Huyện", 2020),
        ("Hồ Chí Minh", "Quận 9", "Quận", 2020),
        ("Thừa Thiên Huế", "Huế", "Thành phố", 2024),
        ("Thừa Thiên Huế", "Nam Đông", "Huyện", 2020),
    ]


def test_the_shipped_table_names_known_provinces_and_no_current_district() -> None:
    rows = read_former_districts()
    assert len(rows) >= 20
    provinces = set(list_provinces().values())
    for province, district, last_year in rows:
        assert province in provinces
        assert fold(district) not in current_districts(province)
        assert 2019 <= last_year <= 2024
