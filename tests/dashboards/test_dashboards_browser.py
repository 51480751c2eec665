"""The dashboards in a real browser (Debian's chromium through Playwright).

One server for the module (``embedding-lab dashboards`` with preheated kernels,
as users run it), on a free port, serving a course with known grades.
Screenshots are kept in ``artifacts/screenshots/`` for a human to look at.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from support import browser as browser_harness
from autograder.dashboards import all_dashboards

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("EMBEDDING_LAB_ARTIFACTS", REPO_ROOT / "artifacts")) / "screenshots"
HIGHLIGHT_RGB = "rgb(253, 230, 138)"      # widgets._html.HIGHLIGHT, #fde68a


@pytest.fixture(scope="module")
def server(tmp_path_factory, course_template):
    work = tmp_path_factory.mktemp("dashboards")
    course_dir = shutil.copytree(course_template, work / "course")
    srv = browser_harness.DashboardServer(work, course_dir=course_dir,
                                          db_url=f"sqlite:///{course_dir / 'gradebook.db'}")
    try:
        srv.wait_until_up()
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(browser_harness.CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run tools/install-system-packages.sh browser")
    with sync_playwright() as playwright:
        browser = browser_harness.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request):
    # Tall enough that screenshots show a whole dashboard (Voila scrolls inside its shell).
    context = chromium.new_context(viewport={"width": 1280, "height": 2200})
    page = context.new_page()
    page.set_default_timeout(60_000)
    # Console errors, uncaught errors, and requests that leave the dashboard server.
    page.log = browser_harness.PageLog(page)
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "-").rstrip("]")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()


def test_landing_page_links_to_every_dashboard(server, page):
    page.goto(server.url)
    hrefs = page.eval_on_selector_all("ul.dashboards a", "links => links.map(a => a.href)")
    assert hrefs == [f"{server.url}voila/render/{d.slug}.ipynb" for d in all_dashboards()]
    page.click("li[data-slug=lookup] a")
    page.wait_for_selector(".el-result")
    assert page.url == hrefs[0]


@pytest.mark.parametrize("slug", [d.slug for d in all_dashboards()])
def test_dashboard_renders_without_errors(server, page, slug):
    browser_harness.open_dashboard(page, server.url, slug)
    assert browser_harness.page_problems(page) == []
    # Nothing from a CDN either (Voila's lab template fetches Font Awesome; ours does not).
    assert page.log.problems() == []
    for selector in browser_harness.PROBES[slug].ready:
        assert page.locator(selector).first.is_visible(), selector


def _highlighted_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "tr.el-row", f"""rows => rows.filter(r => getComputedStyle(r.cells[1]).backgroundColor
                                             === {HIGHLIGHT_RGB!r}).map(r => r.dataset.row)""")


def test_lookup_slider_moves_with_the_keyboard(server, page):
    from widgets._lookup_model import LookupModel

    # The same explorer as lookup.ipynb, computed here independently of the page.
    model = LookupModel(sentence="北京欢迎你", dim=4, seed=0)
    browser_harness.open_dashboard(page, server.url, "lookup")
    assert _highlighted_rows(page) == ["0"]
    handle = browser_harness.slider_handle(page, "token index")
    handle.focus()
    for index in (1, 2):
        handle.press("ArrowRight")
        # Each view is its own widget and arrives in its own message: wait for every one.
        page.wait_for_selector(f".el-highlight[data-row='{index}']")
        page.wait_for_selector(f".el-result[data-index='{index}']")
        page.wait_for_selector(f".el-onehot[data-index='{index}']")
        model.set_index(index)
        assert page.get_attribute(".el-highlight", "data-token") == model.token
        assert _highlighted_rows(page) == [str(index)]
        result = page.locator(".el-result")
        assert result.get_attribute("data-index") == str(index)
        shown = json.loads(result.get_attribute("data-values"))
        assert shown == pytest.approx(model.result("lookup").tolist(), abs=1e-6)
        assert json.loads(page.get_attribute(".el-onehot", "data-values")) == model.one_hot().tolist()
    handle.press("ArrowLeft")
    page.wait_for_selector(".el-highlight[data-row='1']")
    assert _highlighted_rows(page) == ["1"]


def test_class_report_shows_the_gradebook(server, page):
    from autograder.reporting import class_report as cr
    from autograder.reporting.gradebook_reader import read_gradebook

    browser_harness.open_dashboard(page, server.url, "class_report")
    assert page.get_attribute(".el-report-status", "data-students") == "4"
    assert page.eval_on_selector_all(".el-assignment", "els => els.map(e => e.dataset.submitted)") == ["3", "2"]
    assert page.eval_on_selector_all("tr.el-help", "els => els.map(e => e.dataset.student)") == \
        ["dan", "cyd", "bob"]
    assert page.eval_on_selector_all("tr.el-failure", "els => els.map(e => e.dataset.count)") == \
        ["2", "1", "1", "1"]
    # Lower the threshold with the keyboard until the page follows the model.
    data = read_gradebook(server_db_url(server))
    handle = browser_harness.slider_handle(page, "flag below")
    handle.focus()
    for _ in range(11):                     # 75% -> 20% in steps of 5%
        handle.press("ArrowLeft")
    page.wait_for_selector(".el-help-rule[data-threshold='0.20']")
    expected = [f.student for f in cr.students_needing_help(data, 0.20)]
    assert page.eval_on_selector_all("tr.el-help", "els => els.map(e => e.dataset.student)") == expected
    assert expected == ["dan", "cyd"]
    # A page's kernel websocket is open: jupyter_server's ping timeout (in ms) must not trip
    # tornado 6.5's check (it warned "websocket_ping_timeout (90000) cannot be longer than ...").
    assert "cannot be longer than the websocket_ping_interval" not in server.log()


def server_db_url(server) -> str:
    return f"sqlite:///{server.log_path.parent / 'course' / 'gradebook.db'}"


def test_leaving_a_dashboard_shuts_its_kernel_down(server, page):
    """Voila 0.5 alone refuses this request (no XSRF cookie; voila#1458): kernels would pile up."""
    browser_harness.open_dashboard(page, server.url, "similarity")
    pid = server.kernel_pid(browser_harness.kernel_id(page))
    page.goto("about:blank")                      # the page's beforeunload asks for the shutdown
    deadline = time.monotonic() + 30
    while pid in server.kernel_pids() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert pid not in server.kernel_pids()
    assert "403 POST /voila/api/shutdown" not in server.log()


def test_projector_click_type_and_analogy(server, page):
    from widgets._projector_model import ProjectorModel

    model = ProjectorModel.from_glove()  # what the dashboard serves, computed here independently
    browser_harness.open_dashboard(page, server.url, "projector")
    shown = page.eval_on_selector_all("g.el-map-word", "els => els.map(e => e.dataset.word)")
    assert shown[:12] == ["beijing", "china", "paris", "france", "tokyo", "japan", "berlin", "germany",
                          "rome", "italy", "moscow", "russia"]
    # Click a word: its neighbours are listed (and drawn), in the model's order.
    page.locator(".widget-toggle-buttons button", has_text="paris").first.click()
    page.wait_for_selector("g.el-map-word[data-word='paris'][data-selected='1']")
    want = [w for w, _ in model.neighbours("paris", 8)]
    # Each view updates by its own message: wait for the table rather than assume its order.
    page.wait_for_function(f"() => [...document.querySelectorAll('tr.el-neighbour')]"
                           f".map(e => e.dataset.word).join(' ') === {' '.join(want)!r}")
    # Type words (the box sends its value on Enter).
    box = page.locator(".widget-text input").first
    box.fill("king queen man woman throne")
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('svg.el-map')"
                           " && document.querySelector('g.el-map-word[data-word=\"throne\"]')")
    page.wait_for_selector("g.el-map-word[data-word='king'][data-selected='1']")
    page.wait_for_selector("g.el-axis-word[data-word='throne']")
    # The analogy box answers queen for man : king :: woman : ?, and the axis scores the words.
    # (the analogy table is its own widget: wait for its answer rather than read it at once)
    page.wait_for_selector("tr.el-analogy[data-rank='1'][data-word='queen']", timeout=30_000)
    scores = page.eval_on_selector_all("g.el-axis-word", "els => els.map(e => [e.dataset.word, +e.dataset.score])")
    want = model.axis_scores(["king", "queen", "man", "woman", "throne"], ["she", "her", "woman"], ["he", "him", "man"])
    assert dict(scores) == pytest.approx(dict(zip(["king", "queen", "man", "woman", "throne"], want)), abs=1e-5)
    assert page.log.page_errors == [] and browser_harness.page_problems(page) == []


