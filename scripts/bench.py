"""Benchmark unres against its peers on generated corpora of growing size.

    python scripts/bench.py --quick                       # 2,000 and 10,000 paragraphs, < 2 min
    python scripts/bench.py --sizes 20000,100000,500000 --out bench-results/results.json
    python scripts/bench.py --sizes 100000 --skip-unres   # the peers alone

For each size (in paragraphs) the script generates a corpus with ``make_corpus.py`` (or reuses
the one in ``--corpus-dir`` whose manifest matches), parses it with the project's parser — the
same paragraphs for every system — and measures:

- indexing: wall time, paragraphs/s, MB of paragraph text/s, peak memory (the indexing runs in
  a child process that reports its own ``ru_maxrss`` and that of its own children, such as the
  Whoosh sub-writers), index size on disk;
- warm search latency, p50 and p95 over repeated runs in one process, for a fixed mix of
  queries: a common word, a rare word (from the corpus manifest's long tail), one character,
  two characters, four characters, a phrase with a space, a verb filter alone, a session
  filter with a word, and an OR;
- recall and precision of each system's full match set against the truth: the brute-force scan
  for text queries, the parsed paragraphs' verb and session for the filters;
- warm latency of the agreed-language views on unres's index: ``trace`` of two wordings, and
  ``similar`` over a sample of paragraphs spread over the index (:func:`bench_agreed`);
- with ``--api``, the web API (``unres serve`` on loopback): p50 of ``GET /api/search`` over
  the mix and requests/s with 8 concurrent clients;
- cold latency of ``python -m search search 多边主义 --index DIR`` as a new process (median of
  ``--cold-runs``) on the bundled corpus and on the largest index.

The peers (:mod:`peers`) answer the text queries only. A table goes to stdout, every figure to
``--out`` as JSON. Any part that fails (an API not there yet, a crash) is recorded as
``{"error": ...}`` and the run goes on.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
for _path in (str(REPO), str(SCRIPTS)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import make_corpus  # noqa: E402
import peers  # noqa: E402

QUICK_SIZES = (2000, 10000)
DEFAULT_SIZES = (20000, 100000, 500000)
COLD_QUERY = "多边主义"
COMMIT_EVERY = 2000  # search.indexer.COMMIT_EVERY
SWEEP_FILES = 12
SWEEP_COMMIT = 4
# (checkpoint of search.indexer.checkpoint, files committed when it is reached)
SWEEP_POINTS = (
    ("file:2", 0),
    ("whoosh:1", 0),
    ("segment:1", 0),
    ("commit:1", 4),
    ("file:10", 8),
    ("whoosh:3", 8),
    ("commit:3", 12),
)
TITLE_NUMBER = re.compile(r"(?m)^(\s*(?:## )?)\d{1,3}/\d{1,3}\.")
SESSION = 68


def query_mix(rare: str) -> list[dict]:
    """The fixed mix; ``filters`` use the field names of search.engine.Filters."""
    return [
        {"name": "common word", "query": "裁军"},
        {"name": "rare word", "query": rare},
        {"name": "one char", "query": "核"},
        {"name": "two chars", "query": "和平"},
        {"name": "four chars", "query": "多边主义"},
        {"name": "phrase with space", "query": '"核 裁军"'},
        {"name": "verb filter", "query": None, "filters": {"verbs": ["决定"]}},
        {"name": "session + word", "query": "裁军", "filters": {"sessions": [[SESSION, SESSION]]}},
        {"name": "OR", "query": "决定 OR 请"},
    ]


# ---------------------------------------------------------------------------------------------
# Corpus and the shared paragraph list
# ---------------------------------------------------------------------------------------------


def ensure_corpus(root: Path, size: int, seed: int, log) -> tuple[Path, dict, bool]:
    """The corpus of ``size`` paragraphs under ``root``: reused when its manifest matches."""
    directory = root / f"p{size}-seed{seed}"
    manifest_path = directory / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if (
            manifest.get("requested", {}).get("paragraphs") == size
            and manifest.get("seed") == seed
            and manifest.get("generator_version") == make_corpus.GENERATOR_VERSION
        ):
            return directory, manifest, True
    log(f"generating {size} paragraphs into {directory} …")
    return directory, make_corpus.generate(directory, paragraphs=size, seed=seed), False


def _parse_chunk(paths: list[str]) -> list[tuple]:
    from search.parser import ParseError, parse_file

    rows = []
    for path in paths:
        try:
            res = parse_file(path)
        except ParseError:
            continue
        rows.extend((res.symbol, res.session, p.type, p.verb, p.text) for p in res.paragraphs)
    return rows


def load_paragraphs(corpus: Path) -> list[tuple]:
    """(symbol, session, type, verb, text) of every paragraph, files in name order."""
    files = [str(p) for p in sorted(corpus.glob("*.txt"))]
    chunks = [files[i : i + 200] for i in range(0, len(files), 200)]
    if len(chunks) < 4:
        return [row for chunk in chunks for row in _parse_chunk(chunk)]
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        return [row for rows in pool.imap(_parse_chunk, chunks) for row in rows]


def _key(symbol: str, text: str) -> tuple[str, str]:
    return symbol, "".join(text.split())


def truth_for_filters(records: list[tuple], spec: dict, texts_truth: set[int] | None) -> set[int]:
    """What a filter query must return, from the parsed paragraphs themselves."""
    found = set(range(len(records))) if texts_truth is None else set(texts_truth)
    filters = spec.get("filters", {})
    if filters.get("verbs"):
        found = {i for i in found if records[i][3] in filters["verbs"]}
    if filters.get("sessions"):
        ranges = filters["sessions"]
        found = {i for i in found if any(lo <= records[i][1] <= hi for lo, hi in ranges)}
    return found


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    at = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[at]


def timed(call, reps: int, budget: float = 3.0) -> tuple[dict, object]:
    """One warm-up call, then up to ``reps`` timed calls (at least 3 within ``budget`` s)."""
    result = call()
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < reps and (len(samples) < 3 or time.perf_counter() - started < budget):
        begin = time.perf_counter()
        call()
        samples.append((time.perf_counter() - begin) * 1000)
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(_percentile(samples, 0.95), 3),
        "runs": len(samples),
    }, result


def recall_precision(found: set[int], truth: set[int]) -> dict:
    hit = len(found & truth)
    return {
        "matches": len(found),
        "truth": len(truth),
        "recall": round(hit / len(truth), 4) if truth else None,
        "precision": round(hit / len(found), 4) if found else None,
    }


def _maxrss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # KiB on Linux


def _dir_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 2)


def _error(stage: str, error: BaseException | str) -> dict:
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return {"error": f"{stage}: {text}"}


def run_child(args: list[str], timeout: float | None = None, env: dict | None = None) -> dict:
    """Run ``bench.py _child …`` and return the JSON it writes to its last argument."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    try:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "_child", *args, out],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=str(REPO),
            env={**_child_env(), **(env or {})},
        )
        wall = time.perf_counter() - started
        if done.returncode != 0 or not Path(out).stat().st_size:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return _error("child", f"exit {done.returncode}: {' | '.join(tail)}")
        data = json.loads(Path(out).read_text("utf-8"))
        data["process_seconds"] = round(wall, 3)
        return data
    except subprocess.TimeoutExpired:
        return _error("child", f"timed out after {timeout} s")
    finally:
        Path(out).unlink(missing_ok=True)


