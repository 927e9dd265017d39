"""docs/licence.md: its example licence files load as documented."""

from __future__ import annotations

import re
from pathlib import Path

from nabat.system.licence import Licence, load_licence
from nabat.system.licence.model import DEVELOPMENT_BOARDS, DEVELOPMENT_GSM_MODEMS

DOC = (Path(__file__).parents[2] / "docs" / "licence.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```toml\n(.*?)```", DOC, re.S)


def test_examples_load(tmp_path: Path) -> None:
    assert len(EXAMPLES) == 2
    full, none = (tmp_path / "full.toml", tmp_path / "none.toml")
    full.write_text(EXAMPLES[0], encoding="utf-8")
    none.write_text(EXAMPLES[1], encoding="utf-8")
    licence = load_licence(full, environ={})
    assert (licence.boards, licence.gsm_modems, licence.e1) == (2, 1, False)
    assert not load_licence(none, environ={}).dongle


def test_development_terms_are_documented() -> None:
    flat = " ".join(DOC.split())
    assert f"{DEVELOPMENT_BOARDS} boards, {DEVELOPMENT_GSM_MODEMS} GSM modems" in flat
    assert Licence.development_licence().describe() in flat
