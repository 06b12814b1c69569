"""The web pages and the JSON API through Starlette's test client, on the bundled corpus plus a
hostile resolution file; expectations come from the engine and the command line, not typed in."""

import csv
import hashlib
import io
import json
import signal
import subprocess
import sys
import urllib.request
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from starlette.testclient import TestClient

from search.cli import cli
from search.engine import Engine, Filters
from search.normalize import normalize
from search.web.app import create_app, openapi_document
from search.web.views import VIEWS
from search.words import word_forms


@pytest.fixture(scope="module")
def engine(web_index):
    return Engine.open(web_index)


@pytest.fixture(scope="module")
def client(engine):
    return TestClient(create_app(engine), raise_server_exceptions=False)


def unres(web_index, *args):
    return CliRunner().invoke(cli, [*args, "--index", str(web_index)])


def soup(response):
    assert response.headers["content-type"].startswith("text/html")
    return BeautifulSoup(response.text, "html.parser")


# --------------------------------------------------------------------------- search page


def test_search_page_marks_every_match_and_counts_all(client, engine):
    page = soup(client.get("/", params={"q": "多边主义"}))
    total = engine.search("多边主义").total
    assert page.select_one(".total strong").text == str(total)
    hits = page.select("li.hit")
    assert len(hits) == min(total, 20)
    for hit in hits:
        marks = [normalize(mark.text) for mark in hit.select("p.text mark")]
        assert marks and set(marks) == {"多边主义"}


def test_hit_links_to_its_paragraph_marked_on_the_resolution_page(client, engine):
    hit = soup(client.get("/", params={"q": "推进多边核裁军谈判的选择办法"})).select_one("li.hit")
    href = hit.select_one("a.symbol")["href"]
    assert href == "/resolution?number=68/46&q=推进多边核裁军谈判的选择办法#op9"
    page = soup(client.get(href.partition("#")[0]))
    assert [m.text for m in page.select("mark")] == ["推进多边核裁军谈判的选择办法"]
    assert page.find(id="op9").select_one("mark")
    marked = soup(client.get("/resolution", params={"number": "68/46", "q": "裁军"}))
    paragraphs = {p["id"] for p in marked.select("p.para") if p.select("mark")}
    expected = engine.search("裁军", Filters(resolutions=["68/46"]), limit=100).hits
    assert paragraphs == {hit.id.split("#")[1] for hit in expected}
    response = client.get("/api/resolution", params={"number": "68/46", "q": '"裁军'})
    assert response.status_code == 400 and "unbalanced quote" in response.json()["error"]


def test_paging_shows_the_next_hits(client, engine):
    everything = [hit.id for hit in engine.search("裁军", limit=100).hits]
    second = soup(client.get("/", params={"q": "裁军", "page": 2}))
    shown = [a["href"] for a in second.select("li.hit a.symbol")]
    assert len(shown) == 20
    assert [h.replace("/resolution?number=", "").split("#")[1] for h in shown] == [
        pid.split("#")[1] for pid in everything[20:40]
    ]
    assert second.select_one(".pager a[rel=prev]")["href"] == "/?q=裁军"


def test_facets_count_the_whole_result_and_narrow_it(client, engine):
    records = list(engine.export("裁军"))
    page = soup(client.get("/", params={"q": "裁军"}))
    bars = {
        int(bar.select_one(".label").text): int(bar.select_one(".count").text)
        for bar in page.select(".histogram a.bar")
    }
    assert bars == Counter(record["session"] for record in records)
    link = page.select_one(".histogram a.bar")["href"]
    session = min(bars)
    assert link == f"/?q=裁军&session={session}"
    narrowed = soup(client.get(link))
    assert narrowed.select_one(".total strong").text == str(bars[session])
    facets = client.get("/api/search", params={"q": "裁军"}).json()["facets"]
    assert facets["by_type"] == Counter(record["type"] for record in records)
    verbs = Counter(record["verb"] for record in records if record["verb"])
    assert len(facets["verbs"]) == 10 and all(verbs[v] == n for v, n in facets["verbs"].items())
    assert list(facets["verbs"].values()) == sorted(verbs.values(), reverse=True)[:10]
    shown = [a.select_one(".name").text for a in page.select(".facet .counts a")]
    assert "执行段" in shown and next(iter(facets["verbs"])) in shown


