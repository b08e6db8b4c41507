"""Languages (Chinese source strings, English from the .qm) and the CJK font choice."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase, QFontInfo

from ui.fonts import MIN_POINT_SIZE, apply_desk_font, pick_cjk_family
from ui.i18n import TRANSLATED_MODULES, TRANSLATIONS, install_language
from ui.signin import SignInWindow

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def english(qapp):
    assert install_language(qapp, "en") == "en"
    yield
    install_language(qapp, "zh_CN")


def test_chinese_is_the_default(qtbot, qapp):
    assert install_language(qapp, "zh_CN") == "zh_CN"
    w = SignInWindow(demo=False)
    qtbot.addWidget(w)
    assert w.sign_in_button.text() == "登录"
    assert w.windowTitle() == "上饶市长热线 12345 — 坐席登录"


def test_english_comes_from_the_catalogue(qtbot, english):
    w = SignInWindow(demo=True)
    qtbot.addWidget(w)
    assert w.sign_in_button.text() == "Sign in"
    assert w.windowTitle() == "Shangrao 12345 Hotline — sign in"
    from ui.agent_bar import state_word

    assert state_word("就绪") == "Ready" and state_word("通话中") == "On call"


def test_refusals_and_failures_speak_the_desks_language(qapp):
    """The core words each refusal twice; the message bar shows the desk's language, and the
    desk's own failure sentences come from the catalogue."""
    from hotline_desk.errors import PermissionDenied
    from ui.ops import error_message

    refused = PermissionDenied("您没有权限执行此操作", "permission denied")
    assert error_message(refused) == ("warning", "您没有权限执行此操作")
    assert error_message(ConnectionRefusedError("x"))[1].startswith("连接失败")
    install_language(qapp, "en")
    try:
        assert error_message(refused) == ("warning", "permission denied")
        assert error_message(ConnectionRefusedError("x"))[1].startswith("Connection failed")
        assert error_message(KeyError("k"))[1].startswith("Internal error: KeyError")
    finally:
        install_language(qapp, "zh_CN")


def test_unknown_language_falls_back_to_chinese(qapp):
    assert install_language(qapp, "fr") == "zh_CN"


def test_catalogue_covers_every_string(tmp_path):
    """A tr() added without an English translation fails here (lupdate into a copy)."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate not installed")
    ts = tmp_path / "en.ts"
    shutil.copy(TRANSLATIONS / "hotline_desk_en.ts", ts)
    files = [str(ROOT / "ui" / f"{m}.py") for m in TRANSLATED_MODULES]
    subprocess.run([str(lupdate), *files, "-ts", str(ts)], check=True, capture_output=True)
    text = ts.read_text(encoding="utf-8")
    unfinished = re.findall(r"<source>([^<]*)</source>(?:\s*<extracomment>[^<]*</extracomment>)?"
                            r"\s*<translation type=\"unfinished\">", text)
    assert unfinished == []


def test_a_cjk_font_is_chosen_and_readable(qapp):
    family = pick_cjk_family()
    assert family is not None
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
    font = apply_desk_font(qapp, point_size=8)  # too small is raised to the minimum
    assert font.pointSize() == MIN_POINT_SIZE
    assert QFontInfo(qapp.font()).family() == family
    apply_desk_font(qapp, point_size=11)


def _render(ch: str, font) -> bytes:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    img = QImage(40, 40, QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setFont(font)
    p.setPen(QColor("black"))
    p.drawText(img.rect(), Qt.AlignmentFlag.AlignCenter, ch)
    p.end()
    return bytes(img.constBits())


def test_every_symbol_the_shell_shows_has_a_glyph(qapp):
    """No box (tofu) for the state glyphs: each symbol in the shell's sources must render
    differently from a character no font has."""
    apply_desk_font(qapp, 11)
    font = qapp.font()
    missing = _render("\U000F0000", font)  # private use plane: never in a font → the box
    symbols = set()
    for m in TRANSLATED_MODULES:
        text = (ROOT / "ui" / f"{m}.py").read_text(encoding="utf-8")
        symbols |= {ch for ch in text if 0x2000 <= ord(ch) <= 0x2BFF or ord(ch) >= 0x1F000}
    assert symbols, "expected some state glyphs"
    boxes = sorted(ch for ch in symbols if _render(ch, font) == missing)
    assert boxes == []
