"""``/dashboard`` in a real headless Chromium: what it draws equals what the v1 API answers.

The dashboard is plain JavaScript over the public API, so a TestClient cannot see whether it
works. Debian's Chromium (driven by PyPI's playwright) opens it on a live server over the seeded
database; every request is routed and anything not addressed to loopback is aborted and
recorded; console and page errors fail the test. Each check compares the page with the API's
own answer for the same filters, so the tests hold on any data the extraction produces.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import Session

from app.db import get_engine
from app.models import Actor, Article, Event, EventActor, Figure, Place
from tests.browser import PageLog, browser, watched_page  # noqa: F401  (browser: fixture)
from tests.live_server import live_url, seeded_app, serve  # noqa: F401  (live_url: fixture)

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

TIMEOUT_MS = 20_000
READY = '#dashboard[data-state="ready"]'
APPLIED = """([name, value]) => {
    const main = document.getElementById('dashboard');
    return main.dataset.state === 'ready'
        && new URLSearchParams(main.dataset.query || '').get(name) === value; }"""


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, PageLog]]:  # noqa: F811
    with watched_page(browser, TIMEOUT_MS, viewport={"width": 1400, "height": 1000}) as watched:
        yield watched


def api(base: str, path: str, **params: Any) -> Any:
    response = httpx.get(f"{base}{path}", params=params, timeout=30)
    response.raise_for_status()
    return response.json()


def every(base: str, path: str, **params: Any) -> list[dict[str, Any]]:
    """All items of a paged list, the way the dashboard reads it."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        body = api(base, path, limit=500, **params, **({"cursor": cursor} if cursor else {}))
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


def places_of(events: list[dict[str, Any]]) -> Counter[int]:
    """Placed events per place id: the dashboard draws one circle per key."""
    return Counter(e["place"]["id"] for e in events
                   if e["place"] and e["place"]["lat"] is not None)


def drawn_markers(tab: Any) -> Counter[int]:
    pairs = tab.locator("path.event-marker").evaluate_all(
        "els => els.map(e => [e.dataset.placeId, e.dataset.events])")
    return Counter({int(place): int(n) for place, n in pairs})


def drawn_bars(tab: Any) -> dict[str, int]:
    pairs = tab.locator("rect.bar").evaluate_all(
        "els => els.map(e => [e.dataset.key, e.dataset.events])")
    return {key: int(n) for key, n in pairs}


@pytest.fixture(scope="module")
def all_events(live_url: str) -> list[dict[str, Any]]:  # noqa: F811
    events = every(live_url, "/v1/events")
    assert places_of(events), "the seeds must place events on the map, or these tests are void"
    return events


def test_dashboard_draws_the_api_offline(page: tuple[Any, PageLog], live_url: str,  # noqa: F811
                                         all_events: list[dict[str, Any]]) -> None:
    tab, log = page
    tab.goto(f"{live_url}/dashboard")
    tab.wait_for_selector(READY)
    assert drawn_markers(tab) == places_of(all_events)
    assert tab.locator("path.country").count() > 150  # Natural Earth 1:110m outlines
    timeline = api(live_url, "/v1/stats/timeline", interval="month")
    assert timeline, "the seeds have dated events; the timeline must not be empty"
    assert drawn_bars(tab) == {b["key"]: b["events"] for b in timeline}
    assert tab.locator("#events tr.event").count() == len(all_events)
    log.assert_clean()
    assert all(urlsplit(u).path.startswith(("/dashboard", "/static/", "/v1/"))
               for u in log.requests if u.startswith("http")), log.requests


def _narrowest(events: list[dict[str, Any]], dimension: str) -> str:
    """The value of ``dimension`` held by the fewest placed events (at least one)."""
    placed = [e for e in events if e["place"] and e["place"]["lat"] is not None]
    values: Counter[str] = Counter()
    for event in placed:
        if dimension == "country":
            values.update([event["place"]["country"]] if event["place"]["country"] else [])
        elif dimension == "type":
            values.update([event["type"]])
        elif dimension == "actor":
            values.update({a["name"] for a in event["actors"]})
        else:  # date_from: the latest start date of a placed, dated event
            values.update([event["date"]["start"]] if event["date"]["start"] else [])
    assert values, f"no placed event has a {dimension}"
    if dimension == "date_from":
        return max(values)
    return min(values, key=lambda value: (values[value], value))


