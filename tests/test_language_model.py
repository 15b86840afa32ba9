"""The language model re-packed for fast loading (clean/language.py) answers as py3langid's own."""

from __future__ import annotations

from pathlib import Path

from archivist.clean.language import _load, _repacked

TEXTS = [
    "The mayor cut a ribbon at the eastern end of the bridge on Monday, two years after it closed.",
    "Der Bürgermeister eröffnete die Brücke am Montag, zwei Jahre nach ihrer Schließung.",
    "O prefeito inaugurou a ponte na segunda-feira, dois anos depois do fechamento.",
    "Мэр открыл мост в понедельник, через два года после закрытия.",
    "市長は月曜日、2年ぶりに橋を開通させた。",
    "Le maire a inauguré le pont lundi, deux ans après sa fermeture.",
]


def test_the_repacked_model_classifies_as_the_shipped_one(tmp_path: Path) -> None:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, _load_identifier

    source = Path(MODEL_DIR) / MODEL_FILE
    packed = _repacked(source, tmp_path)
    stock, fast = _load_identifier(norm_probs=True), _load(packed)
    for text in TEXTS:
        assert fast.classify(text) == stock.classify(text), text
    assert {stock.classify(t)[0] for t in TEXTS} == {"en", "de", "pt", "ru", "ja", "fr"}
    written = packed.stat().st_mtime_ns
    assert _repacked(source, tmp_path) == packed and packed.stat().st_mtime_ns == written  # reused
    assert [p.name for p in tmp_path.iterdir()] == [packed.name]  # no temporary file left
