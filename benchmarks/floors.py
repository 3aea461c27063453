"""Benchmark: what the libraries alone cost per profile, under issue 12's scale targets.

    python benchmarks/floors.py [--profiles 200]

Issue 12 asks for under 1 s of CPU per 100 profiles of `check --format sarif`, and for
durable-rules at most 2x the reference evaluator. This measures, in one interpreter, on
generated profiles (`generate.py`, seeded), the part of each that coherence's own code does
not decide, in CPU time (user + system of this process):

* per 100 profiles: PyYAML's C parser alone (`yaml.load` with `CSafeLoader`, and its event
  stream alone, which is what coherence's located composer reads), coherence's `parse_yaml`
  (the same events, composed with line marks and the bad-input checks), and pydantic's
  validation of the parsed data (`Profile.model_validate`);
* per profile, in ms: the reference evaluator's whole `truths()`, durable-rules' whole
  `truths()`, and the calls into durable-rules' C core alone within it (each `_core`
  function wrapped with a CPU timer; the wrapping adds its own cost to the total, not to
  the C calls' sum).

The one-profile floor (the interpreter, pydantic with one model, typer, PyYAML) is measured
by `startup.py` ("floor").
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _cpu() -> float:
    return time.process_time()


def parsing(texts: list[str]) -> dict[str, float]:
    """CPU seconds per 100 profiles of each parsing step."""
    import yaml

    from coherence.profile.model import Profile
    from coherence.yamlsource import parse_yaml

    per100 = 100 / len(texts)
    out: dict[str, float] = {}
    start = _cpu()
    docs = [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts]
    out["PyYAML C load"] = (_cpu() - start) * per100
    start = _cpu()
    for t in texts:
        for _ in yaml.parse(t, Loader=yaml.CSafeLoader):
            pass
    out["PyYAML C events only"] = (_cpu() - start) * per100
    start = _cpu()
    for t in texts:
        parse_yaml(t, "p.yaml")
    out["coherence parse_yaml"] = (_cpu() - start) * per100
    start = _cpu()
    for d in docs:
        Profile.model_validate(d)
    out["pydantic validation"] = (_cpu() - start) * per100
    return out


class _Timed:
    """Stands for durable-rules' C core module: every call adds its CPU time to `spent[0]`."""

    def __init__(self, core: Any, spent: list[float]) -> None:
        self._core, self._spent = core, spent

    def __getattr__(self, attr: str) -> Any:
        call = getattr(self._core, attr)

        def timed(*args: Any) -> Any:
            began = _cpu()
            try:
                return call(*args)
            finally:
                self._spent[0] += _cpu() - began

        return timed


def engines(facts: list[dict[str, Any]]) -> dict[str, float]:
    """ms per profile: each engine's truths(), and durable's C calls alone."""
    import coherence.engine.durable as durable
    from coherence.engine.select import available, make_engine
    from coherence.rules.catalog import load_catalogue

    catalogue = load_catalogue()
    out: dict[str, float] = {}
    for name in ("reference", "durable"):
        if name == "durable" and not available():
            continue  # durable-rules not installed here
        engine, _ = make_engine(catalogue, name)
        engine.truths(facts[0])  # warm
        start = _cpu()
        for f in facts:
            engine.truths(f)
        out[f"{name} truths()"] = (_cpu() - start) / len(facts) * 1000
        if name == "durable":
            core, spent = durable._core, [0.0]
            durable._core = _Timed(core, spent)
            try:
                for f in facts:
                    engine.truths(f)
            finally:
                durable._core = core
            out["durable C core alone"] = spent[0] / len(facts) * 1000
    return out


def main() -> None:
    """Print the floors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=200)
    args = parser.parse_args()
    import yaml
    from generate import random_profile

    from coherence.facts import profile_facts
    from coherence.profile.validate import validate_document
    from coherence.yamlsource import YamlDocument

    rng = random.Random(3)
    data = [random_profile(rng, i) for i in range(args.profiles)]
    texts = [yaml.safe_dump(d, sort_keys=False) for d in data]
    facts = [
        profile_facts(validate_document(YamlDocument(f"p{i}.yaml", d))) for i, d in enumerate(data)
    ]
    print(f"{args.profiles} generated profiles; CPU")
    for label, value in parsing(texts).items():
        print(f"  {label:>28}: {value:.3f} s per 100 profiles")
    found = engines(facts)
    for label, value in found.items():
        print(f"  {label:>28}: {value:.3f} ms per profile")
    if "reference truths()" in found and "durable C core alone" in found:
        ratio = found["durable C core alone"] / found["reference truths()"]
        print(f"  {'C core / reference':>28}: {ratio:.1f}x")


if __name__ == "__main__":
    main()
