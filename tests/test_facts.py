"""`coherence.facts`: the paths a rule can read, in the words a report shows them."""

from __future__ import annotations

from coherence.facts import EXCLUSION, readable_paths
from coherence.profile.answers import GROUPS
from coherence.wording import group_name


def test_each_exclusion_question_names_its_group_in_words():
    """The question behind `rights.equal_treatment.excludes.low_skilled_workers` said
    "exclude low skilled workers" (the vocabulary with its underscores taken out), where the
    reasons said "low-skilled workers" (real-country review: jargon in the evidence)."""
    found = 0
    for path, info in readable_paths().items():
        if f".{EXCLUSION}." not in path:
            continue
        group = path.rsplit(".", 1)[1]
        assert group in GROUPS
        assert info.description.endswith(f"leave out {group_name(group)}?"), info.description
        assert "_" not in info.description, info.description
        found += 1
    assert found >= len(GROUPS) * 10  # every answer of the format has one per group
