"""Random valid profiles for benchmarks (seeded, so runs are comparable)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

from coherence.facts import readable_paths
from coherence.profile.model import iso3166_alpha3

ANSWERS = ["yes", "partial", "no", "unknown", "not_applicable"]
UN_STATUSES = ["not_signed", "signed", "ratified", "acceded", "unknown"]
ILO_STATUSES = ["not_ratified", "ratified", "denounced", "unknown"]
CODES = ["PHL", "QAT", "MYS", "NPL", "SAU", "IND"]
MINISTRIES = ["Interior", "Labour", "Health", "Justice", "Foreign Affairs", "Planning"]


def random_profile(rng: random.Random, index: int) -> dict[str, Any]:
    """One random, valid profile; about one answer in eight is left out."""
    data: dict[str, Any] = {
        "format_version": 2,
        "country": {
            # ISO codes only (not the user-assigned XKX): older trees compared against refuse them.
            "code": rng.choice([c for c in iso3166_alpha3() if not c.startswith("X")]),
            "name": f"Country {index}",
        },
        "as_of": f"20{rng.randint(20, 26)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "prepared_by": "benchmark",
        "roles": rng.sample(["origin", "transit", "destination"], rng.randint(1, 3)),
        "illustrative": True,
    }
    for path, info in readable_paths().items():
        parts = path.split(".")
        if not info.question or (len(parts) == 3 and not path.endswith(".status")):
            continue
        if rng.random() < 0.125:
            continue
        section = data.setdefault(parts[0], {})
        if info.kind == "status":
            section[parts[1]] = {
                "status": rng.choice(UN_STATUSES if "signed" in info.values else ILO_STATUSES),
                "incorporated_in_law": rng.choice(ANSWERS),
            }
        elif info.kind == "number":
            section[parts[1]] = {"value": rng.randint(0, 5_000_000), "year": 2020}
        elif path.endswith("_countries"):  # the lists of country codes
            section[parts[1]] = rng.sample(CODES, rng.randint(0, 3))
        elif info.kind == "list":
            section[parts[1]] = rng.sample(MINISTRIES, rng.randint(0, 4))
        elif path == "labour_channels.bilateral_agreements":
            answer = rng.choice(ANSWERS)
            section[parts[1]] = {"answer": answer}
            if answer in ("yes", "partial"):  # a list goes only with an answer that has one
                section[parts[1]]["agreements"] = [
                    {"partner": c, "monitored": rng.choice(ANSWERS)} for c in rng.sample(CODES, 2)
                ]
        elif path == "coordination.coordination_bodies":
            answer = rng.choice(ANSWERS)
            section[parts[1]] = {"answer": answer}
            if answer in ("yes", "partial"):
                section[parts[1]]["bodies"] = [
                    {"name": "Council", "members": rng.sample(MINISTRIES, 3)}
                ]
        else:
            answer = rng.choice(ANSWERS)
            if rng.random() < 0.3:
                section[parts[1]] = {
                    "answer": answer,
                    "practice": rng.choice(["yes", "partial", "no", "unknown"]),
                    # Groups left out only where the answer covers someone.
                    "excludes": rng.sample(
                        ["domestic_workers", "seasonal_workers"],
                        rng.randint(0, 1) if answer in ("yes", "partial") else 0,
                    ),
                    "evidence": [{"title": "Act", "article": "Art. 1", "date": "2019-01-01"}],
                    "note": "Benchmark note.",
                }
            else:
                section[parts[1]] = answer
    return data


def write_profiles(
    folder: Path, count: int, seed: int = 7, distinct_dates: bool = False
) -> list[Path]:
    """Write `count` random profiles as YAML files into `folder`. With `distinct_dates`, each
    profile's `as_of` is its own day (from 1990-01-01 on), so that no two profiles of one
    country share a date, as `coherence compare` requires of a time series."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"profile-{i:05d}.yaml"
        data = random_profile(rng, i)
        if distinct_dates:
            data["as_of"] = (dt.date(1990, 1, 1) + dt.timedelta(days=i)).isoformat()
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths
