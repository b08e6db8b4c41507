"""Caller numbers: every way a PBX or an agent writes the same number gives one canonical string."""
import pytest
from hypothesis import given, strategies as st

from hotline_desk.errors import ValidationError
from hotline_desk.phone import mask_address, mask_name, mask_phone, normalise_phone


@pytest.mark.parametrize("raw", [
    "13907031234", "+8613907031234", "+86 139 0703 1234", "008613907031234", "8613907031234",
    "013907031234", "139-0703-1234", "(+86)139 0703 1234", " 13907031234 ",
])
def test_mobile_forms_match(raw):
    assert normalise_phone(raw) == "13907031234"


@pytest.mark.parametrize("raw, expected", [
    ("0793-8221234", "07938221234"),
    ("(0793)8221234", "07938221234"),
    ("8221234", "07938221234"),            # bare local number: Shangrao
    ("82212345", "079382212345"),          # 8-digit local number
    ("+86 793 8221234", "07938221234"),
    ("00867938221234", "07938221234"),
    ("867938221234", "07938221234"),
    ("+86 0793 8221234", "07938221234"),   # trunk 0 written after +86
    ("010-62345678", "01062345678"),       # Beijing: 2-digit area code
    ("0791 86123456", "079186123456"),     # Nanchang
])
def test_fixed_lines(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "110", "119", "120", "122", "12315", "95598", "10086"])
def test_service_numbers_kept(raw):
    assert normalise_phone(raw) == raw
    assert normalise_phone("+86" + raw) == raw


@pytest.mark.parametrize("raw", [
    "", "   ", "abc", "139O7031234", "1390703123", "139070312345", "12345678",
    "0793-0221234",          # a subscriber number never starts with 0
    "0100-8221234",          # no such area code
    "10907031234",           # no such mobile prefix
    "1" * 100, "+1 415 555 0100", "13907031234#", "电话13907031234",
])
def test_garbage_raises_chinese_validation_error(raw):
    with pytest.raises(ValidationError) as exc:
        normalise_phone(raw)
    assert "电话号码格式不正确" in str(exc.value)
    assert "phone" in exc.value.field_errors


def test_non_string_raises():
    with pytest.raises(ValidationError):
        normalise_phone(13907031234)  # type: ignore[arg-type]


@given(st.sampled_from(["13", "15", "17", "18", "19"]), st.integers(0, 999_999_999))
def test_normalising_is_idempotent_for_mobiles(prefix, rest):
    raw = f"{prefix}{rest:09d}"
    try:
        canonical = normalise_phone(raw)
    except ValidationError:
        return  # an unassigned prefix: refusing it is fine, it must just never be half-accepted
    assert normalise_phone(canonical) == canonical
    assert normalise_phone("+86" + canonical) == canonical
    assert normalise_phone("0" + canonical) == canonical


def test_mask_phone():
    assert mask_phone("13907031234") == "139****1234"
    assert mask_phone("+86 139 0703 1234") == "139****1234"
    assert mask_phone("07938221234") == "0793-****234"
    assert mask_phone("079382212345") == "0793-****2345"
    assert mask_phone("01062345678") == "010-****5678"
    assert mask_phone("12345") == "12345"           # a public service number
    assert mask_phone("") == ""
    bad = mask_phone("garbage-123")
    assert bad.endswith("23") and "garbage" not in bad


def test_mask_name():
    assert mask_name("张三丰") == "张**"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("李") == "*"
    assert mask_name("") == ""


@pytest.mark.parametrize("address, expected", [
    ("信州区水南街道书院路12号3栋", "信州区水南街道****"),
    ("广丰区永丰街道万达超市3楼", "广丰区永丰街道****"),
    ("婺源县江湾镇江湾村3组12号", "婺源县江湾镇江湾村****"),
    ("信州区", "信州区"),
    ("", ""),
])
def test_mask_address(address, expected):
    assert mask_address(address) == expected


def test_mask_address_never_shows_door_numbers():
    masked = mask_address("上饶市信州区五三大道88号2栋1单元502室")
    assert "88" not in masked and "502" not in masked
    assert masked.startswith("上饶市信州区")


@given(st.integers(10_000_000_000, 19_999_999_999))
def test_mobile_validity_agrees_with_libphonenumber(n):
    """normalise_phone caches mobile validity per 7-digit segment; it must agree with a full check."""
    import phonenumbers

    digits = str(n)
    num = phonenumbers.parse("+86" + digits, None)
    valid = phonenumbers.is_valid_number(num) and phonenumbers.number_type(num) in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    try:
        assert normalise_phone(digits) == digits and valid
    except ValidationError:
        assert not valid
