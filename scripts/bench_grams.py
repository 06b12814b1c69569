"""Benchmark search.grams at the target scale on a synthetic corpus.

The corpus recombines random slices of the real corpus lines (index_data/*.txt) into documents of
100-200 characters and replaces about one character in twelve with a random CJK ideograph, so the
vocabulary is not tiny. The recombination makes common strings far more frequent than in real
text (every source line recurs thousands of times): the figures are pessimistic.

    python scripts/bench_grams.py                 # 500,000 documents
    python scripts/bench_grams.py --docs 50000    # quicker

    python scripts/bench_grams.py --words         # with word spans: build cost, whole_word()
    python scripts/bench_grams.py --memory        # build time and peak RSS increment, 100k and 500k

--memory builds each size in a fresh subprocess (peak RSS is per process and never goes down),
resets the peak after the corpus is made, and reports ru_maxrss after the build minus the RSS
before it, i.e. what the build itself adds on top of the caller's data, and the size of the index.

Prints build and load time, peak RSS, on-disk size, and p50/p95 of GramIndex.docs() per kind of
query, measured on the index as loaded from disk (memory-mapped), after one warm-up pass. "size"
is the number of documents found, or for text()+spans() the length of the text.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.grams import GramIndex  # noqa: E402

CJK_FIRST, CJK_LAST = 0x4E00, 0x9FFF
RANDOM_CJK_SHARE = 1 / 12
CHUNK_LENGTHS = (8, 40)
DOC_LENGTHS = (100, 200)
SAMPLES_PER_KIND = 200
WORD_LENGTH = 2.5  # mean length of the random words of --words
REPEATS = 3


def _source() -> np.ndarray:
    """The code points of the real corpus lines, normalized roughly and concatenated."""
    lines = []
    for path in sorted((ROOT / "index_data").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            lines.append(" ".join(unicodedata.normalize("NFKC", line).casefold().split()))
    return np.frombuffer("".join(lines).encode("utf-32-le"), dtype=np.uint32)


def synthetic_corpus(n_docs: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    source = _source()
    doc_lens = rng.integers(*DOC_LENGTHS, n_docs, endpoint=True)
    total = int(doc_lens.sum())
    chunk_lens = rng.integers(*CHUNK_LENGTHS, total // CHUNK_LENGTHS[0] + 1, endpoint=True)
    chunk_lens = chunk_lens[: int(np.searchsorted(np.cumsum(chunk_lens), total)) + 1]
    chunk_starts = rng.integers(0, len(source) - CHUNK_LENGTHS[1], len(chunk_lens))
    # Index of each output character in the source: its chunk's start plus its place in the chunk.
    chunk_of = np.repeat(np.arange(len(chunk_lens)), chunk_lens)[:total]
    first_out = np.concatenate(([0], np.cumsum(chunk_lens)[:-1]))
    codes = source[chunk_starts[chunk_of] + np.arange(total) - first_out[chunk_of]]
    swap = rng.random(total) < RANDOM_CJK_SHARE
    codes[swap] = rng.integers(CJK_FIRST, CJK_LAST, int(swap.sum()), endpoint=True)
    big = codes.astype(np.uint32).tobytes().decode("utf-32-le")
    bounds = np.concatenate(([0], np.cumsum(doc_lens))).tolist()
    return [big[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _is_cjk(s: str) -> bool:
    return all(CJK_FIRST <= ord(c) <= CJK_LAST for c in s)


def query_sets(texts: list[str], index: GramIndex, seed: int) -> dict[str, list[str]]:
    rng = np.random.default_rng(seed + 1)

    def substrings(n: int, count: int) -> list[str]:
        found = []
        while len(found) < count:
            text = texts[rng.integers(len(texts))]
            start = int(rng.integers(len(text) - n + 1))
            found.append(text[start : start + n])
        return found

    def with_doc_count(n: int, lo: int, hi: int, count: int) -> list[str]:
        found = []
        while len(found) < count:
            q = substrings(n, 1)[0]
            if lo <= len(index.docs(q)[0]) <= hi:
                found.append(q)
        return found

    chars = sorted(
        {c for text in texts[:2000] for c in text if _is_cjk(c)},
        key=lambda c: -len(index.docs(c)[0]),
    )
    bigrams = sorted(
        {q for q in substrings(2, 5000) if _is_cjk(q)}, key=lambda q: -len(index.docs(q)[0])
    )
    absent = []
    while len(absent) < 20:
        q = "".join(chr(c) for c in rng.integers(CJK_FIRST, CJK_LAST, 4))
        if not len(index.docs(q)[0]):
            absent.append(q)
    return {
        "1 char, common": chars[:20],
        "1 char, rare": chars[-20:],
        "2 chars, common": bigrams[:20],
        "4 chars, rare": with_doc_count(4, 1, 5, 20),
        "2 chars": substrings(2, SAMPLES_PER_KIND),
        "3 chars": substrings(3, SAMPLES_PER_KIND),
        "4 chars": substrings(4, SAMPLES_PER_KIND),
        "6 chars": substrings(6, SAMPLES_PER_KIND),
        "absent": absent,
    }


def random_words(texts: list[str], seed: int) -> list[list[list[int]]]:
    """A stand-in for jieba: each document cut at random into words of 1-4 characters."""
    rng = np.random.default_rng(seed + 2)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    doc_starts = np.concatenate(([0], np.cumsum(lens)))
    cuts = rng.random(int(lens.sum())) < 1 / WORD_LENGTH
    cuts[doc_starts[:-1][lens > 0]] = True
    starts = np.flatnonzero(cuts)
    ends = np.append(starts[1:], len(cuts))
    per_doc = np.searchsorted(starts, doc_starts)
    local = starts - np.repeat(doc_starts[:-1], np.diff(per_doc))
    spans = np.stack([local, local + ends - starts], axis=1).tolist()
    return [spans[a:b] for a, b in zip(per_doc[:-1].tolist(), per_doc[1:].tolist())]


def timed(call, queries: list) -> tuple[np.ndarray, float]:
    """Milliseconds per call over REPEATS passes after a warm-up pass, and the median result size."""
    for q in queries:
        call(q)
    times, sizes = [], []
    for _ in range(REPEATS):
        for q in queries:
            start = time.perf_counter()
            result = call(q)
            times.append(time.perf_counter() - start)
            sizes.append(len(result[0]))
    return np.array(times) * 1000, float(np.median(sizes))


def print_table(title: str, call, sets: dict[str, list]) -> None:
    print(f"\n{title:<22}{'n':>5}{'size (median)':>15}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind, queries in sets.items():
        ms, size = timed(call, queries)
        p50, p95 = np.percentile(ms, [50, 95])
        print(f"{kind:<22}{len(queries):>5}{size:>15,.0f}{p50:>9.2f}{p95:>9.2f}{ms.max():>9.2f}")


def whole_word_docs(index: GramIndex, q: str) -> tuple[np.ndarray, np.ndarray]:
    """What the engine does to rank whole words first: occurrences that are one word, per doc."""
    positions = index.find(q)
    return index.doc_counts(positions[index.whole_word(positions, len(q))])


def highlight(index: GramIndex, hit: tuple[int, str]) -> tuple[str, list]:
    doc, q = hit
    return index.text(doc), index.spans(doc, q)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak since the last reset) from /proc, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def _reset_peak_rss() -> None:
    """Make VmHWM start again from the current RSS (Linux), so the build's own peak shows."""
    Path("/proc/self/clear_refs").write_text("5")