def _child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    return env


# ---------------------------------------------------------------------------------------------
# Children: indexing with unres, one peer end to end
# ---------------------------------------------------------------------------------------------


def child_index(corpus: str, index_dir: str, commit_every: str, out: str) -> None:
    from search.indexer import index_paths

    started = time.perf_counter()
    report = index_paths([Path(corpus)], Path(index_dir), commit_every=int(commit_every))
    seconds = time.perf_counter() - started
    failed = list(report.failed)
    data = {
        "seconds": round(seconds, 3),
        "added": report.added,
        "replaced": report.replaced,
        "skipped": report.skipped,
        "failed": len(failed),
        "failed_examples": failed[:5],
        "paragraphs": report.paragraphs,
        "peak_rss_mb": _maxrss_mb(resource.RUSAGE_SELF),
        "peak_rss_children_mb": _maxrss_mb(resource.RUSAGE_CHILDREN),
    }
    Path(out).write_text(json.dumps(data, ensure_ascii=False, default=str), "utf-8")


def child_peer(name: str, texts_path: str, queries_path: str, reps: str, out: str) -> None:
    texts = json.loads(Path(texts_path).read_text("utf-8"))
    queries = json.loads(Path(queries_path).read_text("utf-8"))
    base = Path(texts_path).parent
    rss_before = _maxrss_mb(resource.RUSAGE_SELF)
    with peers.PEERS[name](base_dir=base) as peer:
        peer.build(texts)
        data = {
            "build": {
                "seconds": round(peer.build_seconds, 3),
                "peak_rss_mb": _maxrss_mb(resource.RUSAGE_SELF),
                "rss_before_build_mb": rss_before,
                "index_mb": round(peer.size_bytes() / 1e6, 2),
            },
            "search": {},
        }
        for spec in queries:
            try:
                timing, (total, top) = timed(lambda: peer.search(spec["query"]), int(reps))
                found = sorted(peer.matches(spec["query"]))
                data["search"][spec["name"]] = {
                    **timing,
                    "total": total,
                    "top": top,
                    "found": found,
                }
            except Exception as error:  # a peer that cannot run a query: record it, go on
                data["search"][spec["name"]] = _error("search", error)
    Path(out).write_text(json.dumps(data, ensure_ascii=False), "utf-8")


