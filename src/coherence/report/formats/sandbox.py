"""The sandbox the HTML templates run in, bounded in depth and in time.

A template from `--template-dir` is someone else's code. Jinja2's sandbox keeps it from
Python's internals, but not from running for ever: a template that extends or includes
itself, or a macro that calls itself, recurses until Python gives up; two nested
`range(100000)` loops pass the sandbox's range limit and run for hours. Here every block a
template enters (a loop's body at each turn, a macro's body at each call) is a step, and a
render from a template folder may take `STEP_LIMIT` steps per report; endless recursion is
told apart from a bug in coherence and named at the template that recurs.
"""

from __future__ import annotations

import builtins
import functools
import re
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment, SecurityError

STEP_LIMIT = 2_000_000
"""Blocks a report may enter when its templates come from a template folder: the packaged
templates enter 2,000 to 5,000 for a full profile (with the appendix), so this leaves room for
any layout and stops a runaway loop within seconds."""


class _CountingGenerator(CodeGenerator):
    """Jinja2's code generator, with a step counted at the start of every block."""

    def blockvisit(self, nodes: Any, frame: Any) -> None:
        self.writeline("environment.tick()")
        super().blockvisit(nodes, frame)

    def visit_Concat(self, node: Any, frame: Any) -> None:
        """`a ~ b`, its result bounded (`SIZE_LIMIT`): doubling a text in a loop fills memory
        in 40 steps, far below the step limit."""
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


SIZE_LIMIT = 10_000_000
"""Characters or items one operation of a template may build (`"a" * n`, `"a".ljust(n)`,
`|center(n)`): a report's longest text is far shorter, and `"a" * 10**10` took 20 GB."""
_PADDING = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
"""String methods whose argument is the length of the text they build."""
_PADDING_FILTERS = frozenset({"center", "indent"})
WRAP_WORK = 10**10
"""The most work `|wordwrap` may do (characters squared over the width): a second or two."""


def _too_large(what: str) -> SecurityError:
    return SecurityError(
        f"{what} would build a text or list of more than {SIZE_LIMIT:,} characters or items, "
        "far more than a report holds; the template was stopped"
    )


def _bounded(name: str, builds: Any) -> Any:
    """A filter whose result is refused past `SIZE_LIMIT` (a text doubled in a loop with
    `|replace` or `|join`), and whose width is, for the padding ones (`|center(10**10)`)."""

    @functools.wraps(builds)  # keeps Jinja's marks (pass_context, pass_eval_context)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if name in _PADDING_FILTERS and any(
            type(a) is int and a > SIZE_LIMIT for a in (*args[1:], *kwargs.values())
        ):
            raise _too_large(f"the filter {name}")
        formats = name == "format" and args and isinstance(args[0], str)
        if formats and _wide_format(args[0], (*args[1:], *kwargs.values())):
            raise _too_large("the filter format")
        if name == "wordwrap" and _slow_wrap(args, kwargs):
            raise _too_large("the filter wordwrap")
        result = builds(*args, **kwargs)
        if isinstance(result, (str, list, tuple)) and len(result) > SIZE_LIMIT:
            raise _too_large(f"the filter {name}")
        return result

    return guarded


_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
"""A `%` field of a text: its width and precision, as digits or `*` (taken from the values)."""


def _wide_format(text: str, values: Any) -> bool:
    """Whether `text % values` would pad a field past `SIZE_LIMIT` (`"%999999999d" % 1` took
    5 GB of memory and more than a minute before it was killed)."""
    given = values if isinstance(values, tuple) else (values,)
    numbers = [v for v in given if type(v) is int]
    for width, precision in _FIELD.findall(text):
        for size in (width, precision):
            if size.isdigit() and int(size) > SIZE_LIMIT:
                return True
            if size == "*" and any(abs(n) > SIZE_LIMIT for n in numbers):
                return True
    return False


def _slow_wrap(args: tuple, kwargs: dict[str, Any]) -> bool:
    """Whether `|wordwrap` would run for minutes: Python's textwrap cuts a long word by
    copying the rest of it at each line, so 9,000,000 letters wrapped at width 1 ran past a
    minute (its work grows as the square of the text over the width)."""
    text = args[1] if len(args) > 1 else kwargs.get("s", "")
    width = args[2] if len(args) > 2 else kwargs.get("width", 79)
    if not isinstance(text, str) or type(width) is not int:
        return False
    return len(text) ** 2 // builtins.max(width, 1) > WRAP_WORK


