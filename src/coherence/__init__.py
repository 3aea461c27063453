"""coherence: a policy-coherence rules engine for national migration policy.

Library use::

    from coherence import assess, load_catalogue, load_profile
"""


def _version() -> str:
    # importlib.metadata costs ~40-60 ms to import: only paid when the version is asked for.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("coherence")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0+unknown"


def __getattr__(name: str):  # lazy: `coherence --version` must not import the engine
    if name == "__version__":
        found = globals()["__version__"] = _version()
        return found
    if name == "assess":
        from coherence.api import assess

        return assess
    if name == "load_catalogue":
        from coherence.rules.catalog import load_catalogue

        return load_catalogue
    if name == "load_profile":
        from coherence.profile.validate import load_profile

        return load_profile
    raise AttributeError(name)


__all__ = ["__version__", "assess", "load_catalogue", "load_profile"]
