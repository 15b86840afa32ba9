"""Language detection (clean/language.py): current ISO codes, and no crash on odd characters."""

from __future__ import annotations

import pytest

from archivist.clean.language import detect_language

TEXTS = {
    "en": "The mayor cut a ribbon at the eastern end of the bridge on Monday, two years after it closed.",
    "de": "Der Bürgermeister eröffnete die Brücke am Montag, zwei Jahre nach ihrer Schließung.",
    "pt": "O prefeito inaugurou a ponte na segunda-feira, dois anos depois do fechamento da obra.",
    "ru": "Мэр открыл мост в понедельник, через два года после закрытия на ремонт.",
    "ja": "市長は月曜日、2年ぶりに橋を開通させた。工事は予定より半年遅れていた。",
    "fr": "Le maire a inauguré le pont lundi, deux ans après sa fermeture pour travaux.",
    "he": "ראש העיר פתח את הגשר ביום שני, שנתיים לאחר שנסגר לשיפוצים.",
}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_languages_get_their_current_iso_code(code: str) -> None:
    assert detect_language(TEXTS[code]) == code  # Hebrew is "he", not CLD2's older "iw"


def test_too_short_or_unreadable_text_has_no_language() -> None:
    assert detect_language("Share") is None
    assert detect_language("   " * 50) is None
    assert detect_language("12345 67890 12345 67890 12345") is None


@pytest.mark.parametrize("odd", ["\x03", "\x7f", "\x85", "\ud800", "\ufdd0", "\uffff", "\U0010ffff"])
def test_characters_cld2_rejects_do_not_stop_detection(odd: str) -> None:
    # CLD2 raises on bytes that are not "interchange-valid" UTF-8 (control characters,
    # surrogates, noncharacters); they are blanked first, so the language is still found.
    text = TEXTS["fr"].replace(" ", f" {odd}", 3)
    assert detect_language(text) == "fr"
