"""Caller numbers and masking of personal data.

Why normalise: the same citizen reaches the hotline from a PBX that may send ``+8613907031234``,
``013907031234`` (a trunk 0 before a mobile), ``0793-8221234`` or just ``8221234``; caller history
only works if all of these become one canonical string. The canonical form is digits only:

* mobiles: the 11 digits (``13907031234``);
* fixed lines: trunk ``0`` + area code + subscriber number (``079382212345``); a bare 7/8-digit
  local number is a Shangrao number and gets ``0793``;
* service numbers (``12345``, ``110``, ``95598``) and 400/800 numbers: kept as they are.

Masking (``mask_phone``, ``mask_name``, ``mask_address``) is what roles that may not see personal
data are shown (DESIGN.md "Security and personal data").
"""
from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from hotline_desk.errors import ValidationError

#: Shangrao's area code, given to bare local numbers.
LOCAL_AREA_CODE = "0793"

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212()（）\[\]【】.·/]")
_INTERNATIONAL_PREFIXES = ("+86", "0086")
_MAX_RAW_LENGTH = 40


def _error(raw: str) -> ValidationError:
    shown = raw if len(raw) <= _MAX_RAW_LENGTH else raw[:_MAX_RAW_LENGTH] + "…"
    return ValidationError(
        f"电话号码格式不正确：“{shown}”（应为11位手机号、带区号的固定电话，或12345等服务号码）",
        f"not a phone number: {shown!r} (expected an 11-digit mobile, a fixed line with area code, "
        f"or a service number such as 12345)",
        field_errors={"phone": "电话号码格式不正确（应为11位手机号、带区号的固定电话或服务号码）"},
    )


