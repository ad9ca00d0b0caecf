"""Bad input gets a one-line reason and the right status, and nothing is half-written.

Covers the CLI (``frontwire ingest``: a summary line per failed file, exit 1) and
``POST /v1/articles`` (400 unreadable, 413 too large, 415 not text, 422 schema), plus the
inputs that must be stored rather than refused: other encodings, mojibake, HTML pages,
articles in other languages (stored with their language, nothing extracted) and articles
with no conflict content (stored, no events).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import Settings, get_settings
from app.db import get_engine
from app.ingest.text.language import detect_language
from app.ingest.text.read import decode
from app.ingestion import UnreadableArticle, UnsupportedContent
from app.main import create_app
from app.models import Article, Event, Figure
from tests.conftest import API_KEY, DEV_ARTICLES

LIMIT = 6000
HEADERS = {"X-API-Key": API_KEY}
SUDAN = ("EL FASHER, Sudan — The Rapid Support Forces shelled the Abu Shouk camp in El Fasher "
         "on Tuesday, killing at least 14 civilians, the camp’s coordination committee said. "
         "“We don’t know where to go,” a resident told reporters.\n")
GAZA_MOJIBAKE = ("Israeli strikes on Khan Younis killed 22 people on Monday, the Gaza health "
                 "ministry said. Residents said they donâ€™t know where to shelter.\n")
DRC_PAGE = """<html><head><title>M23 rebels seize Rubaya</title>
<script>var tracker = "SECRET_TRACKING_CODE"; window.ads = [];</script></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">NAVIGATION_WORLD</a></li></ul></nav>
<article><h1>M23 rebels seize Rubaya</h1>
<p>GOMA, Democratic Republic of Congo — M23 rebels seized the mining town of Rubaya in North
Kivu province on Tuesday after fighting with the Congolese army, local officials said.</p>
<p>At least 30 soldiers were killed in the fighting, according to a local civil society group,
and thousands of residents fled towards Goma.</p>
<p>The army did not comment on the loss of the town, which produces much of the world's
coltan.</p></article>
<footer>FOOTER_COPYRIGHT</footer><script>console.log("SECOND_SCRIPT")</script></body></html>
"""
MYANMAR_GERMAN = (
    "Die Armee von Myanmar hat am Dienstag mehrere Dörfer im Bundesstaat Rakhine aus der Luft "
    "angegriffen. Nach Angaben örtlicher Helfer wurden mindestens 40 Menschen getötet und "
    "Hunderte verletzt. Die Arakan-Armee erklärte, sie habe die Kontrolle über die Stadt "
    "übernommen. Tausende Familien sind seit Beginn der Kämpfe aus der Region geflohen.\n")
COLOMBIA_SPANISH = (
    "Al menos 12 soldados murieron el lunes en un ataque con explosivos contra una base "
    "militar en el departamento del Cauca, en el suroeste de Colombia, informó el ejército. "
    "Las autoridades atribuyeron el ataque a disidentes de las antiguas FARC que operan en "
    "la zona y que rechazaron el acuerdo de paz firmado en 2016.\n")
YEMEN_FRENCH = (
    "Les rebelles houthis ont revendiqué mardi une attaque de drones contre un navire "
    "marchand en mer Rouge, au large du port de Hodeïda. Selon l'armée américaine, deux "
    "missiles ont été interceptés et aucun blessé n'a été signalé à bord du navire, qui "
    "a pu poursuivre sa route vers le canal de Suez.\n")
SYRIA_ARABIC = (
    "قال المرصد السوري لحقوق الإنسان إن غارات جوية استهدفت مدينة إدلب في شمال غرب سوريا يوم "
    "الثلاثاء، ما أسفر عن مقتل ما لا يقل عن عشرة مدنيين وإصابة العشرات، بينهم أطفال ونساء، "
    "فيما نزحت مئات العائلات من المناطق المستهدفة نحو الحدود التركية.\n")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
NUL_BYTES = bytes(range(256)) * 4


@pytest.fixture
def small_client(database_url: str) -> Iterator[TestClient]:
    """An app whose size limit is small enough to exceed cheaply."""
    settings = Settings(database_url=database_url, api_key=API_KEY, warm_up=False,
                        max_article_bytes=LIMIT)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


# --- reading bytes ----------------------------------------------------------------------

@pytest.mark.parametrize(("data", "error", "reason"), [
    (b"", UnreadableArticle, "empty"),
    (b" \n\t\n", UnreadableArticle, "empty"),
    (PNG, UnsupportedContent, "PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", UnsupportedContent, "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", UnsupportedContent, "ZIP"),
    (NUL_BYTES, UnsupportedContent, "binary"),
    (b"Goma\x01\x02\x03\x04\x05\x06 shelled\x07\x08\x0b\x0e\x0f\x10", UnsupportedContent,
     "control characters"),
])
def test_unreadable_bytes_are_refused_with_a_reason(data: bytes, error: type[Exception],
                                                    reason: str) -> None:
    with pytest.raises(error, match=reason):
        decode(data)


@pytest.mark.parametrize(("data", "charset", "expected"), [
    (SUDAN.encode("cp1252"), None, SUDAN),
    (SUDAN.encode("cp1252"), "windows-1252", SUDAN),
    (SUDAN.encode("utf-16"), None, SUDAN),
    ("\ufeff".encode() + SUDAN.encode(), None, SUDAN),
    (SYRIA_ARABIC.encode("utf-8"), "utf-8", SYRIA_ARABIC),
    (SUDAN.encode("utf-8"), "no-such-charset", SUDAN),
])
def test_text_in_other_encodings_is_decoded(data: bytes, charset: str | None,
                                            expected: str) -> None:
    assert decode(data, charset) == expected


@pytest.mark.parametrize(("text", "language"), [
    (MYANMAR_GERMAN, "de"), (COLOMBIA_SPANISH, "es"), (YEMEN_FRENCH, "fr"),
    (SYRIA_ARABIC, "ar"), (SUDAN, "en"), (GAZA_MOJIBAKE, "en"),
    ("Die Armee griff an.", "en"),  # too short to tell: English is assumed
    ("Goma, Bukavu, Uvira, Kisangani, Bunia, Beni, Butembo, Rutshuru", "en"),
])
def test_language_is_detected_and_short_texts_default_to_english(text: str,
                                                                 language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("path", sorted(DEV_ARTICLES.glob("*.txt")), ids=lambda p: p.stem)
def test_english_dev_articles_are_english(path: Path) -> None:
    assert detect_language(path.read_text(encoding="utf-8")) == "en"


# --- the CLI ----------------------------------------------------------------------------

CLI_FAILURES = {  # file name -> (content, reason in its summary line)
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"\n \n", "empty file"),
    "photo.txt": (PNG, "binary file (a PNG image)"),
    "dump.html": (NUL_BYTES, "binary"),
    "huge.txt": (b"Shelling near Kadugli. " * 400, "too large"),
    "scripts_only.html": (b"<html><body><div><script>x()</script></div><div></div><p></p>"
                          + b"</body></html>", "HTML without any article text"),
}
CLI_STORED = {  # file name -> (content, language, whether it may have events)
    "el_fasher_cp1252.txt": (SUDAN.encode("cp1252"), "en", True),
    "khan_younis_mojibake.txt": (GAZA_MOJIBAKE.encode("utf-8"), "en", True),
    "rubaya_page.html": (DRC_PAGE.encode("utf-8"), "en", True),
    "rakhine_german.txt": (MYANMAR_GERMAN.encode("utf-8"), "de", False),
    "cauca_spanish.txt": (COLOMBIA_SPANISH.encode("latin-1"), "es", False),
    "sports.txt": ((DEV_ARTICLES / "usyk_fury_sports.txt").read_bytes(), "en", False),
}


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("FRONTWIRE_DATABASE_URL", database_url)
    monkeypatch.setenv("FRONTWIRE_MAX_ARTICLE_BYTES", str(LIMIT))
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def test_cli_reports_each_bad_file_and_stores_the_rest(tmp_path: Path, cli_env: str) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, (content, *_rest) in {**CLI_FAILURES, **CLI_STORED}.items():
        (folder / name).write_bytes(content)
    result = CliRunner().invoke(cli, ["ingest", str(folder)])
    assert result.exit_code == 1, result.output
    output = " ".join(result.output.split())
    assert f"new: {len(CLI_STORED)} duplicate: 0 failed: {len(CLI_FAILURES)}" in output
    assert "not English: 2" in output and "Traceback" not in output
    for name, (_content, reason) in CLI_FAILURES.items():
        assert f"failed {folder / name}: {reason}" in output, name
    with Session(get_engine(cli_env)) as session:
        articles = session.exec(select(Article)).all()
        assert len(articles) == len(CLI_STORED)
        for name, (_content, language, _events) in CLI_STORED.items():
            assert sum(a.language == language for a in articles) >= 1, name
        assert_offsets_exact(session)
        assert_nothing_extracted_from_foreign_articles(session)


def test_cli_stored_text_is_repaired(tmp_path: Path, cli_env: str) -> None:
    for name in ("el_fasher_cp1252.txt", "khan_younis_mojibake.txt", "rubaya_page.html"):
        (tmp_path / name).write_bytes(CLI_STORED[name][0])
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with Session(get_engine(cli_env)) as session:
        texts = [a.text for a in session.exec(select(Article))]
    joined = "\n".join(texts)
    assert "camp’s coordination committee" in joined and "don’t know" in joined
    assert "â€" not in joined
    for leaked in ("SECRET_TRACKING_CODE", "SECOND_SCRIPT", "NAVIGATION_WORLD", "<p>"):
        assert leaked not in joined
    assert "seized the mining town of Rubaya" in joined


def test_cli_bad_sidecar_fails_only_its_file(tmp_path: Path, cli_env: str) -> None:
    (tmp_path / "a.txt").write_text(SUDAN, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"published": "not a date"}', encoding="utf-8")
    (tmp_path / "b.txt").write_text(GAZA_MOJIBAKE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)])
    assert result.exit_code == 1
    assert "new: 1  duplicate: 0  failed: 1" in result.output
    assert f"failed {tmp_path / 'a.txt'}:" in " ".join(result.output.split())


def assert_offsets_exact(session: Session) -> None:
    texts = {a.id: a.text for a in session.exec(select(Article))}
    for event in session.exec(select(Event)):
        excerpt = texts[event.article_id][event.excerpt_start:event.excerpt_end]
        assert excerpt == event.excerpt_text
    for figure in session.exec(select(Figure)):
        assert texts[figure.article_id][figure.start:figure.end] == figure.text


def assert_nothing_extracted_from_foreign_articles(session: Session) -> None:
    foreign = [a.id for a in session.exec(select(Article).where(Article.language != "en"))]
    assert foreign
    for model in (Event, Figure):
        count = session.exec(select(func.count()).select_from(model)
                             .where(model.article_id.in_(foreign))).one()  # type: ignore[attr-defined]
        assert count == 0


# --- POST /v1/articles ------------------------------------------------------------------

REFUSED = [  # (id, request kwargs, status, reason in detail or None for a 422 list)
    ("blank-json", {"json": {"text": " \n "}}, 400, "empty"),
    ("blank-raw", {"content": b" \n", "headers": {"Content-Type": "text/plain"}}, 400, "empty"),
    ("html-no-text", {"content": b"<html><body><div></div><div></div><p></p></body></html>",
                      "headers": {"Content-Type": "text/html"}}, 400, "HTML"),
    ("too-large-raw", {"content": b"Airstrike on Sanaa. " * 400,
                       "headers": {"Content-Type": "text/plain"}}, 413, "FRONTWIRE_MAX"),
    ("too-large-json", {"json": {"text": "Airstrike on Sanaa. " * 400}}, 413, "bytes"),
    ("png-as-text", {"content": PNG, "headers": {"Content-Type": "text/plain"}}, 415, "PNG"),
    ("nul-bytes", {"content": NUL_BYTES, "headers": {"Content-Type": "text/plain"}}, 415,
     "binary"),
    ("controls-in-json", {"json": {"text": "Juba\x00\x01\x02\x03\x04\x05"}}, 415, "binary"),
    ("octet-stream", {"content": b"Fighting in Juba.",
                      "headers": {"Content-Type": "application/octet-stream"}}, 415,
     "Content-Type"),
    ("form", {"data": {"text": "Fighting in Juba."}}, 415, "application/json"),
    ("empty-string", {"json": {"text": ""}}, 422, None),
    ("missing-text", {"json": {"title": "Juba"}}, 422, None),
    ("text-not-string", {"json": {"text": 12}}, 422, None),
    ("bad-date", {"json": {"text": SUDAN, "published": "Tuesday"}}, 422, None),
    ("not-json", {"content": b"{text: ", "headers": {"Content-Type": "application/json"}},
     422, None),
    ("json-array", {"json": [SUDAN]}, 422, None),
]


@pytest.mark.parametrize(("request_kwargs", "status", "reason"),
                         [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_post_refuses_bad_input_with_a_clear_answer(small_client: TestClient,
                                                    request_kwargs: dict, status: int,
                                                    reason: str | None) -> None:
    kwargs = json.loads(json.dumps(request_kwargs, default=lambda b: b.decode("latin-1")))
    if "content" in request_kwargs:
        kwargs["content"] = request_kwargs["content"]
    kwargs["headers"] = {**HEADERS, **kwargs.get("headers", {})}
    response = small_client.post("/v1/articles", **kwargs)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert set(response.json()) == {"detail"} and "Traceback" not in response.text
    if reason is None:
        assert isinstance(detail, list) and detail[0]["loc"][0] == "body"
    else:
        assert isinstance(detail, str) and "\n" not in detail and reason in detail
    assert small_client.get("/v1/articles").json()["items"] == []


def test_post_checks_the_key_before_reading_the_body(small_client: TestClient) -> None:
    response = small_client.post("/v1/articles", content=PNG,
                                 headers={"Content-Type": "image/png"})
    assert response.status_code == 401


STORED = [  # (id, request kwargs, language, stored text must contain, may have events)
    ("cp1252-declared", {"content": SUDAN.encode("cp1252"),
                         "headers": {"Content-Type": "text/plain; charset=windows-1252"}},
     "en", "camp’s coordination", True),
    ("cp1252-detected", {"content": SUDAN.encode("cp1252"),
                         "headers": {"Content-Type": "text/plain"}}, "en", "don’t know", True),
    ("mojibake-json", {"json": {"text": GAZA_MOJIBAKE}}, "en", "they don’t know", True),
    ("html-page", {"content": DRC_PAGE.encode(), "headers": {"Content-Type": "text/html"}},
     "en", "mining town of Rubaya", True),
    ("german-json", {"json": {"text": MYANMAR_GERMAN}}, "de", "Rakhine", False),
    ("french-raw", {"content": YEMEN_FRENCH.encode("cp1252"),
                    "headers": {"Content-Type": "text/plain"}}, "fr", "Hodeïda", False),
    ("arabic-json", {"json": {"text": SYRIA_ARABIC}}, "ar", "إدلب", False),
    ("no-conflict", {"json": {"text": (DEV_ARTICLES / "usyk_fury_sports.txt").read_text(
        encoding="utf-8")}}, "en", "Usyk", False),
]


@pytest.mark.parametrize(("request_kwargs", "language", "contains", "events"),
                         [case[1:] for case in STORED], ids=[case[0] for case in STORED])
def test_post_stores_odd_but_valid_articles(small_client: TestClient, request_kwargs: dict,
                                            language: str, contains: str,
                                            events: bool) -> None:
    kwargs = {**request_kwargs, "headers": {**HEADERS, **request_kwargs.get("headers", {})}}
    response = small_client.post("/v1/articles", **kwargs)
    assert response.status_code == 201, response.text
    article = small_client.get(f"/v1/articles/{response.json()['id']}").json()
    assert article["language"] == language and contains in article["text"]
    assert "â€" not in article["text"] and "<script" not in article["text"]
    items = small_client.get("/v1/events", params={"article_id": article["id"]}).json()["items"]
    figures = small_client.get("/v1/figures",
                               params={"article_id": article["id"]}).json()["items"]
    assert len(items) == response.json()["event_count"]
    extraction = "done" if language == "en" else f"skipped: language {language}"
    assert response.json()["extraction"] == extraction
    if events:
        assert items, "a conflict article in English yields events"
    else:
        assert items == [] and figures == []
    for record in items + figures:
        excerpt = record["excerpt"]
        assert article["text"][excerpt["start"]:excerpt["end"]] == excerpt["text"]
    again = small_client.post("/v1/articles", **kwargs)
    assert again.status_code == 200 and again.json()["id"] == article["id"]
    assert again.json()["extraction"] == extraction


def test_a_failure_mid_store_leaves_nothing_and_the_batch_goes_on(
        tmp_path: Path, cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ingest import store

    real_store_event = store._store_event
    calls: list[int] = []

    def failing_store_event(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:  # the second event of the first article: rows already flushed
            raise RuntimeError("disk full")
        return real_store_event(*args, **kwargs)

    monkeypatch.setattr(store, "_store_event", failing_store_event)
    (tmp_path / "a_khan_younis.txt").write_text(GAZA_MOJIBAKE + SUDAN, encoding="utf-8")
    (tmp_path / "b_rubaya.html").write_text(DRC_PAGE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "new: 1 duplicate: 0 failed: 1" in output
    assert "a_khan_younis.txt: internal error (RuntimeError): disk full" in output
    with Session(get_engine(cli_env)) as session:
        (stored,) = session.exec(select(Article)).all()
        assert "Rubaya" in stored.text
        for model in (Event, Figure):
            rows = session.exec(select(model)).all()
            assert all(row.article_id == stored.id for row in rows)
