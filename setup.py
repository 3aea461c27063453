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

from setuptools import find_packages, setup

# Top-level folder -> file patterns, relative to the folder (recursive).
DATA = {
    "seeds": ["**/*.txt", "**/*.yaml"],
    "rules": ["**/*.yaml"],
    "profiles": ["**/*.yaml"],
    "templates": ["**/*.yaml"],
    "schema": ["**/*.json"],
    "config": ["**/*.yaml"],
}

setup(
    packages=[*find_packages("src"), *(f"coherence._data.{name}" for name in DATA)],
    package_dir={"": "src", **{f"coherence._data.{name}": name for name in DATA}},
    package_data={
        "coherence": ["py.typed"],
        "coherence.report": ["templates/*.j2"],
        **{f"coherence._data.{name}": patterns for name, patterns in DATA.items()},
    },
)
