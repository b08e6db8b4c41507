"""Languages through Qt's translation system.

The desk's source strings are Chinese (zh_CN is the language of the hotline, so the default
needs no translation file and can never show a half-translated screen); English comes from
``resources/translations/hotline_desk_en.qm`` (built by ``pyside6-lrelease`` from the ``.ts``
next to it, regenerated with ``pyside6-lupdate ui/*.py -ts …``). Qt's own dialog strings come
from the ``qtbase_*.qm`` shipped with PySide6.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from hotline_desk.paths import resources_dir

log = logging.getLogger(__name__)

TRANSLATIONS = resources_dir() / "translations"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
#: the modules whose strings go through tr(); regenerate the English catalogue with
#:   pyside6-lupdate <these> -ts resources/translations/hotline_desk_en.ts
#:   pyside6-lrelease resources/translations/hotline_desk_en.ts -qm resources/translations/hotline_desk_en.qm
TRANSLATED_MODULES = ("agent_bar", "app", "main_window", "messages", "ops", "phone_bridge", "pop",
                      "settings", "signin", "statusbar", "sync", "wallboard",
                      "dispatch", "intake", "intake_endings", "intake_fields", "ticket_common",
                      "ticket_detail", "tickets")

_installed: list[QTranslator] = []


def install_language(app: QApplication, language: str) -> str:
    """Install the translators for ``language`` ("zh_CN" or "en"); returns the one in effect."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language not in LANGUAGES:
        log.warning("unknown language %r; using zh_CN", language)
        language = "zh_CN"
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if language == "zh_CN"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    if language != "zh_CN":
        desk = QTranslator(app)
        if desk.load(str(TRANSLATIONS / f"hotline_desk_{language}.qm")):
            app.installTranslator(desk)
            _installed.append(desk)
        else:
            log.warning("translation file for %s is missing; the desk stays Chinese", language)
            return "zh_CN"
    return language