def test_filter_chip_removes_its_filter(client):
    page = soup(client.get("/", params={"q": "裁军", "session": "68", "type": "operative"}))
    chips = {a.text.split("：")[0]: a["href"] for a in page.select(".chips a")}
    assert chips["届会"] == "/?q=裁军&type=operative"
    assert chips["段落类型"] == "/?q=裁军&session=68"


def test_search_form_keeps_the_filters_when_the_words_change(client):
    form = soup(client.get("/", params={"q": "裁军", "session": "68"})).select_one("form.search")
    assert form["action"] == "/" and form["method"] == "get"
    hidden = {(i["name"], i["value"]) for i in form.select("input[type=hidden]")}
    assert hidden == {("session", "68")}


@pytest.mark.parametrize("path", ["/", "/?q=", "/?q=&session="])
def test_landing_page_shows_the_corpus_and_its_facets(client, engine, path):
    page = soup(client.get(path))
    assert page.html["lang"] == "zh-Hans"
    strong = [s.text for s in page.select(".landing strong")]
    assert strong[:2] == [str(engine.stats()["resolutions"]), str(engine.stats()["paragraphs"])]
    assert page.select(".histogram a.bar")


# --------------------------------------------------------------------------- resolution page


def test_resolution_page_shows_every_paragraph_with_its_anchor(client, engine):
    records = engine.resolution("68/46")
    page = soup(client.get("/resolution", params={"number": "68/46"}))
    assert page.h1.text == records[0]["title"]
    anchors = [p["id"] for p in page.select("p.para")]
    assert sorted(anchors) == sorted(record["id"].split("#")[1] for record in records)
    op9 = page.find(id="op9")
    assert op9.select_one("a.num").text == "9."
    assert [h.text for h in page.select(".part h2")] == ["序言部分", "执行部分", "脚注"]
    note = page.select_one("p.preamble sup a")
    assert page.find(id=note["href"][1:])["class"] == ["para", "footnote"]


def test_citations_link_both_ways(client):
    later = soup(client.get("/resolution", params={"number": "75/47"}))
    cited = {a.text: a["href"] for a in later.select(".citations .counts a")}
    assert cited == {"67/38": "/resolution?number=67/38"}  # the only one indexed
    earlier = soup(client.get(cited["67/38"]))
    citing = [a.text for a in earlier.select(".citing > li > a:first-child")]
    assert citing == ["A/RES/75/47"]


def test_api_resolution_is_what_show_prints_plus_ids_and_citations(client, web_index):
    shown = json.loads(unres(web_index, "show", "68/46", "--json").stdout)
    served = client.get("/api/resolution", params={"number": "A/RES/68/46"}).json()
    assert served["paragraphs"][8]["id"] == "A/RES/68/46#pre9"
    for paragraph in served["paragraphs"]:
        del paragraph["id"], paragraph["highlights"]
    assert served.pop("query") is None
    assert served == shown
    assert [entry["resolution"] for entry in served["cited_by"]] == ["76/666"]
    assert served["cited_by"][0]["paragraphs"] == ["A/RES/76/666#pre1"]
    assert not served["cites"][0]["indexed"]  # 67/56 is not in the bundled corpus


def test_resolution_page_shows_its_lineage_and_compares_with_its_predecessor(client):
    page = soup(client.get("/resolution", params={"number": "75/47"}))
    series = page.select(".series li")
    assert [li.select_one("a, strong").text for li in series] == ["A/RES/67/38", "A/RES/75/47"]
    assert series[1].select_one("strong")["aria-current"] == "page"  # this one, not a link
    assert series[0].a["href"] == "/resolution?number=A/RES/67/38"
    compare = page.find("a", string="与上一届比较")
    assert compare["href"] == "/diff?new=75/47"
    assert page.find("a", string="与下一届比较") is None
    earlier = soup(client.get("/resolution", params={"number": "67/38"}))
    assert earlier.find("a", string="与下一届比较")["href"] == "/diff?old=67/38&new=A/RES/75/47"
    assert earlier.find("a", string="与上一届比较") is None


