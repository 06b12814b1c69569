"""The pages in a real browser: Debian's Chromium (with a CJK font) driven by Playwright, against
``unres serve`` on the bundled corpus plus the hostile resolution.

In CI (``CI`` set) this always runs: a missing browser is a failure, not a skip, because .ci/run
installs it. Elsewhere it is skipped when /usr/bin/chromium is absent. Screenshots of the search
and resolution pages go to $UNRES_SCREENSHOTS, else to pytest's temporary folder.
"""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from search.engine import Engine, Filters
from search.formats import csv_lines
from search.normalize import normalize

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not os.environ.get("CI") and not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(web_index):
    process = subprocess.Popen(
        [sys.executable, "-m", "search", "serve", "--port", "0", "--index", str(web_index)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("unres is serving http://127.0.0.1:"), line
    yield line.split()[3].rstrip("/")
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = Path(os.environ.get("UNRES_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def problems() -> list[str]:
    """What went wrong in the page: script errors, failed loads, dialogs (alert())."""
    return []


@pytest.fixture
def page(browser, problems):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss())
    )
    yield page
    context.close()
    assert problems == []  # no script error, no blocked resource, no alert() from a resolution


def submit_query(page: Page, base: str, query: str) -> None:
    page.goto(base + "/")
    page.fill("#q", query)
    with page.expect_navigation():
        page.press("#q", "Enter")


def test_a_reader_searches_narrows_reads_follows_and_downloads(
    page, server, web_index, screenshots
):
    engine = Engine.open(web_index)
    submit_query(page, server, "多边主义")
    marks = page.locator("li.hit p.text mark")
    expect(marks.first).to_be_visible()
    assert {normalize(text) for text in marks.all_inner_texts()} == {"多边主义"}
    total = engine.search("多边主义").total
    expect(page.locator(".total strong")).to_have_text(str(total))
    page.screenshot(path=str(screenshots / "search.png"))

    bar = page.locator(".histogram a.bar", has=page.locator(".label", has_text="75"))
    count = bar.locator(".count").inner_text()
    bar.click()
    assert "session=75" in page.url
    expect(page.locator(".total strong")).to_have_text(count)
    expect(page.locator(".chips a")).to_contain_text("届会：75")

    page.locator("li.hit a.symbol").first.click()
    expect(page.locator("h1")).to_have_text("促进裁军和不扩散领域的多边主义")
    anchor = page.url.partition("#")[2]
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    expect(page.locator(f"#{anchor} mark")).to_have_text("多边主义")  # the words searched for

    page.locator(".citations .counts a", has_text="67/38").click()  # the citation
    expect(page.locator(".resolution .symbol")).to_have_text("A/RES/67/38")
    expect(page.locator(".citing")).to_contain_text("A/RES/75/47")
    page.screenshot(path=str(screenshots / "resolution.png"))

    page.go_back()
    page.go_back()  # the hits of session 75
    with page.expect_download() as download:
        page.locator(".downloads a", has_text="CSV").click()
    body = Path(download.value.path()).read_text(encoding="utf-8")
    narrowed = Filters(sessions=[(75, 75)])
    assert body == "".join(csv_lines(engine.export("多边主义", narrowed)))  # BOM first
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == int(count) and {row["session"] for row in rows} == {"75"}


def test_hostile_text_shows_as_text_and_runs_nothing(page, server):
    page.goto(server + "/resolution?number=76/666")
    expect(page.locator("#pre1 .text")).to_contain_text("<img src=x onerror=alert('para')>")
    expect(page.locator("#pre2 .text")).to_contain_text("<script>alert('x')</script>")
    assert page.locator(".resolution img, .resolution script").count() == 0
    submit_query(page, server, "onerror")
    expect(page.locator("li.hit p.text")).to_contain_text("<img src=x")


def test_search_as_you_type(page, server, problems):
    page.goto(server + "/")
    page.locator("#q").press_sequentially("核裁军", delay=50)
    expect(page.locator("li.hit mark").first).to_have_text("核裁军")
    assert page.url.endswith("/?q=%E6%A0%B8%E8%A3%81%E5%86%9B")
    page.locator("#q").press_sequentially(' "', delay=50)  # an open quote: an error so far
    page.wait_for_timeout(800)
    expect(page.locator("li.hit mark").first).to_have_text("核裁军")  # the last results stay
    assert problems == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    problems.clear()


def test_the_search_box_completes_the_word_being_typed(page, server):
    page.goto(server + "/")
    page.locator("#q").press_sequentially("裁军 多边", delay=50)
    options = page.locator("#words option")
    # The list of the last prefix typed: an earlier one (多) may be shown for a moment first.
    page.wait_for_function(
        "() => { const v = [...document.querySelectorAll('#words option')].map(o => o.value);"
        " return v.length > 0 && v.every(x => x.startsWith('裁军 多边')); }"
    )
    values = options.evaluate_all("options => options.map(o => o.value)")
    assert values[0] == "裁军 多边"  # the commonest word first
    assert "裁军 多边主义" in values and all(v.startswith("裁军 多边") for v in values)


def test_everything_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    page.fill("#q", "裁军")
    with page.expect_navigation():
        page.press("#q", "Enter")
    expect(page.locator("li.hit mark").first).to_have_text("裁军")
    page.locator(".facet .counts a", has_text="执行段").click()
    assert "type=operative" in page.url
    page.locator(".pager a[rel=next]").click()
    assert "page=2" in page.url
    context.close()


def test_a_drafter_traces_a_wording_and_compares_two_resolutions(page, server, screenshots):
    submit_query(page, server, "多边主义")
    page.locator(".total a", has_text="追溯此措辞").click()
    expect(page.locator("h1")).to_have_text("“多边主义”")
    bars = page.locator("svg a.bar")
    expect(bars.first).to_be_visible()
    assert bars.count() == 3  # sessions 67, 68 and 75
    assert page.locator("svg rect").first.bounding_box()["height"] > 50
    expect(page.locator("table.uses tbody tr")).to_have_count(3)
    page.screenshot(path=str(screenshots / "trace.png"), full_page=True)

    page.locator("table.uses a", has_text="A/RES/75/47").click()
    expect(page.locator("h1")).to_have_text("促进裁军和不扩散领域的多边主义")
    page.locator("a", has_text="与上一届比较").click()
    expect(page.locator(".versus")).to_contain_text("A/RES/67/38")
    op5 = page.locator("ol.pairs > li", has=page.locator(".key a", has_text="op5"))
    expect(op5.locator("del")).to_have_text("呼吁")
    expect(op5.locator("ins")).to_have_text("促请")
    op5.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "diff.png"))