# ---------------------------------------------------------------------------------------------
# The unres side
# ---------------------------------------------------------------------------------------------


def make_filters(Filters, spec: dict | None):
    """search.engine.Filters from the mix's spec, whether it spells ``verbs`` or ``verb``."""
    if not spec:
        return Filters()
    names = {f.name for f in dataclasses.fields(Filters)}
    kwargs = {}
    for key, value in spec.items():
        if key == "sessions":
            value = [tuple(pair) for pair in value]
        if key not in names and key.rstrip("s") in names:
            key, value = key.rstrip("s"), value[0]
        kwargs[key] = value
    return Filters(**kwargs)


def unres_matches(engine, query: str | None, filters, keys: dict) -> tuple[set[int], int]:
    """Every paragraph unres returns, as positions in the shared list; and how many it
    returned that the list does not hold (which would be a mapping problem)."""
    if hasattr(engine, "export"):
        records = engine.export(query, filters)
    else:
        records = (h.__dict__ for h in engine.search(query, filters, limit=10**9).hits)
    found, unmapped = set(), 0
    for record in records:
        positions = keys.get(_key(record["symbol"], record["text"]))
        if positions:
            found.update(positions)
        else:
            unmapped += 1
    return found, unmapped


def bench_unres(
    corpus: Path,
    index_dir: Path,
    records: list[tuple],
    text_bytes: int,
    mix: list[dict],
    truths: dict,
    reps: int,
    skip: tuple[str, ...] = (),
) -> dict:
    indexed = run_child(["index", str(corpus), str(index_dir), str(COMMIT_EVERY)])
    if "error" in indexed:
        return indexed
    seconds = indexed["seconds"]
    indexed.update(
        paragraphs_per_second=round(len(records) / seconds, 1),
        mb_per_second=round(text_bytes / 1e6 / seconds, 3),
        index_mb=_dir_mb(index_dir),
    )
    result = {"index": indexed, "search": {}}
    try:
        from search.engine import Engine, Filters

        engine = Engine.open(index_dir)
    except Exception as error:
        result["search"] = _error("open", error)
        return result
    keys: dict[tuple, list[int]] = {}
    for position, row in enumerate(records):
        keys.setdefault(_key(row[0], row[4]), []).append(position)
    for spec in mix:
        try:
            filters = make_filters(Filters, spec.get("filters"))
            timing, res = timed(lambda: engine.search(spec["query"], filters, limit=10), reps)
            found, unmapped = unres_matches(engine, spec["query"], filters, keys)
            result["search"][spec["name"]] = {
                **timing,
                "total": res.total,
                "top": [h.id for h in res.hits],
                **recall_precision(found, truths[spec["name"]]),
                "unmapped": unmapped,
            }
        except Exception as error:
            result["search"][spec["name"]] = _error("search", error)
    result["agreed"] = bench_agreed(engine, reps)
    for name, measure in (("add_one", add_one), ("kill_sweep", kill_sweep)):
        if name in skip:
            continue
        try:
            result[name] = measure(index_dir, index_dir.parent / f"extra-{name}")
        except Exception as error:
            result[name] = _error(name, error)
            traceback.print_exc()
    return result


