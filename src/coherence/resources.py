"""Where the bundled data (seeds, rules, profiles, schemas) lives.

In a source checkout or an editable install the data is the repository's top-level
folders. A regular `pip install` copies them to `<prefix>/share/coherence` (see
`[tool.setuptools.data-files]` in `pyproject.toml`).
"""

from __future__ import annotations

import site
import sys
import sysconfig
from functools import cache
from pathlib import Path


def _candidates() -> list[Path]:
    here = Path(__file__).resolve()
    found = [here.parents[2]]  # repository root: src/coherence/resources.py -> ../..
    for base in (sysconfig.get_path("data"), sys.prefix, getattr(site, "USER_BASE", None)):
        if base:
            found.append(Path(base) / "share" / "coherence")
    return found


@cache
def data_dir() -> Path:
    """The folder holding `seeds/`, `rules/`, `profiles/` and `schema/`."""
    for candidate in _candidates():
        if (candidate / "seeds" / "sources.yaml").is_file():
            return candidate
    tried = ", ".join(str(c) for c in _candidates())
    raise FileNotFoundError(f"coherence's bundled data was not found (looked in: {tried})")