def test_each_paragraph_links_to_its_similar_paragraphs(client, engine):
    page = soup(client.get("/resolution", params={"number": "75/47"}))
    link = page.find(id="op2").select_one("a.similar")
    assert link.text == "相似段落" and link["href"] == "/similar?id=A/RES/75/47%23op2"
    assert len(page.select("p.para a.similar")) == len(page.select("p.para"))
    similar = soup(client.get(link["href"]))
    first = similar.select_one("li.hit")
    assert first.select_one("a.symbol")["href"] == "/resolution?number=A/RES/67/38#op2"
    assert first.select_one(".share").text == "完全相同"
    assert first.select_one("p.text").text == "又重申多边主义是解决裁军和不扩散问题的核心原则；"
    assert first.select("p.text del, p.text ins") == []
    near = similar.select("li.hit")[1]  # 67/38's op1: about half its words in common
    assert near.select_one(".share").text.endswith("% 词语相同")
    pieces = [(node.name, node.text) for node in near.select_one("p.text").children]
    assert {"del", "ins"} <= {name for name, _ in pieces}
    source = similar.select_one(".source").text
    near_id = near.select_one("a.symbol").text.replace(" ", "#")
    printed = next(r["text"] for r in engine.resolution("67/38") if r["id"] == near_id)
    assert "".join(text for name, text in pieces if name != "del") == printed
    assert "".join(text for name, text in pieces if name != "ins") == source


def test_unknown_resolution_is_404_with_the_command_line_message(client, web_index):
    message = unres(web_index, "show", "99/1").stderr.strip().removeprefix("Error: ")
    response = client.get("/api/resolution", params={"number": "99/1"})
    assert (response.status_code, response.json()) == (404, {"error": message})
    page = client.get("/resolution", params={"number": "99/1"})
    assert page.status_code == 404 and message in soup(page).select_one(".message").text


# --------------------------------------------------------------------------- agreed language


def test_trace_page_charts_the_uses_per_session_and_lists_the_resolutions(client, engine):
    search = soup(client.get("/", params={"q": "多边主义", "type": "operative", "page": 2}))
    link = search.select_one(".total a.trace")
    assert link.text == "追溯此措辞" and link["href"] == "/trace?q=多边主义&type=operative"
    page = soup(client.get(link["href"]))
    records = list(engine.export("多边主义", Filters(types=["operative"])))
    per_session = Counter(str(record["session"]) for record in records)
    bars = {a["aria-label"]: a["href"] for a in page.select("svg a.bar")}
    assert bars == {
        f"第{session}届会议：{n} 段": f"/?q=多边主义&session={session}&type=operative"
        for session, n in per_session.items()
    }
    sessions = [t.text for t in page.select("svg text.session")]
    assert sessions == [str(s) for s in range(67, 76)]  # the sessions between, empty, too
    first = page.select_one(".uses a.first")
    symbol, _, key = records[0]["id"].partition("#")
    assert first["href"] == f"/resolution?number={symbol}&q=多边主义#{key}"
    rows = [[td.text for td in tr.select("td")] for tr in page.select("table.uses tbody tr")]
    used = Counter(record["symbol"] for record in records)
    assert [(row[0], int(row[4])) for row in rows] == list(used.items())


def test_trace_page_that_finds_nothing_says_so(client):
    page = soup(client.get("/trace", params={"q": "不存在的措辞"}))
    assert "没有使用“不存在的措辞”的段落" in page.select_one("p.none").text
    assert page.select("svg") == []


def test_diff_page_marks_the_words_changed(client, web_index):
    printed = json.loads(unres(web_index, "diff", "75/47", "--json").stdout)
    page = soup(client.get("/diff", params={"new": "75/47"}))
    assert page.h1.text == "促进裁军和不扩散领域的多边主义"
    pairs = page.select("ol.pairs > li")
    assert len(pairs) == len(printed["pairs"])
    for item, pair in zip(pairs, printed["pairs"]):
        assert item["class"] == ["pair", pair["status"]]
        text = item.select_one("p.text")
        removed = [c["text"] for c in pair["changes"] if c["kind"] == "removed"]
        added = [c["text"] for c in pair["changes"] if c["kind"] == "added"]
        assert [d.text for d in text.select("del")] == removed
        assert [i.text for i in text.select("ins")] == added
    op5 = next(item for item in pairs if item.select_one(".key a").text == "op5")
    assert (op5.select_one("del").text, op5.select_one("ins").text) == ("呼吁", "促请")
    assert op5.select_one(".status").text == "修改"
    assert op5.select_one(".key a")["href"] == "/resolution?number=A/RES/75/47#op5"
    counts = {li["class"][1]: li.strong.text for li in page.select(".statuses li.status")}
    assert counts == {"same": "13", "moved": "0", "changed": "10", "added": "3", "removed": "0"}


