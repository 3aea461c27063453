"""Which packages go into the wheel, and where the bundled data comes from.

Everything else about the project (name, version, dependencies, metadata) is declared in
`pyproject.toml`; this file exists only because the package list cannot be written there.

The bundled data stays in the repository's top-level folders (`seeds/`, `rules/`,
`profiles/`, `templates/`, `schema/`, `config/`: the design card names them) and is
shipped as *package data* of `coherence._data.<folder>`, each mapped onto its top-level
folder with `package_dir`. An installed wheel then holds `coherence/_data/seeds/...` next
to the code, where `importlib.resources` finds it (`coherence.resources.data_dir`), for
`pip install`, `pip install --target`, `--user` and virtual environments alike.

Why a `package_dir` mapping rather than `data_files` or a copy step in `build_py`:
* `data_files` lands in `<prefix>/share/...`, which `--target` installs and zipped or
  relocated environments do not have, and setuptools documents it as not working with
  wheels;
* with the mapping, setuptools itself knows every data file: `sdist` includes them
  (package data is part of an sdist's defaults, no `MANIFEST.in` needed), the wheel built
  from that sdist finds them at the same relative paths, and an editable install maps
  them too. A custom command copying files into `build/lib` would need its own `sdist`
  rules and special handling in editable mode.
Why here and not in `pyproject.toml`: the data packages have to be listed explicitly, and
`[tool.setuptools] packages` is either an explicit list or a `find` directive, not both;
`find_packages("src")` keeps picking up new code packages without anyone editing a list.

The patterns are recursive (`**`, setuptools >= 62.3), so new subfolders such as
`seeds/ledger/` are included without editing this file; only a new top-level data folder
needs a line in `DATA`.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

# Top-level folder -> file patterns, relative to the folder (recursive).
DATA = {
    "seeds": ["**/*.txt", "**/*.yaml"],
    "rules": ["**/*.yaml"],
    "profiles": ["**/*.yaml"],
    "templates": ["**/*.yaml"],
    "schema": ["**/*.json"],
    "config": ["**/*.yaml"],
}


def _data_packages(name: str) -> list[str]:
    """`coherence._data.<name>` and one package per subfolder (e.g. `seeds/ledger`):
    setuptools wants every folder that holds package data listed as a package."""
    root = Path(__file__).resolve().parent / name
    subfolders = sorted(
        p.relative_to(root).as_posix().replace("/", ".")
        for p in root.rglob("*")
        if p.is_dir() and not any(part.startswith((".", "__")) for part in p.parts)
    )
    return [f"coherence._data.{name}", *(f"coherence._data.{name}.{s}" for s in subfolders)]


# Namespace packages too: `coherence/report/templates` holds the Jinja templates and no code.
CODE = find_namespace_packages(
    "src", include=["coherence", "coherence.*"], exclude=["*__pycache__"]
)

setup(
    packages=[*CODE, *(p for name in DATA for p in _data_packages(name))],
    package_dir={"": "src", **{f"coherence._data.{name}": name for name in DATA}},
    package_data={
        "coherence": ["py.typed"],
        "coherence.report.templates": ["*.j2"],
        **{f"coherence._data.{name}": patterns for name, patterns in DATA.items()},
    },
)
