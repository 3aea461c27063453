"""Where the bundled data (seeds, rules, profiles, templates, schemas, config) lives.

`data_dir()` is the one accessor for it: every reader (the corpus, the rule catalogue, the
scoring and instrument config, the profile schema) starts from it and never works out a
path of its own.

* Installed from a wheel, the data is package data of `coherence._data` (see `setup.py`),
  found with `importlib.resources`, wherever the package was installed: a virtual
  environment, `--user`, `pip install --target DIR`.
* In a source checkout or an editable install, `coherence/_data` does not exist and the
  data is the repository's top-level folders (`seeds/`, `rules/`, ...), which is what the
  tests read and what a contributor edits.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importlib.abc.Traversable warns on 3.12+; its new home is 3.11+
    from importlib.resources.abc import Traversable

PACKAGE = "coherence"
DATA = "_data"
# A file every copy of the data has: how a candidate folder is recognised.
MARKER = ("seeds", "sources.yaml")


def _holds_data(folder: Traversable) -> bool:
    return folder.joinpath(*MARKER).is_file()


def _installed() -> Traversable | None:
    """`coherence/_data` inside the installed package, if the package has it."""
    folder = resources.files(PACKAGE).joinpath(DATA)
    return folder if _holds_data(folder) else None


def _source_tree() -> Path | None:
    """The repository root, when running from a checkout (or an editable install of one)."""
    root = Path(__file__).resolve().parents[2]  # src/coherence/resources.py -> ../..
    return root if _holds_data(root) else None


def _extract(folder: Traversable) -> Path:
    """Copy package data that is not on the file system (a zip import) to a temporary
    folder removed at exit: the readers need real paths (globs, relative paths)."""
    target = Path(tempfile.mkdtemp(prefix="coherence-data-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)

    def copy(source: Traversable, dest: Path) -> None:
        for item in source.iterdir():
            if item.is_dir():
                (dest / item.name).mkdir()
                copy(item, dest / item.name)
            else:
                (dest / item.name).write_bytes(item.read_bytes())

    copy(folder, target)
    return target


@cache
def data_dir() -> Path:
    """The folder holding `seeds/`, `rules/`, `profiles/`, `templates/`, `schema/` and
    `config/`: the installed package data if there is any, else the source tree."""
    installed = _installed()
    if installed is not None:
        return installed if isinstance(installed, Path) else _extract(installed)
    source = _source_tree()
    if source is not None:
        return source
    raise FileNotFoundError(
        f"coherence's bundled data was not found: neither the installed package "
        f"({resources.files(PACKAGE).joinpath(DATA)}) nor a source checkout "
        f"({Path(__file__).resolve().parents[2]}) has {'/'.join(MARKER)}; "
        f"reinstall coherence from a wheel or its source"
    )
