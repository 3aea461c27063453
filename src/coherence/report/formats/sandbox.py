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


class GuardedEnvironment(SandboxedEnvironment):
    """A sandboxed environment whose renders stop after `step_limit` steps (None: never)."""

    code_generator_class = _CountingGenerator
    step_limit: int | None = None
    steps = 0

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
    """A template that calls itself without end; its message is located and complete."""


def endless(exc: RecursionError) -> EndlessTemplate | None:
    """What to tell for a template that recursed until Python stopped it; None when no
    template is in the traceback (then the recursion is coherence's own)."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.endswith(".py") and not f.filename.startswith("<")
    ]
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
