"""coherence: a policy-coherence rules engine for national migration policy.

Library use::

    from coherence import assess, load_catalogue, load_profile
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coherence")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"


def __getattr__(name: str):  # lazy: `coherence --version` must not import the engine
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
