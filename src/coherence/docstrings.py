"""Field descriptions from attribute docstrings, each module's source parsed once.

Why this module: pydantic's `use_attribute_docstrings` finds the source of every model class
on its own (`inspect`, and before Python 3.13 a walk of the interpreter's frames) and parses
it: about 1 ms of CPU a class, some 60 ms of a one-profile `coherence check` for its ~60
models (issue 12 §4). Here the source of each module is parsed once (about 15 ms for all),
and the docstrings become the fields' descriptions in `DocumentedModel.__init_subclass__`,
which Python calls from inside `type.__new__`: pydantic's metaclass collects the fields
after that (checked with pydantic 2.9 and 2.14).

The result is pydantic's: a docstring is the string statement right after an annotated
assignment, cleaned with `inspect.cleandoc`, and it describes a field that has no
description of its own (`Field(description=...)` in the default or in `Annotated` metadata,
a type alias's included). The documented field gets `Field(default=..., description=doc)`,
or a copy of its `Field(...)` with the description added; private attributes, `ClassVar`s,
`Final`s and descriptor defaults (a function, a property) are left alone, and an annotation
that cannot be resolved when the class is made (a name defined further down) is taken to
carry no description. A class that one parse of its module cannot tell apart (made inside a
function, or two classes of the same name) has its own source parsed, as pydantic does.
Where the package has no source at all (an install of `.pyc` files only),
`PYDANTIC_DOCSTRINGS` is true and pydantic's own option is used instead: it then finds no
docstrings either. tests/test_docstrings.py compares every model with pydantic's result.
"""

from __future__ import annotations

import ast
import builtins
import copy
import dataclasses
import inspect
import sys
import textwrap
import typing
from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.fields import FieldInfo, ModelPrivateAttr

ClassDocs = dict[str, tuple[str, ast.expr]]
"""Attribute name -> (its docstring, the AST of its annotation), for one class."""


def _readable_source(module_name: str) -> str | None:
    """The source text of an imported module, or None (no source, or no such module)."""
    module = sys.modules.get(module_name)
    loader = getattr(getattr(module, "__spec__", None), "loader", None)
    try:
        return loader.get_source(module_name) if loader is not None else None
    except (ImportError, OSError, AttributeError):
        return None


PYDANTIC_DOCSTRINGS = _readable_source(__name__) is None
"""True when this package's source cannot be read: pydantic's `use_attribute_docstrings`
then does the work (and finds nothing either)."""


class _Visitor(ast.NodeVisitor):
    """pydantic's `DocstringVisitor` semantics: a string statement that directly follows an
    annotated assignment to a name documents that name; nested classes and functions are not
    looked into."""

    def __init__(self) -> None:
        self.target: str | None = None
        self.annotation: ast.expr | None = None
        self.previous: type[ast.AST] | None = None
        self.docs: ClassDocs = {}

    def visit(self, node: ast.AST) -> Any:
        result = super().visit(node)
        self.previous = type(node)
        return result

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name):
            self.target = node.target.id
            self.annotation = node.annotation

    def visit_Expr(self, node: ast.Expr) -> None:
        if (
            isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and self.previous is ast.AnnAssign
        ):
            if self.target and self.annotation is not None:
                self.docs[self.target] = (inspect.cleandoc(node.value.value), self.annotation)
            self.target = None

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        pass

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        pass

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        pass


def _class_docs(node: ast.ClassDef) -> ClassDocs:
    visitor = _Visitor()
    visitor.generic_visit(node)
    return visitor.docs


_MODULES: dict[str, dict[str, list[tuple[int, ClassDocs]]] | None] = {}
"""Module name -> class qualified name -> (line, docs) of each class so named; None when
the module's source cannot be read or parsed."""


def _module_classes(module_name: str) -> dict[str, list[tuple[int, ClassDocs]]] | None:
    if module_name in _MODULES:
        return _MODULES[module_name]
    found: dict[str, list[tuple[int, ClassDocs]]] | None = None
    source = _readable_source(module_name)
    if source is not None:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            tree = None
        if tree is not None:
            found = {}
            pending: list[tuple[str, list[ast.stmt]]] = [("", tree.body)]
            while pending:
                prefix, body = pending.pop()
                for stmt in body:
                    if isinstance(stmt, ast.ClassDef):
                        name = prefix + stmt.name
                        found.setdefault(name, []).append((stmt.lineno, _class_docs(stmt)))
                        pending.append((name + ".", stmt.body))
    _MODULES[module_name] = found
    return found


def _own_source_docs(cls: type) -> ClassDocs:
    """The docstrings of a class found by its own source, as pydantic finds them."""
    try:
        lines, _ = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return {}
    text = textwrap.dedent("".join(lines))
    if text.startswith((" ", "\t")):  # a dedented multi-line string inside the class
        text = "def _wrapper():\n" + text
    try:
        stmt = ast.parse(text).body[0]
    except (SyntaxError, IndexError):
        return {}
    if isinstance(stmt, ast.FunctionDef) and stmt.name == "_wrapper":
        stmt = stmt.body[0]
    return _class_docs(stmt) if isinstance(stmt, ast.ClassDef) else {}