@pytest.mark.parametrize(
    ("api", "cli_args"),
    [
        ("/api/trace?q=多边主义&session=67-70", ["trace", "多边主义", "--session", "67-70"]),
        ("/api/trace?q=不存在的措辞", ["trace", "不存在的措辞"]),
        ("/api/lineage?number=75/47", ["lineage", "75/47"]),
        ("/api/diff?new=75/47", ["diff", "75/47"]),
        ("/api/diff?old=68/46&new=A/RES/75/47", ["diff", "68/46", "A/RES/75/47"]),
        ("/api/similar?id=A/RES/75/47%23op2", ["similar", "A/RES/75/47#op2"]),
        ("/api/similar?id=75/47%23op1&limit=2", ["similar", "75/47#op1", "--limit", "2"]),
    ],
)
def test_agreed_language_api_is_what_the_command_prints(client, web_index, api, cli_args):
    printed = json.loads(unres(web_index, *cli_args, "--json").stdout)
    assert client.get(api).json() == printed


@pytest.mark.parametrize(
    ("api", "cli_args", "status"),
    [
        ("/api/trace?q=", ["trace", ""], 400),
        ("/api/trace?q=(核", ["trace", "(核"], 400),
        ("/api/similar?id=75/47", ["similar", "75/47"], 400),
        ("/api/similar?id=75/47%23op99", ["similar", "75/47#op99"], 400),
        ("/api/diff?new=67/38", ["diff", "67/38"], 400),
        ("/api/diff?old=99/1&new=75/47", ["diff", "99/1", "75/47"], 404),
        ("/api/lineage?number=99/1", ["lineage", "99/1"], 404),
    ],
)
def test_agreed_language_errors_are_the_command_lines(client, web_index, api, cli_args, status):
    message = unres(web_index, *cli_args).stderr.strip().removeprefix("Error: ")
    response = client.get(api)
    assert (response.status_code, response.json()) == (status, {"error": message})
    page = client.get(api.removeprefix("/api"))
    assert page.status_code == status and message in soup(page).select_one(".message").text


def test_lineage_page_links_each_step_to_its_diff(client):
    page = soup(client.get("/lineage", params={"number": "67/38"}))
    assert page.select_one(".series strong").text == "A/RES/67/38"
    step = page.select_one(".series .step a")
    assert step["href"] == "/diff?old=A/RES/67/38&new=A/RES/75/47"
    assert client.get(step["href"]).status_code == 200


def paragraphs_per_word(engine, prefix: str) -> Counter:
    """How many paragraphs hold each word starting with ``prefix``, from the words the gram
    index keeps for each paragraph (not from Whoosh, which completion reads)."""
    grams = engine.catalog.grams
    return Counter(
        word
        for doc in range(engine.catalog.count)
        for word in set(word_forms(grams, doc))
        if word.startswith(prefix)
    )


def test_completion_offers_the_commonest_indexed_words_starting_with_the_prefix(client, engine):
    for prefix in ("多边", "核", "裁军"):
        expected = paragraphs_per_word(engine, prefix)
        words = client.get("/api/complete", params={"prefix": prefix, "limit": 50}).json()
        assert words["prefix"] == prefix
        assert {e["word"]: e["paragraphs"] for e in words["words"]} == expected
        counts = [entry["paragraphs"] for entry in words["words"]]
        assert counts == sorted(counts, reverse=True)
    top = client.get("/api/complete", params={"prefix": "核", "limit": 2}).json()["words"]
    commonest = sorted(paragraphs_per_word(engine, "核").values(), reverse=True)
    assert [e["paragraphs"] for e in top] == commonest[:2]
    assert client.get("/api/complete", params={"prefix": "不存在的词"}).json()["words"] == []
    response = client.get("/api/complete", params={"prefix": "核" * 51})
    assert response.status_code == 400 and "the most is 50" in response.json()["error"]
    assert client.get("/complete", params={"prefix": "核"}).status_code == 404  # no page


