"""The source corpus: the seed documents that every rule quote is verified against."""

from coherence.corpus.manifest import Corpus, Section, Source, load_corpus

__all__ = ["Corpus", "Section", "Source", "load_corpus"]
