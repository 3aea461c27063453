"""The library API: check a profile without the command line.

from coherence import assess, load_catalogue, load_profile
result = assess(load_profile(Path("profiles/example-origin.yaml")), load_catalogue())
print(result.scores["overall"].score)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coherence.assessment.decide import build_assessment
from coherence.assessment.waivers import waiver_problems
from coherence.diagnostics import InputError
from coherence.engine.base import Engine
from coherence.engine.select import EngineName, make_engine
from coherence.facts import profile_facts
from coherence.findings import Assessment
from coherence.profile.validate import LoadedProfile, load_profile
from coherence.rules.catalog import Catalogue


def assess(
    profile: LoadedProfile | Path | str,
    catalogue: Catalogue,
    engine: EngineName | Engine = "auto",
    today: dt.date | None = None,
    check_waivers: bool = True,
    keep_answers: bool = True,
) -> Assessment:
    """Evaluate every rule of `catalogue` against one profile.

    `engine` is `auto` (durable-rules where it imports), `durable`, `reference`, or an
    engine object. `today` decides which waivers have expired (default: today's date).
    Raises `InputError` for an invalid profile or, unless `check_waivers` is false (the
    caller checked them against a fuller catalogue), a waiver naming an unknown rule. With
    `keep_answers` false, the assessment leaves out the profile's answers and details
    (`Assessment.answers` and `.details`, for `coherence diff`).
    """
    loaded = profile if isinstance(profile, LoadedProfile) else load_profile(Path(profile))
    problems = waiver_problems(loaded, catalogue) if check_waivers else []
    if problems:
        raise InputError(problems)
    chosen = make_engine(catalogue, engine)[0] if isinstance(engine, str) else engine
    facts = profile_facts(loaded, read=catalogue.answers_read)
    truths = chosen.truths(facts)
    today = today or dt.date.today()
    return build_assessment(loaded, catalogue, facts, truths, chosen.name, today, keep_answers)