def _bounded_lipsum(generate: Any) -> Any:
    """Jinja's `lipsum(n, html, min, max)`, refused when it would write more than a report
    holds: `lipsum(1000000)` ran for minutes before its text could be refused."""

    @functools.wraps(generate)
    def guarded(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
        if n * builtins.max(min, max, 0) * 12 > SIZE_LIMIT:  # 12: a word and its space, at most
            raise _too_large(f"lipsum({n:,} paragraphs of up to {max:,} words)")
        return generate(n, html, min, max)

    return guarded


class GuardedEnvironment(SandboxedEnvironment):
    """A sandboxed environment whose renders stop after `step_limit` steps (None: never),
    and whose operations never build a text or list past `SIZE_LIMIT`."""

    code_generator_class = _CountingGenerator
    step_limit: int | None = None
    steps = 0
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {name: _bounded(name, f) for name, f in self.filters.items()}
        if "lipsum" in self.globals:
            self.globals["lipsum"] = _bounded_lipsum(self.globals["lipsum"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """`*`, `**` and `+`, refused when the result would be huge (`"a" * 10**10`, a text
        doubled in a loop)."""
        if operator == "*":
            for items, times in ((left, right), (right, left)):
                sized = isinstance(items, (str, list, tuple)) and type(times) is int
                if sized and len(items) * times > SIZE_LIMIT:
                    raise _too_large(f"'*' ({len(items):,} times {times:,})")
        joined = operator == "+" and all(isinstance(v, (str, list, tuple)) for v in (left, right))
        if joined and len(left) + len(right) > SIZE_LIMIT:
            raise _too_large("'+'")
        if operator == "%" and isinstance(left, str) and _wide_format(left, right):
            raise _too_large("'%' (a width or precision past the limit)")
        whole = operator == "**" and type(left) is int and type(right) is int
        if whole and abs(left) > 1 and right * left.bit_length() > SIZE_LIMIT:
            raise _too_large(f"'**' ({left:,} to the power {right:,})")
        return super().call_binop(context, operator, left, right)

    def bounded(self, value: Any) -> Any:
        """The result of `~`, if within `SIZE_LIMIT`."""
        if len(value) > SIZE_LIMIT:
            raise _too_large("'~'")
        return value

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A call from a template; a padding method of a text (`ljust`) is bounded too."""
        padding = getattr(__obj, "__name__", "") in _PADDING
        on_text = isinstance(getattr(__obj, "__self__", None), str)
        if padding and on_text and any(type(a) is int and a > SIZE_LIMIT for a in args):
            raise _too_large(f"the method {__obj.__name__}")
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, (str, list, tuple)) and len(result) > SIZE_LIMIT:
            raise _too_large(f"the call of {getattr(__obj, '__name__', 'a function')}")
        return result

    def tick(self) -> None:
        """One more block entered; a `SecurityError` past the limit."""
        self.steps += 1
        if self.step_limit is not None and self.steps > self.step_limit:
            raise SecurityError(
                f"the template ran for more than {self.step_limit:,} steps (loops and macro "
                "calls) and was stopped; a report needs far fewer: look for a loop nested in "
                "a loop over a large range"
            )


class EndlessTemplate(TemplateError):
    """A template that calls itself without end, or fails as it runs: its message is
    located and complete."""


def _template_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.endswith(".py") and not f.filename.startswith("<")
    ]


def template_fault(exc: Exception) -> EndlessTemplate | None:
    """A Python error raised by a template's own code (`{{ 1/0 }}`, `{{ 1 + "a" }}`, a range
    past the sandbox's limit), located at the template's line; None when the error was raised
    in coherence's own code (a bug, then)."""
    frames = traceback.extract_tb(exc.__traceback__)
    jinja = Path(SandboxedEnvironment.__module__.replace(".", "/")).parent.as_posix()
    ours = [  # the sandbox's own frames (Jinja's, and this module's) act for the template
        f
        for f in frames
        if f.filename.endswith(".py")
        and f.filename != __file__
        and f"/{jinja}/" not in Path(f.filename).as_posix()
    ]
    template = _template_frames(exc)
    if not template or (ours and frames.index(ours[-1]) > frames.index(template[-1])):
        return None
    said = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, MemoryError):
        said = "the template ran out of memory (a text or list built larger and larger?)"
    return EndlessTemplate(f"{template[-1].filename}:{template[-1].lineno}: template error: {said}")


def endless(exc: RecursionError) -> EndlessTemplate | None:
    """What to tell for a template that recursed until Python stopped it; None when no
    template is in the traceback (then the recursion is coherence's own)."""
    frames = _template_frames(exc)
    if not frames:
        return None
    recurring = Counter(f.filename for f in frames).most_common(1)[0][0]
    frame = next(f for f in reversed(frames) if f.filename == recurring)
    line = frame.line or ""
    name = Path(recurring).name
    for word, how in (("extends", "extends"), ("include", "includes"), ("import", "imports")):
        if word in line:
            said = (
                f"the template {how} itself (directly or through another template); to "
                f'build on the packaged {name}, write {{% {word} "coherence/{name}" %}}'
            )
            break
    else:
        said = "the template calls itself without end (a macro that calls itself?)"
    return EndlessTemplate(f"{recurring}:{frame.lineno}: template error: {said}")
