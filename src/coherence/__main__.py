"""`python -m coherence` runs the command line."""

from coherence.cli.main import run

run()