def _cn(national: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse("+86" + national, None)
    except phonenumbers.NumberParseException:
        return None


@lru_cache(maxsize=512)
def _area_code_exists(area: str) -> bool:
    """An area code (without trunk 0) that libphonenumber knows, tried with a 7- and an 8-digit
    subscriber number (cities differ: Shangrao's are 7 digits, Beijing's 8)."""
    for subscriber in ("8221234", "82212345"):
        num = _cn(area + subscriber)
        if num is not None and phonenumbers.is_valid_number(num) and \
                phonenumbers.length_of_geographical_area_code(num) == len(area):
            return True
    return False


@lru_cache(maxsize=65536)
def _mobile_segment_valid(segment: str) -> bool:
    """Is this 7-digit mobile number segment (号段 + HLR code) assigned? libphonenumber's CN
    mobile patterns are decided by the first 7 digits (the last 4 are free), so the answer is
    cached per segment: parsing costs ~0.1 ms, and the call pop looks numbers up all day."""
    num = _cn(segment + "0000")
    return num is not None and phonenumbers.is_valid_number(num) and \
        phonenumbers.number_type(num) in (phonenumbers.PhoneNumberType.MOBILE,
                                          phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _area_code_length(national: str) -> int:
    """Beijing (10) and the 2x cities have 2-digit area codes; every other city has 3."""
    return 2 if national[:2] == "10" or national[:1] == "2" else 3


def _is_service_number(digits: str) -> bool:
    # 110, 119, 120, 122, 12345, 12315, 10086 … and 95598, 96xxx local service lines.
    return (3 <= len(digits) <= 5 and digits[0] == "1") or (len(digits) == 5 and digits[0] == "9")


def _national_to_canonical(national: str) -> str | None:
    """A national significant number (no trunk 0, no +86) → canonical form, or None if invalid."""
    if not national.isdigit():
        return None
    if national[0] == "1" and len(national) == 11:
        return national if _mobile_segment_valid(national[:7]) else None
    if national[:3] in ("400", "800") and len(national) == 10:
        return national
    if not 9 <= len(national) <= 11:
        return None
    area_len = _area_code_length(national)
    area, subscriber = national[:area_len], national[area_len:]
    if len(subscriber) not in (7, 8) or subscriber[0] in "01":
        return None
    if not _area_code_exists(area):
        return None
    # The subscriber length is not checked against the area: cities move from 7 to 8 digits and
    # the PBX's records keep both, so a known area code + 7 or 8 digits is a fixed line.
    return "0" + national


def normalise_phone(raw: str) -> str:
    """The canonical digits of a caller number however the PBX or the agent wrote it.

    Raises :class:`ValidationError` (field ``phone``) for anything that is not a phone number.
    """
    if not isinstance(raw, str) or len(raw) > _MAX_RAW_LENGTH:
        raise _error(str(raw))
    text = _SEPARATORS.sub("", raw.strip())
    if not text:
        raise _error(raw)
    international = False
    for prefix in _INTERNATIONAL_PREFIXES:
        if text.startswith(prefix):
            text, international = text[len(prefix):], True
            break
    if not text.isdigit():
        raise _error(raw)
    if not international and text.startswith("86") and len(text) >= 11 and \
            not (len(text) == 11 and text[0] == "1"):
        # "86" without + or 00, as some trunks send it; an 11-digit string is a mobile, never "86…"
        text, international = text[2:], True
    if international:
        national = text[1:] if text.startswith("0") else text
        if _is_service_number(national):
            return national
        result = _national_to_canonical(national)
        if result is None:
            raise _error(raw)
        return result
    if _is_service_number(text):
        return text
    if text.startswith("0"):
        result = _national_to_canonical(text[1:])  # trunk 0: a fixed line, or 0 + a mobile
    elif len(text) in (7, 8) and text[0] not in "01":
        result = _national_to_canonical(LOCAL_AREA_CODE[1:] + text)
    else:
        result = _national_to_canonical(text)
    if result is None:
        raise _error(raw)
    return result


def is_mobile(canonical: str) -> bool:
    """True for an 11-digit mobile in canonical form."""
    return len(canonical) == 11 and canonical[0] == "1"


def mask_phone(number: str) -> str:
    """``13907031234`` → ``139****1234``; ``079382212345`` → ``0793-****2345``.

    Service numbers are public and stay unmasked. Input that is not a valid number is masked
    anyway (all but the last two characters), so a bad record never leaks in full.
    """
    if not number:
        return ""
    try:
        canonical = normalise_phone(number)
    except ValidationError:
        return "*" * max(len(number) - 2, 1) + number[-2:] if len(number) > 2 else "*" * len(number)
    if is_mobile(canonical):
        return canonical[:3] + "****" + canonical[-4:]
    if canonical.startswith("0"):
        area_len = 1 + _area_code_length(canonical[1:])
        area, subscriber = canonical[:area_len], canonical[area_len:]
        keep = 4 if len(subscriber) >= 8 else 3
        return f"{area}-{'*' * (len(subscriber) - keep)}{subscriber[-keep:]}"
    if canonical[:3] in ("400", "800"):
        return canonical
    return canonical  # service number


def mask_name(name: str) -> str:
    """``张三丰`` → ``张**``; keeps the first character (usually the surname), masks the rest."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    return name[0] + "".join(" " if ch == " " else "*" for ch in name[1:])


# The last administrative level that may stay visible: county/district, township, street office,
# community, village. Everything after it (road, building, door number) is masked.
_ADMIN_LEVEL = re.compile(r"^[^\d\s#＃-]{1,8}?(?:省|(?<!超)市|区|县|镇|乡|街道|办事处|社区|居委会|村委会|村)")


def mask_address(address: str) -> str:
    """``信州区水南街道书院路12号3栋`` → ``信州区水南街道****``.

    Keeps the longest prefix that ends in an administrative level (enough for a supervisor to see
    *where* without seeing *who*), masks the rest with a fixed ``****`` so its length tells nothing.
    """
    address = (address or "").strip()
    if not address:
        return ""
    kept = ""
    rest = address
    while True:
        m = _ADMIN_LEVEL.match(rest)
        if m is None or len(kept) + m.end() > 16:
            break
        kept += m.group(0)
        rest = rest[m.end():]
        if not rest:
            break
    if not kept:
        kept = address[: min(3, max(len(address) - 1, 0))]
    if kept == address:
        return address
    return kept + "****"