def build(texts: list[str], words: list | None) -> GramIndex:
    _reset_peak_rss()
    before = _rss_mb("VmRSS")
    start = time.perf_counter()
    built = GramIndex.build(texts, words)
    elapsed = time.perf_counter() - start
    peak = _rss_mb("VmHWM")
    print(f"build: {elapsed:.1f} s, RSS {before:,.0f} MB before, peak {peak:,.0f} MB during")
    return built


def save_and_load(built: GramIndex, directory: Path) -> GramIndex:
    start = time.perf_counter()
    built.save(directory)
    print(f"save: {time.perf_counter() - start:.1f} s")
    sizes = {p.name: p.stat().st_size for p in directory.iterdir()}
    print(f"on disk: {sum(sizes.values()) / 2**20:,.0f} MB")
    for name, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"  {name:<18}{size / 2**20:>9,.1f} MB")
    start = time.perf_counter()
    index = GramIndex.load(directory)
    print(f"load: {(time.perf_counter() - start) * 1000:.1f} ms")
    return index


MEMORY_SIZES = (100_000, 500_000)


def memory_child(n_docs: int, seed: int) -> None:
    """One measurement, in its own process: build n_docs documents, print time and peak growth."""
    texts = synthetic_corpus(n_docs, seed)
    chars = sum(map(len, texts))
    _reset_peak_rss()
    before = _rss_mb("VmRSS")
    start = time.perf_counter()
    built = GramIndex.build(texts)
    elapsed = time.perf_counter() - start
    grown = _peak_rss_mb() - before
    index_mb = sum(a.nbytes for a in built._a.values()) / 2**20
    print(
        f"{n_docs:>9,} docs {chars / 1e6:6.1f} M chars: build {elapsed:6.1f} s, "
        f"peak +{grown:,.0f} MB ({grown * 2**20 / chars:.1f} B/char), "
        f"RSS before {before:,.0f} MB, index {index_mb:,.0f} MB"
    )


def memory_report(seed: int, sizes: tuple[int, ...]) -> None:
    import subprocess

    for n_docs in sizes:
        command = [sys.executable, __file__, "--memory-child", str(n_docs), "--seed", str(seed)]
        subprocess.run(command, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--words", action="store_true", help="also index random word spans")
    parser.add_argument(
        "--keep", type=Path, help="save the index here, not in a temporary directory"
    )
    parser.add_argument(
        "--memory", action="store_true", help="build peak RSS and time, 100k and 500k"
    )
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.seed)
        return
    if args.memory:
        memory_report(args.seed, MEMORY_SIZES)
        return

    start = time.perf_counter()
    texts = synthetic_corpus(args.docs, args.seed)
    words = random_words(texts, args.seed) if args.words else None
    elapsed = time.perf_counter() - start
    print(f"corpus: {len(texts):,} docs, {sum(map(len, texts)):,} chars, made in {elapsed:.1f} s")
    print(f"peak RSS making the corpus: {_peak_rss_mb():,.0f} MB")
    built = build(texts, words)
    del words

    with tempfile.TemporaryDirectory() as tmp:
        index = save_and_load(built, args.keep or Path(tmp) / "grams")
        del built
        sets = query_sets(texts, index, args.seed)
        print_table("docs(q)", index.docs, sets)
        if index.has_word_spans:
            longer = {kind: queries for kind, queries in sets.items() if "1 char" not in kind}
            print_table("whole-word docs", lambda q: whole_word_docs(index, q), longer)
        hits = [(int(index.docs(q)[0][0]), q) for q in sets["4 chars"][:50]]
        print_table("text()+spans()", lambda hit: highlight(index, hit), {"one hit": hits})
        print(f"\nRSS after the queries: {_rss_mb('VmRSS'):,.0f} MB (memory maps included)")


if __name__ == "__main__":
    main()
