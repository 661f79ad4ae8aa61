"""``TTS_LANGUAGES`` comes from its own variable, else the older ``ANNOUNCEMENT_LANGUAGES``,
else the embedded list (read in a fresh interpreter: settings are read once at start)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = "import aa_project.settings as s; print(','.join(s.TTS_LANGUAGES))"


def _tts_languages(**env: str) -> list[str]:
    dropped = ("TTS_LANGUAGES", "ANNOUNCEMENT_LANGUAGES")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    r = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return r.stdout.strip().split(",")


def test_the_embedded_default_keeps_the_specs_list():
    languages = _tts_languages()
    assert "en" in languages and "google.en-GB-Wavenet-A" in languages


def test_tts_languages_sets_the_list():
    assert _tts_languages(TTS_LANGUAGES="en, fr ,") == ["en", "fr"]


def test_the_older_name_is_read_when_only_it_is_set():
    assert _tts_languages(ANNOUNCEMENT_LANGUAGES="de,it") == ["de", "it"]
    assert _tts_languages(ANNOUNCEMENT_LANGUAGES="de", TTS_LANGUAGES="nl") == ["nl"]
