"""The country-profile format: models, loading and validation."""

from coherence.profile.model import THEMES, Profile
from coherence.profile.validate import LoadedProfile, load_profile

__all__ = ["THEMES", "LoadedProfile", "Profile", "load_profile"]
