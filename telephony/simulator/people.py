"""Realistic callers for the demo and bursts: Chinese names and Shangrao (上饶) phone numbers.

Mobile numbers use the prefixes common in Jiangxi (139/158/187 …); landlines are Shangrao's area
code 0793 plus seven digits, written without the dash as a trunk would deliver them. Many
citizens' calls arrive without a name (CallerIDName ``<unknown>``), so ``caller`` leaves some out.
"""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏付方邹熊秦邱江尹段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志明海燕晓东春生金凤德华淑珍文彬俊杰子涵雨欣浩然"
MOBILE_PREFIXES = ("139", "158", "187", "135", "136", "137", "138", "150", "151", "152", "159", "182", "183",
                   "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "181", "189",
                   "199", "177")


def chinese_name(rng: random.Random) -> str:
    """A plausible personal name: one surname and one or two given-name characters."""
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def shangrao_number(rng: random.Random) -> str:
    """A mobile (about 4 in 5) or a Shangrao landline ``0793xxxxxxx``."""
    if rng.random() < 0.8:
        return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
    return "0793" + rng.choice("823567") + f"{rng.randrange(10 ** 6):06d}"


def caller(rng: random.Random, named: float = 0.7) -> tuple[str, str | None]:
    """(number, name or None): the CallerID a citizen's call brings in."""
    return shangrao_number(rng), (chinese_name(rng) if rng.random() < named else None)
