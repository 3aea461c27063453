"""coherence: a policy-coherence rules engine for national migration policy."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coherence")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
