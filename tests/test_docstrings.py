"""`coherence.docstrings`: field descriptions from attribute docstrings, as pydantic's own
`use_attribute_docstrings` gives them, from one parse per module (issue 12 §4)."""

from __future__ import annotations

import importlib.util
import json
import py_compile
import subprocess
import sys
import zipfile
from pathlib import Path

from pydantic import BaseModel

from coherence import docstrings
from tests.conftest import ROOT

CASES = '''
from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

{base}

Extra = Annotated[str, Field(json_schema_extra={{"pattern": "^x"}})]
"""An alias with Field metadata but no description."""

Described = Annotated[str, Field(description="from the alias")]

SHARED = Field(min_length=1)


class Cases(BASE):
    """Every kind of documented attribute."""

    required: int
    """A required field."""
    plain: int = 3
    """A plain default."""
    constrained: str = Field(default="a", min_length=1)
    """A Field without a description."""
    explicit: str = Field(default="a", description="explicit wins")
    """Not used: the Field has its own description."""
    from_metadata: Annotated[str, Field(description="metadata wins")] = "a"
    """Not used: the Annotated metadata has a description."""
    from_alias: Described = "a"
    """Not used: the type alias has a description."""
    extra: Extra = "x"
    """An alias with json_schema_extra: the docstring is kept."""
    aliased: str = Field(default="a", alias="not")
    """An aliased field."""
    factory: list[int] = Field(default_factory=list)
    """A default factory."""
    shared_a: str = SHARED
    """The first user of a shared FieldInfo."""
    shared_b: str = SHARED
    """The second user of a shared FieldInfo."""
    optional: int | None = None
    """A union."""
    undocumented: int = 0
    constant: ClassVar[int] = 1
    """A class variable: not a field."""
    _private: int = PrivateAttr(default=0)
    """A private attribute."""

    def method(self) -> int:
        """Not an attribute docstring."""
        return self.plain


class Outer(BASE):
    """A model with a nested one."""

    class Inner(BASE):
        """Nested."""

        depth: int = 1
        """How deep (nested class)."""

    name: str = ""
    """The outer name."""


class Child(Cases):
    """A subclass that adds a field and documents an inherited one again."""

    plain: int = 4
    """The plain default, redocumented."""
    added: str = "b"
    """Added by the subclass."""


def made_in_a_function():
    class Local(BASE):
        """Made in a function: found by its own source."""

        value: int = 0
        """A local model's field."""

    return Local
'''