def extra_files(folder: Path, count: int) -> list[str]:
    """``count`` resolutions made from the bundled ones under numbers no corpus uses
    (session 999), written to ``folder``; their numbers."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted((REPO / "index_data").glob("*.txt"))
    numbers = []
    for i in range(count):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        number = f"999/{i + 1}"
        (folder / f"extra{i:03d}.txt").write_text(
            TITLE_NUMBER.sub(lambda m: m.group(1) + number + ".", text, count=1), encoding="utf-8"
        )
        numbers.append(number)
    return numbers


def _remove(index_dir: Path, numbers: list[str]) -> float:
    from search.indexer import remove_resolutions

    started = time.perf_counter()
    remove_resolutions(numbers, index_dir)
    return round(time.perf_counter() - started, 3)


def add_one(index_dir: Path, folder: Path) -> dict:
    """Adding one resolution file to the index, then removing it again: wall seconds (a new
    process, as ``unres index FILE``; imports and jieba's load included) and peak memory."""
    numbers = extra_files(folder, 1)
    added = run_child(["index", str(folder), str(index_dir), str(COMMIT_EVERY)])
    if "error" not in added:
        added["remove_seconds"] = _remove(index_dir, numbers)
    shutil.rmtree(folder, ignore_errors=True)
    return added


def kill_sweep(index_dir: Path, folder: Path) -> dict:
    """kill -9 of a run adding SWEEP_FILES resolutions (committing every SWEEP_COMMIT) at
    each of SWEEP_POINTS; after each kill the index must search exactly the paragraphs of the
    last commit, and a rerun must end with each added paragraph exactly once. The added
    resolutions are removed again after each point."""
    from search.engine import Engine, Filters

    numbers = extra_files(folder, SWEEP_FILES)
    per_file = [_paragraphs(path) for path in sorted(folder.iterdir())]
    base = Engine.open(index_dir).stats()["paragraphs"]
    points = {}
    for point, committed in SWEEP_POINTS:
        child = ["index", str(folder), str(index_dir), str(SWEEP_COMMIT)]
        crashed = run_child(child, env={"UNRES_CRASH": f"KILL:{point}"})
        after_kill = Engine.open(index_dir).stats()["paragraphs"]
        started = time.perf_counter()
        rerun = run_child(child)
        rerun_seconds = round(time.perf_counter() - started, 3)
        engine = Engine.open(index_dir)
        ids = [r["id"] for r in engine.export(None, Filters(resolutions=numbers))]
        expected_kill = base + sum(per_file[:committed])
        ok = (
            "error" in crashed  # it was killed
            and after_kill == expected_kill
            and "error" not in rerun
            and len(ids) == len(set(ids)) == sum(per_file)
            and engine.stats()["paragraphs"] == base + sum(per_file)
        )
        points[point] = {
            "ok": ok,
            "searchable_after_kill": after_kill - base,
            "expected_after_kill": expected_kill - base,
            "rerun_seconds": rerun_seconds,
        }
        _remove(index_dir, numbers)
    shutil.rmtree(folder, ignore_errors=True)
    return {"points": points, "ok": all(p["ok"] for p in points.values())}


def _paragraphs(path: Path) -> int:
    from search.parser import parse_file

    return len(parse_file(path).paragraphs)


AGREED_TRACES = {"trace four chars": "多边主义", "trace common word": "裁军"}
SIMILAR_SAMPLE = 30  # paragraphs spread evenly over the index


def bench_agreed(engine, reps: int) -> dict:
    """Warm latency of the agreed-language views: ``trace`` per wording, ``similar`` over a
    sample of paragraphs (one warm-up pass over the sample, then one timed call each)."""
    from search.similar import similar
    from search.trace import trace

    result = {}
    for name, wording in AGREED_TRACES.items():
        try:
            timing, found = timed(lambda: trace(engine, wording), reps)
            result[name] = {**timing, "total": found.total}
        except Exception as error:
            result[name] = _error("trace", error)
    try:
        step = max(engine.catalog.count // SIMILAR_SAMPLE, 1)
        ids = [r["id"] for r in engine.catalog.records(range(0, engine.catalog.count, step))]
        for paragraph in ids:
            similar(engine, paragraph)
        samples, hits = [], 0
        for paragraph in ids:
            begin = time.perf_counter()
            hits += len(similar(engine, paragraph).hits)
            samples.append((time.perf_counter() - begin) * 1000)
        result["similar"] = {
            "p50_ms": round(statistics.median(samples), 3),
            "p95_ms": round(_percentile(samples, 0.95), 3),
            "runs": len(samples),
            "total": hits,
        }
    except Exception as error:
        result["similar"] = _error("similar", error)
    return result


def _agreed_rows(entry: dict) -> list[str]:
    timings = entry["unres"].get("agreed") if isinstance(entry["unres"], dict) else None
    if not timings:
        return []
    rows = [f"{'agreed language':18} {'':>7} | {'p50/p95 ms':>13} {'total':>7}"]
    for name, cell in timings.items():
        if "error" in cell:
            rows.append(f"{name:18} {'':>7} | {cell['error']}")
        else:
            rows.append(
                f"{name:18} {'':>7} | {cell['p50_ms']:6.2f}/{cell['p95_ms']:<6.2f} {cell['total']:7d}"
            )
    return rows


def cold_latency(index_dir: Path, runs: int) -> dict:
    """``python -m search search 多边主义 --index DIR`` as a new process, wall time."""
    command = [sys.executable, "-m", "search", "search", COLD_QUERY, "--index", str(index_dir)]
    samples, last = [], None
    for _ in range(runs):
        started = time.perf_counter()
        last = subprocess.run(
            command, capture_output=True, text=True, cwd=str(REPO), env=_child_env()
        )
        samples.append((time.perf_counter() - started) * 1000)
    data = {
        "command": " ".join(command[1:]),
        "runs_ms": [round(s, 1) for s in samples],
        "median_ms": round(statistics.median(samples), 1),
        "returncode": last.returncode,
    }
    if last.returncode != 0:
        data["stderr"] = last.stderr.strip()[-300:]
    return data


API_CLIENTS = 8
API_SECONDS = 5.0  # the concurrent run stops after this long or API_REQUESTS requests a client
API_REQUESTS = 200


def bench_api(index_dir: Path, mix: list[dict], reps: int) -> dict:
    """``unres serve`` in its own process on loopback: p50 of ``GET /api/search`` over the mix
    (one client, each query ``reps`` times), then requests/s with API_CLIENTS clients at once,
    each cycling through the mix on its own keep-alive connection (bounded in count and time)."""
    import http.client
    import threading
    from urllib.parse import urlencode

    def path(spec: dict) -> str:
        params = [("q", spec["query"])] if spec["query"] else []
        for name, value in (spec.get("filters") or {}).items():
            for item in value:
                text = f"{item[0]}-{item[1]}" if name == "sessions" else item
                params.append((name.rstrip("s"), text))
        return "/api/search?" + urlencode(params + [("limit", 10)])

    def get(connection, url: str) -> float:
        begin = time.perf_counter()
        connection.request("GET", url)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: status {response.status}")
        return (time.perf_counter() - begin) * 1000

    command = [sys.executable, "-m", "search", "serve", "--port", "0", "--index", str(index_dir)]
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, cwd=str(REPO), env=_child_env()
    )
    try:
        address = server.stdout.readline().split()[3]  # "unres is serving http://127.0.0.1:N/"
        host, port = address.removeprefix("http://").rstrip("/").rsplit(":", 1)
        urls = [path(spec) for spec in mix]
        one = http.client.HTTPConnection(host, int(port), timeout=60)
        per_query, samples = {}, []
        for spec, url in zip(mix, urls):
            get(one, url)  # warm-up
            times = [get(one, url) for _ in range(reps)]
            per_query[spec["name"]] = round(statistics.median(times), 2)
            samples += times
        one.close()

        done, failures = [0] * API_CLIENTS, []
        deadline = time.perf_counter() + API_SECONDS

        def client(number: int) -> None:
            connection = http.client.HTTPConnection(host, int(port), timeout=60)
            try:
                while done[number] < API_REQUESTS and time.perf_counter() < deadline:
                    get(connection, urls[(number + done[number]) % len(urls)])
                    done[number] += 1
            except Exception as error:
                failures.append(str(error))
            finally:
                connection.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(API_CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        return {
            "p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(_percentile(samples, 0.95), 2),
            "p50_ms_by_query": per_query,
            "clients": API_CLIENTS,
            "requests": sum(done),
            "requests_per_second": round(sum(done) / elapsed, 1),
            **({"errors": failures[:3]} if failures else {}),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---------------------------------------------------------------------------------------------
# One size, the whole run
# ---------------------------------------------------------------------------------------------


def bench_size(size: int, args, work: Path, log) -> tuple[dict, Path | None]:
    corpus, manifest, reused = ensure_corpus(args.corpus_dir, size, args.seed, log)
    started = time.perf_counter()
    records = load_paragraphs(corpus)
    texts = [row[4] for row in records]
    text_bytes = sum(len(t.encode("utf-8")) for t in texts)
    rare = (manifest.get("rare_terms") or ["无此词"])[0]
    mix = query_mix(rare)
    entry = {
        "paragraphs_requested": size,
        "paragraphs": len(records),
        "files": manifest["count"],
        "corpus_dir": str(corpus),
        "reused_corpus": reused,
        "file_mb": round(manifest["bytes"] / 1e6, 2),
        "text_mb": round(text_bytes / 1e6, 2),
        "parse_seconds": round(time.perf_counter() - started, 2),
        "queries": mix,
    }
    log(
        f"{size}: {len(records)} paragraphs in {manifest['count']} files, parsed in "
        f"{entry['parse_seconds']} s"
    )
    text_mix = [spec for spec in mix if spec["query"] and not spec.get("filters")]
    texts_path, queries_path = work / f"texts-{size}.json", work / f"queries-{size}.json"
    texts_path.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
    queries_path.write_text(json.dumps(text_mix, ensure_ascii=False), "utf-8")

    entry["peers"] = {}
    for name in peers.PEERS:
        if name in args.skip_peers:
            continue
        log(f"{size}: {name} …")
        entry["peers"][name] = run_child(
            ["peer", name, str(texts_path), str(queries_path), str(args.reps)]
        )
    truth = entry["peers"].get("brute-force", {}).get("search", {})
    brute = peers.BruteForce()
    brute.build(texts)
    truths = {}
    for spec in mix:
        known = truth.get(spec["name"], {}).get("found")
        text_truth = (
            set(known)
            if known is not None
            else (brute.matches(spec["query"]) if spec["query"] else None)
        )
        truths[spec["name"]] = truth_for_filters(records, spec, text_truth)
        entry["queries"][mix.index(spec)]["truth_total"] = len(truths[spec["name"]])
    for name, data in entry["peers"].items():
        for qname, result in data.get("search", {}).items():
            if "found" in result:
                result.update(recall_precision(set(result.pop("found")), truths[qname]))

    index_dir = None
    if args.skip_unres:
        entry["unres"] = {"not_run": "--skip-unres"}
    else:
        log(f"{size}: unres …")
        index_dir = work / f"unres-{size}"
        try:
            entry["unres"] = bench_unres(
                corpus,
                index_dir,
                records,
                text_bytes,
                mix,
                truths,
                args.reps,
                ("kill_sweep",) if args.skip_sweep else (),
            )
        except Exception as error:
            entry["unres"] = _error("unres", error)
            traceback.print_exc()
        if args.api and "error" not in entry["unres"]:
            log(f"{size}: unres serve …")
            try:
                entry["api"] = bench_api(index_dir, mix, args.reps)
            except Exception as error:
                entry["api"] = _error("api", error)
    for name, data in entry["peers"].items():
        build = data.get("build")
        if build:
            fast = build["seconds"] < 0.01  # the brute force "builds" in no measurable time
            build["paragraphs_per_second"] = (
                None if fast else round(len(records) / build["seconds"], 1)
            )
            build["mb_per_second"] = None if fast else round(text_bytes / 1e6 / build["seconds"], 3)
    texts_path.unlink(missing_ok=True)
    return entry, index_dir


def run(args, log=print) -> dict:
    work = Path(tempfile.mkdtemp(prefix="unres-bench-"))
    results = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version,
        },
        "settings": {
            "sizes": args.sizes,
            "seed": args.seed,
            "reps": args.reps,
            "cold_runs": args.cold_runs,
            "quick": args.quick,
        },
        "sizes": [],
        "cold": {},
    }
    try:
        largest = None
        for size in args.sizes:
            entry, index_dir = bench_size(size, args, work, log)
            results["sizes"].append(entry)
            if index_dir is not None and "error" not in entry["unres"]:
                largest = (size, index_dir)
        if not args.skip_unres and args.cold_runs > 0:
            log("cold latency …")
            bundled = work / "unres-bundled"
            built = run_child(["index", str(REPO / "index_data"), str(bundled), str(COMMIT_EVERY)])
            results["cold"]["bundled"] = (
                built if "error" in built else cold_latency(bundled, args.cold_runs)
            )
            if largest is not None:
                results["cold"]["largest"] = {
                    "paragraphs_requested": largest[0],
                    **cold_latency(largest[1], args.cold_runs),
                }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(results: dict) -> str:
    lines = []
    for entry in results["sizes"]:
        lines.append(
            f"\n== {entry['paragraphs']} paragraphs, {entry['files']} files, "
            f"{entry['text_mb']} MB of paragraph text =="
        )
        lines.append(
            f"{'system':14} {'build s':>9} {'para/s':>10} {'MB/s':>7} {'peak MB':>8} {'disk MB':>8}"
        )
        systems = {"unres": entry["unres"].get("index", entry["unres"])}
        systems.update({n: d.get("build", d) for n, d in entry["peers"].items()})
        for name, data in systems.items():
            if "error" in data or "not_run" in data:
                lines.append(f"{name:14} {data.get('error') or 'not run'}")
                continue
            peak = data["peak_rss_mb"]
            if data.get("peak_rss_children_mb"):
                peak = f"{peak:.0f}+{data['peak_rss_children_mb']:.0f}"
            lines.append(
                f"{name:14} {data['seconds']:9.2f} "
                f"{_fmt(data['paragraphs_per_second'], 0):>10} "
                f"{_fmt(data['mb_per_second'], 2):>7} {_fmt(peak, 0):>8} "
                f"{data['index_mb']:8.1f}"
            )
        names = ["unres", *entry["peers"]]
        header = f"{'query':18} {'truth':>7}" + "".join(f" | {n:>31}" for n in names)
        lines.append(header)
        lines.append(
            f"{'':26}" + "".join(f" | {'p50/p95 ms':>13} {'total':>7} {'R/P':>9}" for _ in names)
        )
        for spec in entry["queries"]:
            row = f"{spec['name']:18} {spec.get('truth_total', '-'):>7}"
            for name in names:
                source = entry["unres"] if name == "unres" else entry["peers"][name]
                cell = (
                    source.get("search", {}).get(spec["name"])
                    if isinstance(source.get("search"), dict)
                    else None
                )
                if not cell or "error" in cell:
                    row += f" | {'n/a' if not cell else 'error':>31}"
                    continue
                rp = f"{_fmt(cell.get('recall'), 2)}/{_fmt(cell.get('precision'), 2)}"
                row += f" | {cell['p50_ms']:6.2f}/{cell['p95_ms']:<6.2f} {cell['total']:7d} {rp:>9}"
            lines.append(row)
        lines.extend(_agreed_rows(entry))
        api = entry.get("api")
        if api:
            lines.append(
                f"api: {api['error']}"
                if "error" in api
                else f"api GET /api/search over the mix: p50 {api['p50_ms']:.1f} ms, "
                f"p95 {api['p95_ms']:.1f} ms; {api['requests_per_second']:.0f} requests/s "
                f"with {api['clients']} clients ({api['requests']} requests)"
            )
        lines.extend(_change_rows(entry["unres"]))
    for name, cold in results["cold"].items():
        if "error" in cold:
            lines.append(f"cold {name}: {cold['error']}")
        else:
            status = "" if cold["returncode"] == 0 else f" (exit {cold['returncode']})"
            lines.append(
                f"cold `unres search {COLD_QUERY}` on {name}: median "
                f"{cold['median_ms']:.0f} ms over {len(cold['runs_ms'])} runs{status}"
            )
    return "\n".join(lines)


def _change_rows(unres: dict) -> list[str]:
    """The rows of adding one resolution and of the kill -9 sweep."""
    rows = []
    added = unres.get("add_one")
    if added and "error" in added:
        rows.append(f"add one resolution: {added['error']}")
    elif added:
        rows.append(
            f"add one resolution (unres index FILE, new process): {added['process_seconds']:.2f} s "
            f"wall, {added['seconds']:.2f} s indexing, peak {added['peak_rss_mb']:.0f} MB; "
            f"unres remove: {added['remove_seconds']:.2f} s"
        )
    sweep = unres.get("kill_sweep")
    if sweep and "error" in sweep:
        rows.append(f"kill -9 sweep: {sweep['error']}")
    elif sweep:
        failed = [name for name, point in sweep["points"].items() if not point["ok"]]
        slowest = max(point["rerun_seconds"] for point in sweep["points"].values())
        rows.append(
            f"kill -9 sweep ({len(sweep['points'])} points, {SWEEP_FILES} files added): "
            + ("every point recovered" if not failed else f"FAILED at {', '.join(failed)}")
            + f"; slowest rerun {slowest:.2f} s"
        )
    return rows


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list such as 20000,100000") from None
    if not sizes or min(sizes) <= 0:
        raise argparse.ArgumentTypeError("sizes must be positive paragraph counts")
    return sizes


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        {"index": child_index, "peer": child_peer}[argv[1]](*argv[2:])
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"sizes {','.join(map(str, QUICK_SIZES))} and fewer repetitions",
    )
    parser.add_argument("--sizes", type=_sizes, help="paragraph counts, e.g. 20000,100000,500000")
    parser.add_argument("--out", type=Path, default=REPO / "bench-results" / "results.json")
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        default=REPO / "bench-results" / "corpora",
        help="where corpora are generated and reused",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, help="timed runs per query (default 20, quick 7)")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--skip-unres", action="store_true", help="benchmark the peers only")
    parser.add_argument(
        "--api", action="store_true", help="also measure the web API (unres serve) on loopback"
    )
    parser.add_argument(
        "--skip-sweep", action="store_true", help="no kill -9 sweep (tests/test_indexer.py has one)"
    )
    parser.add_argument(
        "--skip-peer", dest="skip_peers", action="append", default=[], choices=list(peers.PEERS)
    )
    args = parser.parse_args(argv)
    args.sizes = args.sizes or list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    args.reps = args.reps or (7 if args.quick else 20)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = run(args, log)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(table(results))
    print(f"\nfigures: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
