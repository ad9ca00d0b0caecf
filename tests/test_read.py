"""The reader: metadata from the text, body boundaries and junk masking, offsets intact."""

from __future__ import annotations

from datetime import date

import pytest

from app.ingest.text import clean
from app.ingest.text.read import decode, read_article
from app.ingestion import UnreadableArticle

SCRAPED = (
    "ARTICLE AD BOX\n"
    "Army says rebels seized the town of Kidal overnight\n"
    "Army says rebels seized the town of Kidal overnight\n"
    "By Amina Traore\n"
    "Published: 14/11/2023 - 10:02\n"
    "Malian troops and Wagner fighters entered Kidal after a week of air strikes.\n"
    "Soldiers patrol a street in KidalSoldiers patrol a street in KidalREUTERS\n"
    "The army said at least 40 rebels were killed in the fighting.\n"
    "You may like\n"
    "Ten things to do in Bamako\n"
)


def test_title_author_and_body_start_are_found() -> None:
    article = read_article(SCRAPED)
    assert article.meta.title == "Army says rebels seized the town of Kidal overnight"
    assert article.meta.author == "Amina Traore"
    assert article.text[article.body_start:].startswith("Malian troops")


def test_junk_is_masked_but_text_is_kept_verbatim() -> None:
    article = read_article(SCRAPED)
    assert article.text == SCRAPED
    masked = clean.mask(article.text, list(article.skip))
    assert len(masked) == len(article.text)
    assert "REUTERS" not in masked and "Bamako" not in masked and "AD BOX" not in masked
    assert "at least 40 rebels were killed" in masked


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("ADVERTISEMENT", "ad"),
        ("Share this article", "share"),
        ("LATEST DEVELOPMENTS:", "label"),
        ("16:20 GMT", "timestamp"),
        ("Tags: Sudan · RSF · El Fasher", "tags"),
        ("Gunmen killed 12 people in Zamfara state on Sunday.", None),
    ],
)
def test_classify_line(line: str, kind: str | None) -> None:
    assert clean.classify_line(line) == kind


def test_wordpress_captions_are_junk_up_to_the_marker() -> None:
    line = ("Fighters in Khartoum[/caption] Smoke rises over the city[/caption]"
            "The RSF said it shelled the base.")
    spans = clean.caption_spans(0, line)
    assert spans[-1].end == line.index("The RSF")
    assert all(line[s.start:s.end] == s.text for s in spans)


def test_dateline_is_masked_and_publisher_found() -> None:
    text = ("Headline about Gaza strikes\n\nGAZA, Oct 9 (Reuters) - Israeli jets struck 20 sites"
            " overnight, the army said.\n")
    article = read_article(text)
    assert article.meta.publisher == "Reuters"
    masked = clean.mask(article.text, list(article.skip))
    assert "GAZA, Oct 9" not in masked and "Israeli jets struck" in masked


def test_html_is_reduced_to_text() -> None:
    html = ("<html><body><h1>Clashes in Goma</h1><p>Published 05/02/2025</p>"
            "<p>M23 rebels said they had taken the airport on Monday, residents said.</p>"
            "<p>At least 700 people were killed in the fighting, the UN said.</p></body></html>")
    article = read_article(html)
    assert "<p>" not in article.text
    assert "At least 700 people were killed" in article.text


def test_overrides_win_over_what_the_text_says() -> None:
    from app.ingest.types import ArticleMeta

    article = read_article(SCRAPED, ArticleMeta(published=date(2023, 11, 15), publisher="X"))
    assert article.meta.published == date(2023, 11, 15)
    assert article.meta.publisher == "X"


@pytest.mark.parametrize("data", [b"", b"   \n  "])
def test_empty_input_is_rejected(data: bytes) -> None:
    with pytest.raises(UnreadableArticle):
        read_article(decode(data))


def test_binary_input_is_rejected() -> None:
    with pytest.raises(UnreadableArticle, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_cp1252_is_decoded() -> None:
    text = "Les forces armées ont repris Ménaka, a déclaré l’armée."
    assert decode(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    ("line", "header"),
    [
        ("Fri 15 Mar 2024 08.40 GMT", True),
        ("Tuesday, March 5, 2024 at 10:32 am", True),
        ("2024-03-05", True),
        ("07.03.2024", True),
        ("Levant Observer · Middle East · Lebanon", True),
        ("Meridian Post | Live", True),
        ("By Htet Aung Lin", True),
        ("Updated: 2024-09-24 11:32 (GMT+3)", True),
        ("Gunmen killed 14 people in Ménaka on 5 March 2024, officials said.", False),
        ("Israeli strikes on Nabatieh killed at least 12 people", False),
    ],
)
def test_header_lines(line: str, header: bool) -> None:
    from app.ingest.text.read import is_header_line

    assert is_header_line(line) is header


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Image source, Reuters", "caption"),
        ("Image caption, Smoke rises over Khartoum after RSF shelling", "caption"),
        ("Photo: AFP", "caption"),
        ("Sign up for our daily newsletter", "promo"),
        ("READ MORE: Sudan's war explained", "promo"),
        ("Listen to this article", "widget"),
        ("4 min read", "widget"),
        ("Related Topics", "trailer"),
        ("Getty Images", "credit"),
        ("Story continues below advertisement", "ad"),
        ("Watch: how drones changed the war in Ukraine's east", "promo"),
        ("More than 30 people were killed in the attack, officials said.", None),
        ("Comments by the defence minister were widely criticised by NATO allies on Monday.", None),
    ],
)
def test_more_scraping_junk(line: str, kind: str | None) -> None:
    assert clean.classify_line(line) == kind


def test_text_that_opens_with_its_body_has_no_title() -> None:
    text = ("GOMA, Jan 28 (Wire) - M23 rebels seized Goma airport on Tuesday, residents said. "
            "At least 100 people have been killed, hospitals said.")
    article = read_article(text)
    assert article.meta.title is None and article.meta.publisher == "Wire"
    masked = clean.mask(article.text, list(article.skip))
    assert "M23 rebels seized Goma airport" in masked and "GOMA, Jan 28" not in masked
