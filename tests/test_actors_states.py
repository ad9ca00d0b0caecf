"""Actors that resolve: state forces named by description, acronyms in the article's terms,
places that are never actors, attackers named after "from", speakers of their own strikes.

Sentences written for this file from many wars (Somalia, Sahel, Ukraine, Gaza/Lebanon,
Kenya, Cameroon, Pakistan, Myanmar, Syria, DR Congo); real spaCy model, no mocks.
"""

from __future__ import annotations

import pytest

from app.ingest.actors import find_actors
from app.ingest.pipeline import get_nlp
from app.ingest.types import ActorMention
from app.vocabulary.actors import state_of


def _actors(text: str) -> list[ActorMention]:
    return find_actors(get_nlp()(text))


def _by_text(text: str) -> dict[str, ActorMention]:
    return {m.span.text: m for m in _actors(text)}


# (sentence, surface, canonical name): a state's forces by description or acronym
STATE_FORCES = [
    ("Government security forces (SNA) repulsed an al-Shabaab attack near Afgooye.", "SNA",
     "Somalia"),
    ("Government security forces (SNA) repulsed an al-Shabaab attack near Afgooye.",
     "security forces", "Somalia"),
    ("The Somali National Army (SNA) said it killed 12 militants near Jilib.", "SNA", "Somalia"),
    ("NISA agents arrested three suspects in Mogadishu on Tuesday.", "NISA agents", "Somalia"),
    ("The junta said its troops killed 30 terrorists near Djibo.", "junta", "Burkina Faso"),
    ("The army shelled separatist positions near Bamenda, the military said.", "army",
     "Cameroon"),
    ("Police in Nairobi fired tear gas at protesters on Tuesday.", "Police", "Kenya"),
    ("The SBU detained a man suspected of spying in Zaporizhzhia.", "SBU", "Ukraine"),
    ("Pakistan's ISI arrested two suspects in Quetta.", "ISI", "Pakistan"),
    ("FAMa soldiers repelled an attack on a base near Boni.", "FAMa soldiers", "Mali"),
]


@pytest.mark.parametrize(("sentence", "surface", "name"), STATE_FORCES)
def test_state_forces_resolve_to_their_state(sentence: str, surface: str, name: str) -> None:
    mention = _by_text(sentence).get(surface)
    assert mention is not None, _actors(sentence)
    assert mention.name == name and mention.kind == "state", mention


def test_acronym_follows_the_war_it_is_used_in() -> None:
    """SNA is the Syrian rebel coalition (not Somalia's army) in a story set in Syria."""
    text = "Fighters of the SNA shelled Manbij and Tal Rifaat in Aleppo province."
    mention = _by_text(text).get("SNA")
    assert mention is not None and mention.kind == "armed_group" and mention.country is None


def test_text_definition_beats_the_dictionary() -> None:
    text = ("The Allied Democratic Forces (ADF) killed 20 villagers near Beni. "
            "The ADF has been blamed for most attacks in the area.")
    assert {m.name for m in _actors(text) if m.span.text == "ADF"} == {"Allied Democratic Forces"}


@pytest.mark.parametrize(("name", "state"), [
    ("Danab", "Somalia"),            # a named unit of the Somali army
    ("Africa Corps", "Russia"),      # the Russian force that replaced Wagner in the Sahel
    ("Akhmat", "Russia"),
    ("Azov Brigade", "Ukraine"),
    ("FAMa", "Mali"),                # an alias of the state
    ("NISA", "Somalia"),
    ("SBU", "Ukraine"),
    ("Ukraine", "Ukraine"),
])
def test_state_of_names_the_state(name: str, state: str) -> None:
    assert state_of(name) == state


@pytest.mark.parametrize("name", ["Wagner Group", "al-Shabaab", "Hezbollah", "Radwan Force",
                                  "United Nations", "Nobody Known"])
def test_state_of_is_none_for_non_state_actors(name: str) -> None:
    assert state_of(name) is None


# villages the small model tags as people are places, never actors
@pytest.mark.parametrize(("sentence", "place"), [
    ("Residents of Kfar Kila fled after Israeli shelling overnight.", "Kfar Kila"),
    ("An Israeli strike killed five people in Khan Younis on Sunday.", "Khan Younis"),
    ("Rockets hit Majdal Shams, killing twelve children.", "Majdal Shams"),
    ("Militants raided Kafr Nabl before dawn, residents said.", "Kafr Nabl"),
])
def test_places_never_become_actors(sentence: str, place: str) -> None:
    assert all(place not in m.span.text for m in _actors(sentence)), _actors(sentence)


def test_attacks_from_a_state_make_it_the_initiator() -> None:
    mention = _by_text("Kharkiv came under attacks from Russia overnight.").get("Russia")
    assert mention is not None and mention.role == "initiator"


def test_launch_site_after_a_verb_is_not_the_state() -> None:
    """Rockets fired from Lebanon are Hezbollah's; the Lebanese state is not the attacker."""
    assert "Lebanon" not in {m.name for m in _actors(
        "Rockets fired from Lebanon hit the town of Kiryat Shmona.")}


@pytest.mark.parametrize(("sentence", "surface", "role"), [
    ("Israel said its jets struck Hezbollah targets in southern Lebanon.", "Israel", "initiator"),
    ("Ukraine's SBU said it struck a Russian airfield overnight.", "SBU", "initiator"),
    ("The army said its troops killed 30 militants near Djibo.", "army", "initiator"),
    ("Ukraine said Russia struck Kharkiv overnight.", "Ukraine", "claimant"),
])
def test_speaker_of_its_own_strike_is_the_initiator(sentence: str, surface: str,
                                                    role: str) -> None:
    mention = _by_text(sentence).get(surface)
    assert mention is not None and mention.role == role, _actors(sentence)


def test_un_and_united_nations_are_one_actor() -> None:
    text = "The UN said 40 civilians were killed; a United Nations spokesman called for calm."
    assert {m.name for m in _actors(text)} == {"United Nations"}
