"""Metadata of hand-written plan headers."""

from extractors.metadata import extract_metadata

PROVINCIAL = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH BẾN TRE Độc lập - Tự do - Hạnh phúc
Số: 45 /KH-UBND Bến Tre, ngày 3 tháng 9 năm 2022
KẾ HOẠCH

Thực hiện Chương trình Mỗi xã một sản phẩm
giai đoạn 2022-2025

Căn cứ Quyết định số 919/QĐ-TTg ngày 01/8/2022 của Thủ tướng Chính phủ;
"""

DISTRICT_OCR = """UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM
HUYEN CHAU THANH Doc lap - Tu do - Hanh phuc
S6: 88/KH-UBND Chau Thanh, ngay 05 thang 02 nam 2021
KE HOACH
Trien khai Chuong trinh OCOP huyen Chau Thanh nam 2021

Uy ban nhan dan huyen ban hanh ke hoach; tinh Tien Giang chi dao; tinh Tien Giang ho tro; tinh Long An.
"""

NO_HEADER = """Trien khai thuc hien Chuong trinh OCOP tinh Quang Ninh nam 2023

Can cu chi dao cua UBND tinh Quang Ninh ve phat trien san pham tinh Quang Ninh; hoc tap tinh Ha Giang.
"""


def test_provincial_header() -> None:
    meta = extract_metadata(PROVINCIAL)
    assert meta.province == "Bến Tre"
    assert meta.district is None
    assert meta.doc_number == "45/KH-UBND"
    assert meta.issue_date == "2022-09-03"
    assert (meta.period_start, meta.period_end) == (2022, 2025)
    assert meta.title == "Thực hiện Chương trình Mỗi xã một sản phẩm giai đoạn 2022-2025"


def test_district_header_without_marks() -> None:
    meta = extract_metadata(DISTRICT_OCR)
    assert meta.district == "Châu Thành"
    assert meta.province == "Tiền Giang"  # the most frequent "tỉnh X"; validates the district too
    assert meta.doc_number == "88/KH-UBND"
    assert meta.issue_date == "2021-02-05"
    assert (meta.period_start, meta.period_end) == (2021, 2021)


def test_missing_header_falls_back_to_mentions_and_opening_lines() -> None:
    meta = extract_metadata(NO_HEADER)
    assert meta.province == "Quảng Ninh"
    assert meta.doc_number is None and meta.issue_date is None and meta.title is None
    assert (meta.period_start, meta.period_end) == (2023, 2023)


def test_ocr_noise_in_province_name_still_resolves() -> None:
    meta = extract_metadata("UY BAN NHAN DAN\nTINH PONG THAP\nKE HOACH\nKe hoach nam 2021\n")
    assert meta.province == "Đồng Tháp"


def test_a_province_renamed_in_2025_is_named_as_its_plans_name_it() -> None:
    title = "KẾ HOẠCH\nThực hiện Chương trình Mỗi xã một sản phẩm tỉnh Thừa Thiên Huế giai đoạn 2021 - 2025\n"
    assert extract_metadata(title).province == "Thừa Thiên Huế"
    district = extract_metadata("UBND HUYỆN PHÚ VANG\nKẾ HOẠCH\nThực hiện Chương trình OCOP năm 2023\n")
    assert (district.province, district.district) == ("Thừa Thiên Huế", "Phú Vang")


def test_a_document_number_keeps_its_leading_zero() -> None:
    header = "ỦY BAN NHÂN DÂN TỈNH BẠC LIÊU\nSố: 09/KH-UBND    Bạc Liêu, ngày 15 tháng 01 năm 2025\nKẾ HOẠCH\n"
    assert extract_metadata(header).doc_number == "09/KH-UBND"


def header(unit: str, place: str, year: int) -> str:
    return f"ỦY BAN NHÂN DÂN\n{unit}\nSố: 12/KH-UBND {place}, ngày 3 tháng 3 năm {year}\nKẾ HOẠCH\nThực hiện OCOP\n"


def test_a_district_merged_before_2025_is_named_in_its_own_plans() -> None:
    nam_dong = extract_metadata(header("HUYỆN NAM ĐÔNG", "Nam Đông", 2021))  # merged into Phú Lộc in 2025
    assert (nam_dong.province, nam_dong.district) == ("Thừa Thiên Huế", "Nam Đông")
    assert extract_metadata(header("HUYỆN THÔNG NÔNG", "Thông Nông", 2019)).district == "Thông Nông"
    assert extract_metadata(header("HUYEN THONG NONG", "Thong Nong", 2019)).province == "Cao Bằng"


def test_thanh_pho_hue_is_a_district_until_2025_and_the_province_after() -> None:
    assert extract_metadata(header("THÀNH PHỐ HUẾ", "Huế", 2022)).district == "Huế"
    after = extract_metadata(header("THÀNH PHỐ HUẾ", "Huế", 2025))
    assert (after.province, after.district) == ("Thừa Thiên Huế", None)


def test_a_provincial_capital_of_the_provinces_name_is_a_district_unless_the_province_issues_the_plan() -> None:
    city = extract_metadata(header("THÀNH PHỐ HÀ TĨNH", "Hà Tĩnh", 2022))
    assert (city.province, city.district) == ("Hà Tĩnh", "Hà Tĩnh")
    provincial = extract_metadata(header("TỈNH HÀ TĨNH", "Thành phố Hà Tĩnh", 2022))
    assert (provincial.province, provincial.district) == ("Hà Tĩnh", None)
    quang_ninh = extract_metadata(header("HUYỆN QUẢNG NINH", "Quảng Ninh", 2022) + "Các xã của tỉnh Quảng Bình.\n")
    assert (quang_ninh.province, quang_ninh.district) == ("Quảng Bình", "Quảng Ninh")  # a district of Quảng Bình


def test_names_with_a_hyphen_or_an_apostrophe() -> None:
    assert extract_metadata(header("TỈNH BÀ RỊA - VŨNG TÀU", "Bà Rịa - Vũng Tàu", 2022)).province == "Bà Rịa - Vũng Tàu"
    ea_hleo = extract_metadata(header("HUYỆN EA H'LEO", "Ea H'leo", 2022) + "tỉnh Đắk Lắk\n")
    assert (ea_hleo.province, ea_hleo.district) == ("Đắk Lắk", "Ea H'leo")
    city = extract_metadata(header("THÀNH PHỐ PHAN RANG-THÁP CHÀM", "Phan Rang-Tháp Chàm", 2022) + "tỉnh Ninh Thuận\n")
    assert city.district == "Phan Rang - Tháp Chàm"


def test_a_district_name_that_ocr_joined_or_marked_with_a_stray_sign() -> None:
    cua_lo = extract_metadata(header("HUYEN CUALO", "Cita Lé", 2024) + "Căn cứ Kế hoạch của tỉnh Nghệ An.\n")
    assert (cua_lo.province, cua_lo.district) == ("Nghệ An", "Cửa Lò")
    krong_a_na = extract_metadata(header("HUYỆN KRÔNG ANA", "Krông A Na", 2022) + "tỉnh Đắk Lắk\n")
    assert krong_a_na.district == "Krông A Na"
    vi_thuy = extract_metadata(header("HUYỆN VỊ] THỦY", "Vị Thủy", 2022) + "tỉnh Hậu Giang\n")
    assert vi_thuy.district == "Vị Thủy"


def test_joined_letters_are_not_read_across_a_word() -> None:
    body = "1. Sở Nông nghiệp (cơ quan thường trực Chương trình OCOP tỉnh) chủ trì.\n"
    assert extract_metadata(body).district is None  # "quan thuong truc" is no quận Hương Trà


def test_ocr_misreadings_of_the_number_cue_and_the_title() -> None:
    for cue in ("$6:", "S60:", "S6é:"):
        header_lines = f"UBND TỈNH HẬU GIANG\n{cue} 45/KH-UBND Hậu Giang\nKẾ HOẠCH\n"
        assert extract_metadata(header_lines).doc_number == "45/KH-UBND"
    assert extract_metadata("UBND TỈNH HẬU GIANG\nKf HO4CH\nThực hiện Chương trình OCOP\n").title == (
        "Thực hiện Chương trình OCOP"
    )


def test_a_district_named_by_its_number_keeps_its_type() -> None:
    quan_8 = extract_metadata(header("QUẬN 8", "Quận 8", 2022) + "Căn cứ Kế hoạch của Thành phố Hồ Chí Minh.\n")
    assert (quan_8.province, quan_8.district) == ("Hồ Chí Minh", "Quận 8")
    assert extract_metadata("Doanh thu tăng bình quân 10-15%; bình quân 10 triệu đồng.\n").district is None