@pytest.mark.parametrize("dimension", ["country", "type", "actor", "date_from"])
def test_a_filter_narrows_map_timeline_and_claims(
        page: tuple[Any, PageLog], live_url: str,  # noqa: F811
        all_events: list[dict[str, Any]], dimension: str) -> None:
    tab, log = page
    value = _narrowest(all_events, dimension)
    tab.goto(f"{live_url}/dashboard")
    tab.wait_for_selector(READY)
    if dimension == "date_from":
        tab.fill("#f-date-from", value)
    else:
        tab.select_option(f"#f-{dimension}", value)
    tab.click("#f-apply")
    tab.wait_for_function(APPLIED, arg=[dimension, value])
    events = every(live_url, "/v1/events", **{dimension: value})
    assert 0 < len(events) < len(all_events), f"{dimension}={value} does not narrow the seeds"
    assert drawn_markers(tab) == places_of(events) != Counter()
    assert tab.locator("#events tr.event").count() == len(events)
    timeline = api(live_url, "/v1/stats/timeline", interval="month", **{dimension: value})
    assert drawn_bars(tab) == {b["key"]: b["events"] for b in timeline}
    claims = every(live_url, "/v1/claims", min_claims=1, **{dimension: value})
    shown = tab.locator("#claims tr.claim").evaluate_all("els => els.map(e => e.dataset.claimId)")
    assert sorted(map(int, shown)) == sorted(c["id"] for g in claims for c in g["claims"])
    assert parse_qs(urlsplit(tab.url).query)[dimension] == [value]  # the view is linkable
    log.assert_clean()


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_timeline_interval_matches_the_api(page: tuple[Any, PageLog], live_url: str,  # noqa: F811
                                           interval: str) -> None:
    tab, log = page
    other = "day" if interval != "day" else "week"
    tab.goto(f"{live_url}/dashboard?interval={other}")
    tab.wait_for_selector(f'{READY}[data-interval="{other}"]')
    tab.select_option("#f-interval", interval)
    tab.wait_for_selector(f'{READY}[data-interval="{interval}"]')
    timeline = api(live_url, "/v1/stats/timeline", interval=interval)
    assert drawn_bars(tab) == {b["key"]: b["events"] for b in timeline} != {}
    log.assert_clean()


def test_claims_table_shows_every_figure_with_its_words(
        page: tuple[Any, PageLog], live_url: str) -> None:  # noqa: F811
    tab, log = page
    tab.goto(f"{live_url}/dashboard")
    tab.wait_for_selector(READY)
    claims = {c["id"]: c for g in every(live_url, "/v1/claims", min_claims=1) for c in g["claims"]}
    figures = every(live_url, "/v1/figures")
    assert claims and set(claims) == {f["id"] for f in figures}
    rows = tab.locator("#claims tr.claim").evaluate_all("""els => els.map(e => ({
        id: Number(e.dataset.claimId), claimant: e.querySelector('.claimant').textContent,
        hedge: e.querySelector('.hedge').textContent,
        marks: [...e.querySelectorAll('mark.figure-words')].map(m => m.textContent),
        link: e.querySelector('a.article-link').getAttribute('href')}))""")
    assert sorted(row["id"] for row in rows) == sorted(claims)
    for row in rows:
        claim = claims[row["id"]]
        assert row["marks"] == [claim["text"]]
        assert row["claimant"] == (claim["claimant"] or "unattributed")
        assert row["hedge"] == (claim["hedge"] or "—")
        assert row["link"] == f"/dashboard/article/{claim['article_id']}#figure-{claim['id']}"
    log.assert_clean()


def _spans(tab: Any) -> dict[str, Any]:
    return tab.evaluate("""() => ({
        marks: [...document.querySelectorAll('#article-text mark.fig')].map(
            m => [m.dataset.figureIds.split(' ').map(Number), m.textContent]),
        excerpts: Object.fromEntries([...new Set([...document.querySelectorAll(
            '#article-text .ex')].flatMap(e => e.dataset.events.split(' ')))].map(id => [id,
            [...document.querySelectorAll(`#article-text .ex[data-events~="${id}"]`)]
              .map(e => e.textContent).join('')])),
        listed: document.querySelectorAll('#event-list > li').length})""")


