"""Language of a story's body, with py3langid (a small, fast, offline model)."""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any


def model_cache() -> Path:
    """Where the model is kept re-packed: the user's cache folder (``XDG_CACHE_HOME``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "archivist"


def _repacked(source: Path, folder: Path) -> Path:
    """The model's arrays as a zlib npz (8 MB): py3langid ships them LZMA-compressed, which
    takes 0.7 s to read in every process (a re-ingest after one new capture pays it once, each
    cleaning worker once more); the zlib copy reads in about 0.3 s. Written once, atomically,
    named for the source file's size and time, so a new model is re-packed."""
    import io
    import lzma

    import numpy as np

    stat = source.stat()
    target = folder / f"py3langid-{stat.st_size}-{int(stat.st_mtime)}.npz"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with lzma.open(source) as raw, np.load(io.BytesIO(raw.read()), allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".py3langid-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez_compressed(out, **arrays)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return target


def _load(path: Path) -> Any:
    """An identifier from re-packed arrays, built as py3langid's own loader builds it."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier
    from py3langid.modelio import _to_array

    with np.load(path, allow_pickle=False) as data:
        return LanguageIdentifier(np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                                  _to_array(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
                                  tk_row=_to_array(data["nextmove_row"]))


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_DIR, MODEL_FILE, _load_identifier

    try:
        return _load(_repacked(Path(MODEL_DIR) / MODEL_FILE, model_cache()))
    except Exception:  # no writable cache, or a py3langid whose layout differs: its own loader
        return _load_identifier(norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    sample = text[:400]  # enough to tell; the model walks ~1 µs per byte in pure Python
    if len(sample.strip()) < 20:
        return None
    lang, prob = _identifier().classify(sample)
    return lang if prob >= 0.5 else None