def _load(tmp_path: Path, name: str, base: str):
    path = tmp_path / f"{name}.py"
    path.write_text(CASES.format(base=base), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _fields(model: type[BaseModel]) -> dict[str, str]:
    return {name: repr(info) for name, info in model.model_fields.items()}


def test_same_descriptions_and_schemas_as_pydantic(tmp_path):
    ours = _load(
        tmp_path, "docstring_cases_ours", "from coherence.docstrings import DocumentedModel as BASE"
    )
    theirs = _load(
        tmp_path,
        "docstring_cases_pydantic",
        "class BASE(BaseModel):\n    model_config = ConfigDict(use_attribute_docstrings=True)",
    )
    try:
        for name in ("Cases", "Outer", "Child"):
            mine, reference = getattr(ours, name), getattr(theirs, name)
            assert _fields(mine) == _fields(reference), name
            assert mine.model_json_schema() == reference.model_json_schema(), name
        assert _fields(ours.Outer.Inner) == _fields(theirs.Outer.Inner)
        assert _fields(ours.made_in_a_function()) == _fields(theirs.made_in_a_function())
        fields = ours.Cases.model_fields
        assert fields["required"].description == "A required field."
        assert fields["explicit"].description == "explicit wins"
        assert fields["from_metadata"].description == "metadata wins"
        assert fields["from_alias"].description == "from the alias"
        assert fields["shared_a"].description != fields["shared_b"].description
        assert ours.SHARED.description is None  # the shared FieldInfo itself is not changed
        assert ours.Cases.constant == 1
        assert ours.Cases(required=1, shared_a="x", shared_b="y").plain == 3
    finally:
        sys.modules.pop("docstring_cases_ours", None)
        sys.modules.pop("docstring_cases_pydantic", None)


def test_source_parsed_once_per_module():
    from coherence.profile import model

    assert not docstrings.PYDANTIC_DOCSTRINGS
    assert docstrings._MODULES[model.__name__] is not None
    assert model.Profile.model_fields["as_of"].description


PROBE = """
import json
import coherence.docstrings as d
from coherence import findings
from coherence.profile import model
found = {
    f"{module.__name__}.{name}": {f: i.description for f, i in cls.model_fields.items()}
    for module in (model, findings)
    for name, cls in vars(module).items()
    if isinstance(cls, type) and issubclass(cls, d.DocumentedModel) and cls.__module__ == module.__name__
}
print(json.dumps({"pydantic": d.PYDANTIC_DOCSTRINGS, "fields": found}))
"""


def _zipped_run(tmp_path: Path, *, with_source: bool) -> dict:
    """Run the probe on coherence installed as a zip: with its .py files, or .pyc only."""
    archive = tmp_path / ("src.zip" if with_source else "pyc.zip")
    package = ROOT / "src" / "coherence"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in package.rglob("*"):
            if "__pycache__" in path.parts or path.is_dir():
                continue
            arcname = path.relative_to(package.parent).as_posix()
            if path.suffix == ".py" and not with_source:
                compiled = tmp_path / "compiled.pyc"
                py_compile.compile(str(path), cfile=str(compiled), dfile=arcname, doraise=True)
                zipped.write(compiled, arcname + "c")
            else:
                zipped.write(path, arcname)
    env = {"PYTHONPATH": str(archive), "PATH": "", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=True,
    )
    return json.loads(proc.stdout)


def test_zipped_install_with_sources_documents_fields(tmp_path):
    found = _zipped_run(tmp_path, with_source=True)
    assert found["pydantic"] is False
    assert found["fields"]["coherence.profile.model.Profile"]["as_of"]
    assert found == _probe_here()


def _probe_here() -> dict:
    """The probe's answer in this process, from the source tree."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(proc.stdout)


def test_install_without_sources_falls_back_to_pydantic(tmp_path):
    found = _zipped_run(tmp_path, with_source=False)
    assert found["pydantic"] is True  # pydantic's own option, which finds no source either
    fields = found["fields"]
    assert fields.keys() == _probe_here()["fields"].keys()
    assert not any(d for model in fields.values() for d in model.values())


EVERY_MODEL = """
import importlib, json, pkgutil, sys
import coherence, coherence.docstrings as d
from pydantic import BaseModel
if sys.argv[1] == "pydantic":  # pydantic's own use_attribute_docstrings, as without source
    d.PYDANTIC_DOCSTRINGS = True
    d.DocumentedModel.model_config["use_attribute_docstrings"] = True
for module in pkgutil.walk_packages(coherence.__path__, "coherence."):
    if module.name != "coherence.__main__":
        try:
            importlib.import_module(module.name)
        except ImportError:  # an optional dependency (the pdf extra)
            pass
found, pending = {}, [BaseModel]
while pending:
    for cls in pending.pop().__subclasses__():
        pending.append(cls)
        if cls.__module__.startswith("coherence."):
            found[f"{cls.__module__}.{cls.__qualname__}"] = {
                name: [info.description, info.alias, info.is_required()]
                for name, info in cls.model_fields.items()
            }
print(json.dumps(found, sort_keys=True))
"""


def test_every_model_described_as_pydantic_would():
    def run(mode: str) -> dict:
        proc = subprocess.run(
            [sys.executable, "-c", EVERY_MODEL, mode],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
            check=True,
        )
        return json.loads(proc.stdout)

    ours, theirs = run("ours"), run("pydantic")
    assert len(ours) > 50
    assert ours == theirs