def _rows(page, selector: str, attribute: str) -> str:
    return f"[...document.querySelectorAll({selector!r})].map(e => e.dataset.{attribute}).join(' ')"


def test_cloze_fills_typed_blanks_and_shades_attention(server, page):
    from widgets._cloze_model import ClozeModel

    model = ClozeModel.load()  # what the dashboard runs, computed here independently
    browser_harness.open_dashboard(page, server.url, "cloze")
    want = " ".join(t for t, _ in model.fill("中华人民共和[MASK]")[1][0].predictions)
    page.wait_for_function(f"() => {_rows(page, 'tr.el-cloze-prediction', 'token')} === {want!r}")
    box = page.locator(".widget-text input").first
    box.fill("[MASK][MASK]是法国的首都。")
    box.press("Enter")
    tokens, blanks = model.fill("[MASK][MASK]是法国的首都。")
    want = " ".join(t for blank in blanks for t, _ in blank.predictions)
    page.wait_for_function(f"() => {_rows(page, 'tr.el-cloze-prediction', 'token')} === {want!r}")
    probabilities = page.eval_on_selector_all("tr.el-cloze-prediction", "els => els.map(e => +e.dataset.probability)")
    assert probabilities == pytest.approx([p for blank in blanks for _, p in blank.predictions], abs=1e-5)
    # The second blank's attention, chosen with its button.
    page.locator(".widget-toggle-buttons button", has_text="blank [2]").click()
    page.wait_for_selector(".el-cloze-sentence:has-text('blank [2] attends')")
    shown = page.eval_on_selector_all(".el-cloze-token", "els => els.map(e => +e.dataset.attention)")
    assert shown == pytest.approx(blanks[1].attention.tolist(), abs=1e-5)
    # The characters are drawn (a CJK font is there: a glyph is wider than a narrow fallback box).
    width = page.eval_on_selector(".el-cloze-token[data-token='法']", "e => e.getBoundingClientRect().width")
    assert width >= 16
    assert page.log.page_errors == [] and browser_harness.page_problems(page) == []


def test_projector_serves_the_chinese_characters(server, page):
    from widgets._projector_model import ProjectorModel

    model = ProjectorModel.from_cloze_encoder()
    browser_harness.open_dashboard(page, server.url, "projector")
    page.locator("select").first.select_option(label="a6's encoder: 3,000 Chinese characters")
    page.wait_for_selector("g.el-map-word[data-word='北京'][data-selected='1']")
    want = " ".join(w for w, _ in model.neighbours("北京", 8))
    page.wait_for_function(f"() => {_rows(page, 'tr.el-neighbour', 'word')} === {want!r}")
    assert all(len(w) == 1 for w in want.split())
    page.locator(".widget-toggle-buttons button", has_text="巴黎").first.click()
    want = " ".join(w for w, _ in model.neighbours("巴黎", 8))
    page.wait_for_function(f"() => {_rows(page, 'tr.el-neighbour', 'word')} === {want!r}")
    page.wait_for_selector("tr.el-analogy[data-rank='1']")
    assert page.get_attribute("tr.el-analogy[data-rank='1']", "data-word") == model.analogy("上", "下", "左", 5)[0][0]
    assert page.log.page_errors == [] and browser_harness.page_problems(page) == []