# --------------------------------------------------------------------------- API


def test_api_search_is_what_search_json_prints_plus_facets(client, web_index):
    printed = json.loads(unres(web_index, "search", "核武器", "--limit", "7", "--json").stdout)
    served = client.get("/api/search", params={"q": "核武器", "limit": 7}).json()
    assert {key: served[key] for key in printed} == printed
    assert served["facets"]["by_type"] and served["pages"] == -(-printed["total"] // 7)


def test_api_stats_is_what_stats_prints(client, web_index):
    assert client.get("/api/stats").json() == json.loads(unres(web_index, "stats", "--json").stdout)


@pytest.mark.parametrize(
    ("params", "cli_args"),
    [
        ({"q": "裁军", "session": "6x"}, ["search", "裁军", "--session", "6x"]),
        ({"q": '"核 裁军'}, ["search", '"核 裁军']),
        ({"q": "裁军", "from": "2013-13"}, ["search", "裁军", "--from", "2013-13"]),
        ({"q": "foo:bar"}, ["search", "foo:bar"]),
        ({}, ["search"]),
    ],
)
def test_bad_parameters_get_400_and_the_command_lines_message(client, web_index, params, cli_args):
    message = unres(web_index, *cli_args).stderr.strip().removeprefix("Error: ")
    response = client.get("/api/search", params=params)
    assert (response.status_code, response.json()) == (400, {"error": message})


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"q": "核" * 1001}, "1001 characters long; the most is 1000"),
        ({"q": "核", "limit": "1001"}, "limit=1001 is above 1000"),
        ({"q": "核", "limit": "0"}, "limit=0 is below 1"),
        ({"q": "核", "page": "two"}, "page='two' is not a whole number"),
        ({"q": "核", "sesion": "68"}, "unknown parameter 'sesion'"),
        ({"q": "核", "session": ["68"] * 21}, "session is given 21 times; the most is 20"),
        ({"q": ["核", "裁军"]}, "parameter q is given 2 times; give it once"),
        ({"q": "核", "type": "preface"}, "paragraph type 'preface' is unknown"),
    ],
)
def test_oversized_or_unknown_parameters_are_refused(client, params, fragment):
    for path in ("/api/search", "/"):
        response = client.get(path, params=params)
        assert response.status_code == 400
        text = response.json()["error"] if path.startswith("/api") else response.text
        assert fragment in text.replace("&#39;", "'")


def test_no_stack_trace_ever_reaches_a_response(engine, monkeypatch):
    client = TestClient(create_app(engine), raise_server_exceptions=False)

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(engine, "search", broken)
    for path in ("/api/search?q=核", "/?q=核"):
        response = client.get(path)
        assert response.status_code == 500
        assert "secret" not in response.text and "Traceback" not in response.text
        assert "internal error" in response.text
    assert client.get("/api/nothing").json() == {"error": "Not Found"}