def class_docstrings(cls: type) -> ClassDocs:
    """The attribute docstrings written in the body of `cls` (not of its bases)."""
    classes = _module_classes(cls.__module__)
    if classes is None:
        return {}
    candidates = classes.get(cls.__qualname__, [])
    if len(candidates) == 1:
        return candidates[0][1]
    first_line = getattr(cls, "__firstlineno__", None)  # Python 3.13+
    matching = [docs for line, docs in candidates if line == first_line]
    if len(matching) == 1:
        return matching[0]
    return _own_source_docs(cls)  # made in a function, or two classes of that name


_UNRESOLVED = object()


def _resolve(node: ast.expr, namespace: Mapping[str, Any]) -> Any:
    """The object a name or dotted name stands for at class creation, or `_UNRESOLVED`."""
    if isinstance(node, ast.Name):
        if node.id in namespace:
            return namespace[node.id]
        return getattr(builtins, node.id, _UNRESOLVED)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, namespace)
        return _UNRESOLVED if base is _UNRESOLVED else getattr(base, node.attr, _UNRESOLVED)
    return _UNRESOLVED


def _head(annotation: ast.expr) -> ast.expr:
    return annotation.value if isinstance(annotation, ast.Subscript) else annotation


def _head_name(annotation: ast.expr) -> str | None:
    head = _head(annotation)
    if isinstance(head, ast.Name):
        return head.id
    return head.attr if isinstance(head, ast.Attribute) else None


def _explicit_description(annotation: ast.expr, namespace: Mapping[str, Any]) -> bool:
    """Whether the annotation's `Annotated` metadata (written out or through a type alias)
    holds a `FieldInfo` with a description, which a docstring does not replace.

    A name not defined yet when the class is made (a forward reference: a class defined
    further down) is taken to carry no description."""
    head = _resolve(_head(annotation), namespace)
    if head is _UNRESOLVED:
        return False
    if head is typing.Annotated or getattr(head, "_name", None) == "Annotated":
        try:
            code = compile(ast.Expression(annotation), "<annotation>", "eval")
            resolved = eval(code, {"__builtins__": builtins}, namespace)
        except Exception:  # unevaluable here: pydantic reports it, if it must
            return False
    elif typing.get_origin(head) is typing.Annotated:
        resolved = head
    else:
        return False
    metadata = getattr(resolved, "__metadata__", ())
    return any(isinstance(m, FieldInfo) and m.description is not None for m in metadata)


def _described(value: FieldInfo, doc: str) -> FieldInfo:
    """A copy of `value` with `doc` as its description, as if written in its `Field(...)`."""
    new = copy.copy(value)
    new.metadata = list(value.metadata)
    new.description = doc
    attributes = getattr(value, "_attributes_set", None)
    if isinstance(attributes, dict):  # the explicitly given arguments, merged by pydantic
        new._attributes_set = {**attributes, "description": doc}
    return new


def document_fields(cls: type) -> None:
    """Set the attribute docstrings of `cls` as its fields' descriptions, before pydantic
    collects the fields (see the module docstring)."""
    docs = class_docstrings(cls)
    if not docs:
        return
    try:
        annotations: Mapping[str, Any] | None = inspect.get_annotations(cls)  # its own only
    except Exception:  # not evaluable yet (Python 3.14 without the __future__ import)
        annotations = None  # then the source says which names are annotated
    module = sys.modules.get(cls.__module__)
    namespace = ChainMap(cls.__dict__, getattr(module, "__dict__", {}))
    for name, (doc, annotation) in docs.items():
        if name.startswith("_") or (annotations is not None and name not in annotations):
            continue  # a private attribute, or an annotation in a branch not taken
        if _head_name(annotation) in ("ClassVar", "Final"):
            continue
        if _explicit_description(annotation, namespace):
            continue
        if name in cls.__dict__:
            value = cls.__dict__[name]
            if isinstance(value, FieldInfo):
                if value.description is None:
                    setattr(cls, name, _described(value, doc))
            elif not _special(value):  # a plain default
                setattr(cls, name, Field(default=value, description=doc))
        elif not hasattr(cls, name):  # a required field
            setattr(cls, name, Field(description=doc))
        # else inherited from a base that is not a model: left to pydantic


def _special(value: Any) -> bool:
    """A class attribute that is not a plain default: a private attribute, a dataclass
    field, a descriptor (property, function)."""
    return isinstance(value, (ModelPrivateAttr, dataclasses.Field)) or hasattr(
        type(value), "__get__"
    )


class DocumentedModel(BaseModel):
    """Base of coherence's models: attribute docstrings document the fields (see above)."""

    model_config = ConfigDict(use_attribute_docstrings=PYDANTIC_DOCSTRINGS)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if not PYDANTIC_DOCSTRINGS:
            document_fields(cls)
        super().__init_subclass__(**kwargs)