def test_article_view_highlights_every_span(page: tuple[Any, PageLog],
                                            live_url: str) -> None:  # noqa: F811
    tab, log = page
    articles = every(live_url, "/v1/articles")
    assert articles
    for article in articles:
        tab.goto(f"{live_url}/dashboard/article/{article['id']}")
        tab.wait_for_selector('#article-view[data-state="ready"]')
        text = api(live_url, f"/v1/articles/{article['id']}")["text"]
        figures = {f["id"]: f for f in every(live_url, "/v1/figures", article_id=article["id"])}
        events = every(live_url, "/v1/events", article_id=article["id"],
                       include_background="true")
        spans = _spans(tab)
        marked = {fid for ids, _ in spans["marks"] for fid in ids}
        assert marked == set(figures), "every figure of the article is highlighted once"
        for ids, words in spans["marks"]:
            assert all(words == figures[fid]["text"] == text[figures[fid]["start"]:
                                                             figures[fid]["end"]] for fid in ids)
        assert {int(i) for i in spans["excerpts"]} == {e["id"] for e in events}
        for event in events:
            assert spans["excerpts"][str(event["id"])] == "".join(
                m["text"] for m in event["mentions"])
        assert spans["listed"] == len(events)
        expect(tab.locator("#article-text")).to_have_text(text, use_inner_text=False)
    log.assert_clean()


def test_claim_link_opens_the_article_at_the_figure(page: tuple[Any, PageLog],
                                                    live_url: str) -> None:  # noqa: F811
    tab, log = page
    tab.goto(f"{live_url}/dashboard")
    tab.wait_for_selector(READY)
    link = tab.locator("#claims tr.claim a.article-link").first
    href = link.get_attribute("href")
    link.click()
    tab.wait_for_selector('#article-view[data-state="ready"]')
    assert tab.url.endswith(href)
    figure_id = href.rsplit("#figure-", 1)[1]
    expect(tab.locator(f'mark.fig[data-figure-ids~="{figure_id}"]')).to_have_class("fig focus")
    log.assert_clean()


@pytest.mark.parametrize(("path", "status"), [
    ("/dashboard", 200), ("/dashboard/article/1", 200), ("/dashboard/article/0", 422),
    ("/static/vendor/leaflet/leaflet.js", 200), ("/static/nope.js", 404),
    ("/static/%2e%2e/api/dashboard.py", 404)])
def test_pages_and_assets_are_served_with_the_page_policy(
        live_url: str, path: str, status: int) -> None:  # noqa: F811
    response = httpx.get(f"{live_url}{path}", timeout=10)
    assert response.status_code == status
    if status == 200:
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "https:" not in response.headers["content-security-policy"]


# --- hostile data: stored before the API checked it, it must still run nothing -------------

XSS = "<img src=x onerror=alert(1)>"
HOSTILE_ARTICLE = {"title": XSS, "url": "javascript:alert(document.domain)",
                   "publisher": "<script>alert(2)</script>", "author": '"><svg onload=alert(3)>'}
WEB_ARTICLE = {"title": "Shelling in Kharkiv", "url": "https://news.example.org/kharkiv?id=1"}


def _store_article(url: str, sha: str, fields: dict[str, str], hostile: bool) -> int:
    """An article with one placed event, one actor and one figure, written past the API."""
    name = XSS if hostile else "Kharkiv"
    text = f"{fields['title']} killed 5 in {name}, {fields.get('publisher', 'officials')} said."
    with Session(get_engine(url)) as session:
        article = Article(sha256=sha * 64, text=text, language="en", **fields)
        place = Place(name=name, kind="settlement", country="UA", lat=49.99, lon=36.23)
        actor = Actor(name=f"{name} Brigade", kind="armed_group")
        session.add_all([article, place, actor])
        session.flush()
        event = Event(article_id=article.id, place_id=place.id, country="UA", type="shelling",
                      date_start=date(2024, 8, 6), date_end=date(2024, 8, 6),
                      date_precision="day", date_text=name, sentence_index=0,
                      excerpt_text=text, excerpt_start=0, excerpt_end=len(text))
        session.add(event)
        session.flush()
        session.add(EventActor(event_id=event.id, actor_id=actor.id, role="initiator"))
        start = text.index("5")
        session.add(Figure(article_id=article.id, event_id=event.id, value=5, unit="person",
                           counts="killed", claimant=fields.get("publisher") or name,
                           hedge=name if hostile else None, hedged=hostile, text="5",
                           start=start, end=start + 1, excerpt_text=text, excerpt_start=0,
                           excerpt_end=len(text)))
        session.commit()
        return article.id or 0