def test_openapi_describes_every_parameter_the_api_takes(client):
    document = client.get("/openapi.json").json()
    assert document == openapi_document() and document["openapi"].startswith("3.")
    for view in VIEWS.values():
        operation = document["paths"][f"/api/{view.name}"]["get"]
        assert [p["name"] for p in operation["parameters"]] == [p.name for p in view.params]
    limit = next(
        p for p in document["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["schema"]["maximum"] == 1000


# --------------------------------------------------------------------------- downloads


def test_downloads_are_what_export_writes(client, web_index):
    for suffix, args in (("csv", ["--csv"]), ("jsonl", [])):
        written = unres(web_index, "export", "裁军", "--session", "68", *args).stdout
        response = client.get(f"/download.{suffix}", params={"q": "裁军", "session": "68"})
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        assert response.text == written  # the CSV's BOM included, once
        assert response.text.count("\ufeff") == (suffix == "csv")
    rows = list(
        csv.DictReader(io.StringIO(client.get("/download.csv?q=裁军").text.lstrip("\ufeff")))
    )
    assert all("裁军" in normalize(row["text"]) for row in rows) and rows


def test_download_with_a_bad_query_is_a_400_not_a_broken_file(client):
    response = client.get("/download.csv", params={"q": "(裁军"})
    assert response.status_code == 400 and "error" in response.json()


# --------------------------------------------------------------------------- safety


def test_hostile_resolution_text_is_shown_never_run(client):
    for path in (
        "/?q=onerror",
        "/resolution?number=76/666",
        "/?q=alert",
        "/trace?q=onerror",
        "/similar?id=76/666%23pre1",
        "/diff?old=68/64&new=76/666",
        "/lineage?number=76/666",
    ):
        response = client.get(path)
        page = soup(response)
        assert [s.get("src") for s in page.find_all("script")] == ["/static/search.js"]
        assert page.find_all("img") == []
        assert not any(attr.startswith("on") for tag in page.find_all(True) for attr in tag.attrs)
        assert "default-src 'self'" in response.headers["content-security-policy"]
    page = soup(client.get("/resolution", params={"number": "76/666"}))
    assert "<img src=x onerror=alert('para')>报告与 \"引号\" & 符号" in page.text
    assert "<script>alert('x')</script>" in page.text
    trace = soup(client.get("/trace", params={"q": "<script>"}))
    assert trace.h1.text == "“<script>”" and trace.select("svg a.bar")
    similar = soup(client.get("/similar", params={"id": "76/666#pre2"}))
    assert "<script>alert('x')</script>" in similar.select_one(".source").text


def test_a_query_is_echoed_as_text(client):
    query = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    page = soup(client.get("/", params={"q": query}))
    assert page.select_one("#q")["value"] == query
    assert [s.get("src") for s in page.find_all("script")] == ["/static/search.js"]
    assert page.find_all("img") == []


def test_the_server_never_writes_the_index(client, web_index):
    def fingerprint():
        return {
            str(path): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(web_index.rglob("*"))
            if path.is_file()
        }

    before = fingerprint()
    for path in (
        "/?q=核",
        "/api/search?q=裁军&sort=date",
        "/resolution?number=68/46",
        "/download.jsonl",
    ):
        assert client.get(path).status_code == 200
    assert fingerprint() == before


# --------------------------------------------------------------------------- no JavaScript


def test_every_link_on_the_pages_works_without_script(client):
    seen = set()
    starts = ("/?q=裁军&session=68", "/resolution?number=75/47", "/", "/trace?q=多边主义")
    for start in starts + ("/diff?new=75/47", "/similar?id=75/47%23op2", "/lineage?number=75/47"):
        for link in soup(client.get(start)).select("a[href]"):
            href = link["href"].partition("#")[0]
            if href.startswith("/") and href not in seen:
                seen.add(href)
                assert client.get(href).status_code == 200, href
    assert len(seen) > 30


# --------------------------------------------------------------------------- unres serve


def test_serve_prints_its_local_address_answers_and_stops_on_ctrl_c(web_index):
    server = subprocess.Popen(
        [sys.executable, "-m", "search", "serve", "--port", "0", "--index", str(web_index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline()
        assert line.startswith("unres is serving http://127.0.0.1:")
        address = line.split()[3]
        with urllib.request.urlopen(address + "api/stats", timeout=10) as response:
            assert json.load(response)["resolutions"] == 6
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=10) == 0
        assert server.stderr.read() == "unres stopped serving\n"
    finally:
        server.kill()
        server.wait(timeout=10)


def test_serve_on_a_port_in_use_is_a_one_line_error(web_index):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = unres(web_index, "serve", "--port", str(port))
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"
    )


def test_body_and_header_fields_filter_the_api_and_the_facets(client):
    everything = client.get("/api/search", params={"q": "裁军", "limit": 1}).json()
    assert everything["facets"]["by_body"] == {"GA": everything["total"]}
    assembly = client.get("/api/search", params={"q": "裁军", "body": "GA", "limit": 1}).json()
    assert assembly["total"] == everything["total"]
    council = client.get("/api/search", params={"q": "裁军", "body": "SC"}).json()
    assert council["total"] == 0
    report = client.get("/api/search", params={"report": "A/68/411", "limit": 100}).json()
    assert {hit["symbol"] for hit in report["hits"]} == {"A/RES/68/46"}
    wrong = client.get("/api/search", params={"q": "裁军", "body": "ECOSOC"})
    assert wrong.status_code == 400 and "body" in wrong.json()["error"]
