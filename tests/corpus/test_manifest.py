"""The source corpus: byte-identical seeds, manifest hashes, sections and quote search."""

from __future__ import annotations

import hashlib

import pytest

from coherence.corpus import load_corpus
from coherence.corpus.manifest import normalise
from tests.conftest import ROOT, SHARED


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "seeds")


def test_every_seed_file_matches_its_manifest_hash(corpus):
    for source in corpus.manifest.sources:
        digest = hashlib.sha256((ROOT / "seeds" / source.file).read_bytes()).hexdigest()
        assert digest == source.sha256, f"{source.file} differs from seeds/sources.yaml"
    assert corpus.hash_mismatches() == []


def test_hash_mismatch_is_detected(tmp_path, corpus):
    for source in corpus.manifest.sources:
        (tmp_path / source.file).write_bytes((ROOT / "seeds" / source.file).read_bytes())
    (tmp_path / "sources.yaml").write_bytes((ROOT / "seeds" / "sources.yaml").read_bytes())
    first = corpus.manifest.sources[0]
    (tmp_path / first.file).write_bytes((ROOT / "seeds" / first.file).read_bytes() + b" ")
    assert load_corpus(tmp_path).hash_mismatches() == [first.id]


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not beside the checkout")
def test_seeds_are_byte_identical_to_the_shared_originals(corpus):
    for source in corpus.manifest.sources:
        original = SHARED / "seeds" / source.file
        assert original.read_bytes() == (ROOT / "seeds" / source.file).read_bytes()


def test_manifest_lists_all_five_seeds_with_metadata(corpus):
    files = sorted(s.file for s in corpus.manifest.sources)
    assert files == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert len(files) == 5
    for source in corpus.manifest.sources:
        assert source.title and source.author and source.kind and 1900 < source.year < 2030


def test_sections_are_contiguous_and_cover_each_file(corpus):
    for source in corpus.manifest.sources:
        total = len((ROOT / "seeds" / source.file).read_text(encoding="utf-8").splitlines())
        assert source.lines == total
        expected_start = 1
        for section in source.sections:
            assert section.lines[0] == expected_start, (source.id, section.heading)
            assert section.lines[1] >= section.lines[0]
            expected_start = section.lines[1] + 1
        assert expected_start == total + 1


def test_seed_002_has_a_section_per_paper(corpus):
    source = next(s for s in corpus.manifest.sources if s.file.startswith("002_"))
    assert source.section_at(2874).heading.startswith("ILO")
    assert source.section_at(3900).heading.startswith("IOM")
    assert "ILO" in source.locator(2874, 2880) and "lines 2874-2880" in source.locator(2874, 2880)


def test_quote_found_across_line_breaks_with_its_lines(corpus):
    text = corpus.text("aleshkovski-2015-imm")
    line_no = next(
        i for i, line in enumerate(text.lines, 1) if "those who support and promote" in line
    )
    quote = "should be applied both to undocumented migrants and to those who support and promote"
    (match,) = corpus.locate("aleshkovski-2015-imm", "  " + quote.replace(" ", "\n  ", 3))
    assert match.first_line == match.last_line == line_no
    assert corpus.contains("aleshkovski-2015-imm", quote)


def test_quote_spanning_lines_reports_first_and_last(corpus):
    src = corpus.text("unpd-2004-cm3")
    # Take the end of one non-empty line and the start of the next as the quote.
    i = next(
        i
        for i in range(100, 400)
        if len(src.lines[i].strip()) > 30 and len(src.lines[i + 1].strip()) > 30
    )
    quote = src.lines[i].strip()[-20:] + "\n" + src.lines[i + 1].strip()[:20]
    matches = corpus.locate("unpd-2004-cm3", quote)
    assert any(m.first_line == i + 1 and m.last_line == i + 2 for m in matches)


def test_absent_quote_is_not_found(corpus):
    assert not corpus.contains("iom-2003-mpi1", "governments must abolish all borders tomorrow")
    assert normalise("  a\n\t b  ") == "a b"


def test_normalise_is_the_regex_collapse_on_every_kind_of_whitespace():
    import random
    import re

    regex = re.compile(r"\s+")
    rng = random.Random(12)
    alphabet = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u3000\ufeffab"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert normalise(text) == regex.sub(" ", text).strip(), repr(text)


def test_searching_within_lines_agrees_with_filtering_every_match(corpus):
    """`occurs_within` searches only the slice of the normalised text the lines span; it
    must answer what filtering `find`'s matches by line gives, at and around every quote
    of the catalogue and the ledger (shifted by a line either way, and off the ends)."""
    from coherence.corpus.ledger import load_ledger
    from coherence.rules.catalog import load_catalogue

    catalogue = load_catalogue(corpus=corpus)
    quotes = [(c.source, c.quote) for r in catalogue.rules for c in r.citations]
    quotes += [(e.passage.source, e.passage.quote) for e in load_ledger().entries]
    assert len(quotes) > 100
    for source, quote in quotes:
        text = corpus.text(source)
        found = text.find(quote)
        assert found
        end = len(text.lines)
        windows = [(0, 3), (1, end + 5), (end, end + 3), (end + 2, end + 9)]
        for m in found:
            a, b = m.first_line, m.last_line
            windows += [(a, b), (a + 1, b), (a, b - 1), (a - 1, b + 1), (a - 1, b - 1)]
        for first, last in windows:
            expected = any(first <= m.first_line and m.last_line <= last for m in found)
            assert text.occurs_within(quote, first, last) is expected, (source, first, last)
    assert not corpus.text(quotes[0][0]).occurs_within("  \n ", 1, 10**6)