@pytest.fixture
def hostile_site(database_url: str) -> Iterator[tuple[str, int, int]]:
    """A live server over a database holding one hostile and one ordinary article."""
    hostile = _store_article(database_url, "a", HOSTILE_ARTICLE, hostile=True)
    ordinary = _store_article(database_url, "b", WEB_ARTICLE, hostile=False)
    with serve(seeded_app(database_url)) as url:
        yield url, hostile, ordinary


def _watch_dialogs(tab: Any) -> list[str]:
    dialogs: list[str] = []

    def record(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", record)
    return dialogs


def _hrefs(tab: Any) -> list[str]:
    return tab.locator("a[href]").evaluate_all("els => els.map(a => a.href)")


def test_a_hostile_article_runs_nothing_in_the_article_view(
        page: tuple[Any, PageLog], hostile_site: tuple[str, int, int]) -> None:
    tab, log = page
    base, hostile, ordinary = hostile_site
    dialogs = _watch_dialogs(tab)
    tab.goto(f"{base}/dashboard/article/{hostile}")
    tab.wait_for_selector('#article-view[data-state="ready"]')
    assert tab.text_content("#article-title") == XSS  # shown as text, not parsed
    assert tab.locator("img, svg, #article-view script").count() == 0
    sources = tab.locator("#article-meta a", has_text="source")
    for index in range(sources.count()):  # whatever link there is, following it runs nothing
        sources.nth(index).click()
    assert dialogs == [], f"a stored script ran: {dialogs}"
    assert all(href.startswith(f"{base}/") for href in _hrefs(tab)), _hrefs(tab)
    assert "not a web link" in tab.text_content("#article-meta")
    tab.goto(f"{base}/dashboard/article/{ordinary}")
    tab.wait_for_selector('#article-view[data-state="ready"]')
    assert tab.get_attribute("#article-meta a.source-link", "href") == WEB_ARTICLE["url"]
    assert dialogs == []
    log.assert_clean()  # a script the policy blocked would have logged a console error


def test_hostile_names_run_nothing_on_the_dashboard(
        page: tuple[Any, PageLog], hostile_site: tuple[str, int, int]) -> None:
    tab, log = page
    base, _hostile, _ordinary = hostile_site
    dialogs = _watch_dialogs(tab)
    tab.goto(f"{base}/dashboard")
    tab.wait_for_selector(READY)
    assert tab.locator("#events tr.event").count() == 2
    for marker in range(tab.locator("path.event-marker").count()):  # open every popup
        tab.locator("path.event-marker").nth(marker).click(force=True)
        tab.wait_for_selector(".leaflet-popup-content .popup")
    assert XSS in tab.text_content("#events") and XSS in tab.text_content("#claims")
    assert tab.locator("#dashboard img:not(.leaflet-tile), #dashboard script").count() == 0
    assert all(href.startswith(f"{base}/") for href in _hrefs(tab)), _hrefs(tab)
    assert dialogs == []
    log.assert_clean()


# --- the event as analysts code it: mentions, coarse places, background, phone width --------

PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def coded_site(database_url: str) -> Iterator[tuple[str, dict[str, int]]]:
    """A live server over the hand-coded drafts (tests/event_drafts.py)."""
    from app.ingest.store import store_draft
    from tests.event_drafts import kivu_draft, sahel_draft

    with Session(get_engine(database_url)) as session:
        ids = {"sahel": store_draft(session, sahel_draft()).article_id,
               "kivu": store_draft(session, kivu_draft()).article_id}
    with serve(seeded_app(database_url)) as url:
        yield url, ids


def test_country_level_events_are_drawn_apart_from_town_points(
        page: tuple[Any, PageLog], coded_site: tuple[str, dict[str, int]]) -> None:
    tab, log = page
    base, _ = coded_site
    tab.goto(f"{base}/dashboard")
    tab.wait_for_selector(READY)
    kinds = dict(tab.locator("path.event-marker").evaluate_all(
        "els => els.map(e => [e.dataset.precision, e.getAttribute('class')])"))
    assert set(kinds) == {"point", "area"}
    assert "coarse" in kinds["area"] and "coarse" not in kinds["point"]
    assert tab.locator("#events tr.event").count() == 2  # the background ambush left out
    assert "reported in 3 sentences" in tab.text_content("#summary")
    assert "JNIM → civilians" in tab.text_content("#events")
    tab.select_option("#f-include-background", "true")
    tab.click("#f-apply")
    tab.wait_for_function(APPLIED, arg=["include_background", "true"])
    assert tab.locator("#events tr.event").count() == 3
    assert tab.locator("#events .badge.background").count() == 1
    log.assert_clean()


def test_timeline_shows_the_gap_between_periods(
        page: tuple[Any, PageLog], coded_site: tuple[str, dict[str, int]]) -> None:
    tab, log = page
    base, _ = coded_site
    tab.goto(f"{base}/dashboard?interval=month")
    tab.wait_for_selector(READY)
    assert drawn_bars(tab) == {"2024-10-01": 1, "2025-03-01": 1}
    missing = tab.locator("rect.gap").evaluate_all("els => els.map(e => +e.dataset.missing)")
    assert missing == [4]  # November to February: no dated event
    log.assert_clean()


def test_a_long_span_packs_the_periods_and_marks_each_gap(
        page: tuple[Any, PageLog], coded_site: tuple[str, dict[str, int]]) -> None:
    """Over 400 days the bars stand side by side; each run of empty days is still shown."""
    tab, log = page
    base, _ = coded_site
    tab.goto(f"{base}/dashboard?interval=day&include_background=true")
    tab.wait_for_selector(READY)
    assert drawn_bars(tab) == {"2019-01-01": 1, "2024-10-26": 1, "2025-03-04": 1}
    missing = tab.locator("rect.gap").evaluate_all("els => els.map(e => +e.dataset.missing)")
    days = [date(2024, 10, 26) - date(2019, 1, 1), date(2025, 3, 4) - date(2024, 10, 26)]
    assert missing == [gap.days - 1 for gap in days]
    log.assert_clean()


def test_article_view_groups_each_events_mentions(
        page: tuple[Any, PageLog], coded_site: tuple[str, dict[str, int]]) -> None:
    tab, log = page
    base, ids = coded_site
    tab.goto(f"{base}/dashboard/article/{ids['sahel']}")
    tab.wait_for_selector('#article-view[data-state="ready"]')
    events = api(base, "/v1/events", article_id=ids["sahel"], include_background="true")["items"]
    attack = next(e for e in events if e["type"] == "attack")
    item = tab.locator(f'#event-list > li[data-event-id="{attack["id"]}"]')
    assert item.locator("details.mentions li").all_text_contents() == [
        m["text"] for m in attack["mentions"]]
    assert _spans(tab)["excerpts"][str(attack["id"])] == "".join(
        m["text"] for m in attack["mentions"])
    assert tab.locator("#event-list > li.background").count() == 1
    log.assert_clean()


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/article/{sahel}"])
def test_pages_fit_a_phone_screen(browser: Any, coded_site: tuple[str, dict[str, int]],  # noqa: F811
                                  path: str) -> None:
    base, ids = coded_site
    with watched_page(browser, TIMEOUT_MS, viewport=PHONE) as (tab, log):
        tab.goto(f"{base}{path.format(**ids)}")
        tab.wait_for_selector('[data-state="ready"]')
        assert tab.evaluate(NO_SIDEWAYS_SCROLL) <= 0, "the page scrolls sideways at 390 px"
        for selector in ("#map", "#timeline svg", "#article-text", "#event-list"):
            if tab.locator(selector).count():
                box = tab.locator(selector).bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, selector
        log.assert_clean()
