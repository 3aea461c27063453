"""Tools for rule authors, above the assessment layer: `coherence rules lint` (`lint`, with
`counting` and `severity`) and `coherence rules test` (`cases`).

They evaluate rules (the reference evaluator, the assessment's decisions), so they sit above
`coherence.assessment`; the rule format itself (`coherence.rules`) does not depend on them.
"""
