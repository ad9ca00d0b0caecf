"""Event sides and fatalities against gold events: the naive reading and the event modules.

For every gold event of ``GOLD_DIR/*.json`` (EVENTS.md format, article text in
``ARTICLES_DIR``) the article is parsed and run through the actor and figure stages as the
pipeline runs them; the event's trigger is the first attack word of the gold quote's sentence.
The naive reading takes the first initiator, the first target and the largest killed figure;
the event modules take ``find_sides``, ``find_scopes`` and ``count_fatalities``.

    PYTHONPATH=. .venv/bin/python bench/event_sides_eval.py tests/fixtures/descriptions/gold \
        tests/fixtures/descriptions/articles [-v]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from app.ingest.actors import find_actors
from app.ingest.events.fatalities import count_fatalities
from app.ingest.events.scope import find_scopes
from app.ingest.events.sides import find_sides
from app.ingest.figures import find_figures
from app.ingest.pipeline import get_nlp
from app.ingest.text import clean
from app.ingest.text.doc_index import install, sentences
from app.ingest.text.read import read_article
from app.ingest.types import ActorMention, FigureMention
from app.scoring_events import alias_table, same_actor

TRIGGERS = {
    "attack", "assault", "strike", "airstrike", "shell", "shelling", "bomb", "bombing", "bombard",
    "bombardment", "kill", "clash", "clashes", "fight", "fighting", "battle", "ambush", "raid",
    "abduct", "abduction", "kidnap", "arrest", "detain", "protest", "demonstrate", "demonstration",
    "rally", "march", "riot", "loot", "burn", "torch", "fire", "shoot", "explode", "explosion",
    "detonate", "blast", "hit", "capture", "seize", "recapture", "retake", "storm", "overrun",
    "take", "massacre", "execute", "behead", "murder", "target", "launch", "drop", "open", "set",
    "destroy", "ransack", "plant", "sign", "establish", "intercept", "down", "rape", "gun", "beat",
    "lynch", "besiege", "encounter", "throw", "lob", "stab", "grenade",
}


def trigger_of(doc: Doc, quote: str) -> Token | None:
    """The first attack word of the sentence holding the gold quote (else of the text)."""
    text = doc.text
    at = text.find(quote[:60]) if quote else -1
    sents = sentences(doc)
    chosen: list[Span] = [s for s in sents if s.start_char <= at < s.end_char] if at >= 0 else []
    for sent in chosen + sents:
        for tok in sent:
            if tok.pos_ in {"VERB", "NOUN"} and tok.lemma_.lower() in TRIGGERS:
                return tok
    return None


def event_sentences(doc: Doc, quotes: list[str]) -> list[Span]:
    """The sentences holding any of the gold quotes (their first 60 characters)."""
    text, out = doc.text, []
    for quote in quotes:
        at = text.find(quote[:60]) if quote else -1
        out += [s for s in sentences(doc) if s.start_char <= at < s.end_char and s not in out]
    return out


def naive(actors: list[ActorMention], figures: list[FigureMention]
          ) -> tuple[str | None, str | None, int | None]:
    a1 = next((a.name for a in actors if a.role == "initiator"), None)
    a2 = next((a.name for a in actors if a.role == "target"), None)
    killed = [f.value for f in figures if f.counts in {"killed", "civilians_killed"}
              and f.value is not None]
    return a1, a2, int(max(killed)) if killed else None


def main(gold_dir: str, articles_dir: str, verbose: bool) -> None:
    nlp = get_nlp()
    tally = {k: [0, 0] for k in ("a1", "a2", "dead", "dead0", "nodead")}
    total = nodead_total = 0
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text())
        events = gold.get("events") or []
        raw = (Path(articles_dir) / gold["article"]).read_text()
        article = read_article(raw)
        doc = nlp(clean.mask(article.text, list(article.skip)))
        install(doc)
        actors = find_actors(doc)
        figures = find_figures(doc, skip=article.skip)
        scoped = find_scopes(doc, figures)
        aliases = alias_table(gold)
        if not any(e.get("fatalities") for e in events) and gold.get("has_conflict_events"):
            nodead_total += 1
            n_dead = naive(actors, figures)[2]
            m_dead = _my_dead(scoped, doc)
            tally["nodead"][0] += not n_dead
            tally["nodead"][1] += not m_dead
        for event in events:
            total += 1
            trig = trigger_of(doc, event.get("quote", ""))
            country = (event.get("place") or {}).get("country")
            n1, n2, nd = naive(actors, figures)
            m1 = m2 = None
            if trig is not None:
                s1, s2 = find_sides(trig, actors, event_type=f"{event['event_type']} / "
                                    f"{event.get('sub_event_type')}", country_hint=country)
                m1, m2 = (s1.name if s1 else None), (s2.name if s2 else None)
            if gold.get("format") == "description":
                md = _my_dead(scoped, doc)
            else:  # an article: the event's own sentences (quote and 'also') and their figures
                own = event_sentences(doc, [event.get("quote", ""), *event.get("also", [])])
                inside = [f for f in scoped if any(s.start_char <= f.span.start < s.end_char
                                                   for s in own)]
                md = count_fatalities([f for f in inside if f.scope == "event"], own)
                nd = naive(actors, [f for f in figures if any(
                    s.start_char <= f.span.start < s.end_char for s in own)])[2]
            g1, g2, gd = event.get("actor1"), event.get("actor2"), event.get("fatalities")
            for key, n, m, ok in (("a1", n1, m1, lambda a, b, al=aliases: same_actor(a, b, al)),
                                  ("a2", n2, m2, lambda a, b, al=aliases: same_actor(a, b, al)),
                                  ("dead", nd, md, lambda a, b: a == b)):
                g = {"a1": g1, "a2": g2, "dead": gd}[key]
                tally[key][0] += ok(g, n)
                tally[key][1] += ok(g, m)
                if key == "dead":  # the gold codes 'no casualties' as null, the brief as 0
                    tally["dead0"][0] += ok(g, n)
                    tally["dead0"][1] += ok(g, None if m == 0 else m)
                if verbose and not ok(g, m):
                    print(f"{path.stem} {key}: gold {g!r} got {m!r} (naive {n!r}) "
                          f"[{trig}] {event.get('quote', '')[:100]!r}")
    print(f"gold events: {total}; descriptions with no death: {nodead_total}")
    for key, label, n in (("a1", "actor1", total), ("a2", "actor2", total),
                          ("dead", "fatalities exact", total),
                          ("dead0", "fatalities, 0 read as null", total),
                          ("nodead", "no killed where none died", nodead_total)):
        before, after = tally[key]
        print(f"{label:28s} naive {before}/{n} = {before / max(n, 1):.3f}   "
              f"modules {after}/{n} = {after / max(n, 1):.3f}")


def _my_dead(scoped: list[FigureMention], doc: Doc) -> int | None:
    return count_fatalities([f for f in scoped if f.scope == "event"], sentences(doc))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    main(args[0], args[1], "-v" in sys.argv)
