"""Hand-built drafts that use every event field (actors with roles, fatalities, background,
mentions, reported dates, figure scopes), for store, API and export tests.

Written for these tests, from several wars; built with offsets computed from the text so
``article.text[start:end] == text`` holds for every sentence, figure and place.
"""

from __future__ import annotations

from datetime import date

from app.ingest.types import (
    ActorMention,
    ArticleDraft,
    ArticleMeta,
    CleanText,
    DateMention,
    EventDraft,
    FigureMention,
    PlaceMention,
    Sentence,
    Span,
)

SAHEL = ("Gunmen attacked the village of Djibo on Tuesday, killing 12 civilians. "
         "Residents said the attackers burned the market in Djibo. "
         "The insurgency has killed more than 20,000 people since 2015. "
         "In 2019 jihadists ambushed an army convoy in the Sahel region, killing 40 soldiers.")
KIVU = ("M23 rebels shelled the outskirts of Sake, a town of 50,000 people, killing two. "
        "The fighting has killed 3,000 people this year.")
CIVILIANS = ActorMention(Span(0, 0, ""), "civilians", "civilians")


def sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences split on '. ' with exact offsets (the tests' texts are plain)."""
    found, start = [], 0
    for index, part in enumerate(text.split(". ")):
        body = part if part.endswith(".") else part + "."
        found.append(Sentence(index, start, start + len(body), body))
        start += len(part) + 2
    return tuple(found)


def span(text: str, words: str, after: int = 0) -> Span:
    start = text.index(words, after)
    return Span(start, start + len(words), words)


def actor(text: str, words: str, name: str, kind: str, role: str = "other",
          country: str | None = None) -> ActorMention:
    return ActorMention(span(text, words), name, kind, role, country)


def killed(text: str, words: str, value: float, scope: str = "event",
           counts: str = "killed", after: int = 0) -> FigureMention:
    return FigureMention(span(text, words, after), value, None, None, "person", counts,
                         scope=scope)


def sahel_draft() -> ArticleDraft:
    """An attack on civilians reported in two sentences, a cumulative toll that is no event,
    and a background ambush from years before."""
    text, (attack, burned, _toll, ambush) = SAHEL, sentences(SAHEL)
    djibo = PlaceMention(span(text, "Djibo"), "Djibo", "settlement", "BF", "Sahel", 14.1, -1.63)
    region = PlaceMention(span(text, "Sahel region"), "Sahel", "admin1", "BF", "Sahel",
                          14.0, -0.5)
    jnim = actor(text, "Gunmen", "JNIM", "armed_group", "initiator")
    army = actor(text, "army", "Burkina Faso", "state", "target", "BF")
    first = EventDraft(
        sentence=attack, type="attack", acled_event_type="Violence against civilians",
        acled_sub_event_type="Attack", place=djibo,
        date=DateMention(span(text, "on Tuesday"), date(2025, 3, 4), date(2025, 3, 4), "day"),
        actors=(jnim,), figures=(killed(text, "12 civilians", 12, counts="civilians_killed"),),
        actor1=jnim, actor2=CIVILIANS, fatalities=12, mentions=(attack, burned))
    recalled = EventDraft(
        sentence=ambush, type="ambush", acled_event_type="Battles",
        acled_sub_event_type="Armed clash", place=region,
        date=DateMention(span(text, "In 2019"), date(2019, 1, 1), date(2019, 12, 31), "year"),
        actors=(actor(text, "jihadists", "JNIM", "armed_group", "initiator"), army),
        figures=(killed(text, "40 soldiers", 40),), actor1=jnim, actor2=army, fatalities=40,
        background=True)
    cumulative = killed(text, "more than 20,000 people", 20000, scope="cumulative")
    meta = ArticleMeta(title="Attack on Djibo", publisher="Sahel Monitor",
                       published=date(2025, 3, 6), url="https://example.org/sahel/djibo")
    return ArticleDraft(clean=CleanText(text=text, meta=meta), sentences=sentences(text),
                        events=(first, recalled),
                        figures=(*first.figures, *recalled.figures, cumulative))


def kivu_draft() -> ArticleDraft:
    """Shelling dated only by publication (``reported``), placed at country level, with a
    context figure (a population) and a cumulative one attached to it."""
    text, (shelling, toll) = KIVU, sentences(KIVU)
    country = PlaceMention(span(text, "Sake"), "Democratic Republic of the Congo", "country",
                           "CD", None, -2.88, 23.66)
    m23 = actor(text, "M23 rebels", "M23", "armed_group", "initiator")
    event = EventDraft(
        sentence=shelling, type="shelling", acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Shelling/artillery/missile attack", place=country,
        date=DateMention(Span(shelling.start, shelling.start, ""), date(2024, 10, 26),
                         date(2024, 11, 2), "reported"),
        actors=(m23,), figures=(killed(text, "two", 2),
                                killed(text, "50,000 people", 50000, "context", "population"),
                                killed(text, "3,000 people", 3000, "cumulative")),
        actor1=m23, fatalities=2, mentions=(shelling,))
    meta = ArticleMeta(title="Shelling near Sake", publisher="Kivu Dispatch",
                       published=date(2024, 11, 2), url="https://example.org/kivu/sake")
    return ArticleDraft(clean=CleanText(text=text, meta=meta), sentences=(shelling, toll),
                        events=(event,), figures=event.figures)
