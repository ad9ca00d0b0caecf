"""Event sides (actor1 acted, actor2 was acted upon) from the parse of the trigger word.

Sentences are written for this file, from many wars, and run through the real spaCy model and
the real actor stage; the trigger is the first word of the sentence with the given lemma.
"""

from __future__ import annotations

import pytest

from app.ingest.actors import find_actors
from app.ingest.events.fatalities import count_fatalities
from app.ingest.events.scope import find_scopes
from app.ingest.events.sides import find_sides
from app.ingest.figures import find_figures
from app.ingest.pipeline import get_nlp
from app.ingest.text.doc_index import sentences
from app.ingest.types import ActorMention


def _sides(text: str, lemma: str, event_type: str, country: str | None
           ) -> tuple[ActorMention | None, ActorMention | None]:
    doc = get_nlp()(text)
    actors = find_actors(doc)
    trigger = next(t for t in doc if t.lemma_.lower() == lemma or t.lower_ == lemma)
    return find_sides(trigger, actors, event_type=event_type, country_hint=country)


def _names(text: str, lemma: str, event_type: str, country: str | None
           ) -> tuple[str | None, str | None]:
    one, two = _sides(text, lemma, event_type, country)
    return (one.name if one else None), (two.name if two else None)


BATTLE = "Battles / Armed clash"
STRIKE = "Explosions/Remote violence / Air/drone strike"
SHELLING = "Explosions/Remote violence / Shelling/artillery/missile attack"
IED = "Explosions/Remote violence / Remote explosive/landmine/IED"
VAC = "Violence against civilians / Attack"
ABDUCTION = "Violence against civilians / Abduction/forced disappearance"
ARREST = "Strategic developments / Arrests"
PROTEST = "Protests / Protest with intervention"
PEACEFUL = "Protests / Peaceful protest"
MOB = "Riots / Mob violence"
BASE = "Strategic developments / Headquarters or base established"


@pytest.mark.parametrize(
    ("text", "lemma", "event_type", "country", "actor1", "actor2"),
    [
        # active verb: subject acted, object was acted upon
        ("Al-Shabaab fighters attacked an SNA base near Bulo Burto on Monday.", "attack",
         BATTLE, "SO", "al-Shabaab", "Somalia"),
        ("JNIM militants ambushed a FAMa convoy between Niono and Diabaly.", "ambush",
         BATTLE, "ML", "JNIM", "Mali"),
        ("M23 rebels seized the town of Sake after two days of fighting.", "seize",
         "Battles / Non-state actor overtakes territory", "CD", "M23", None),
        ("Houthi forces fired a ballistic missile at a Greek-flagged tanker.", "fire",
         SHELLING, "YE", "Houthis", "civilians"),
        # passive verb: the agent acted, the passive subject was acted upon
        ("A police patrol was ambushed by Boko Haram fighters near Konduga.", "ambush",
         BATTLE, "NG", "Boko Haram", "Nigeria"),
        ("Three farmers were shot dead by suspected Fulani militia in Bokkos.", "shoot",
         VAC, "NG", None, "civilians"),
        # trigger noun: possessive, modifier, 'by X', light verbs
        ("Israel's strike on the Nuseirat camp killed at least 20 people.", "strike",
         STRIKE, "PS", "Israel", "civilians"),
        ("A Russian missile strike on Kharkiv wounded 14 people.", "strike",
         SHELLING, "UA", "Russia", "civilians"),
        ("An al-Shabaab ambush on a Kenyan police convoy in Mandera killed four officers.",
         "ambush", BATTLE, "KE", "al-Shabaab", "Kenya"),
        ("US forces conducted an airstrike against al-Shabaab fighters near Jilib.", "airstrike",
         STRIKE, "SO", "United States", "al-Shabaab"),
        ("The attack by RSF fighters on the Zamzam camp lasted two days.", "attack",
         VAC, "SD", "Rapid Support Forces", "civilians"),
        # state forces named by description take the event's state
        ("The army shelled rebel positions around Kidal overnight.", "shell",
         SHELLING, "ML", "Mali", None),
        ("Government troops clashed with Fano militiamen in Debre Markos.", "clash",
         BATTLE, "ET", "Ethiopia", "Fano"),
        ("Security forces opened fire on protesters in Kisumu, killing two.", "open",
         "Protests / Excessive force against protesters", "KE", None, "Kenya"),
        ("SNA troops backed by clan militia recaptured villages near Jowhar.", "recapture",
         "Battles / Government regains territory", "SO", "Somalia", None),
        ("NISA agents raided a house in Mogadishu and detained two suspects.", "raid",
         ARREST, "SO", "Somalia", "civilians"),
        ("The junta's jets bombed a monastery in Sagaing, killing 11 villagers.", "bomb",
         STRIKE, "MM", "Myanmar", "civilians"),
        ("Police arrested 40 opposition supporters in Kampala on Tuesday.", "arrest",
         ARREST, "UG", "Uganda", "civilians"),
        # a named unit of another country keeps its own name
        ("RSF fighters stormed the market in El Fasher.", "storm",
         VAC, "SD", "Rapid Support Forces", "civilians"),
        # civilians where unarmed people or their places are targeted
        ("Gunmen of the Balochistan Liberation Army killed six labourers near Turbat.", "kill",
         VAC, "PK", "Balochistan Liberation Army", "civilians"),
        ("Wagner forces and Malian soldiers executed villagers in Moura.", "execute",
         VAC, "ML", "Wagner Group", "civilians"),
        ("An Israeli drone struck a car near Nabatieh, killing two Hezbollah members.", "strike",
         STRIKE, "LB", "Israel", "Hezbollah"),
        # unidentified perpetrators stay unnamed unless the text attributes the attack
        ("Unidentified gunmen shot dead a village chief in Kasai.", "shoot",
         VAC, "CD", None, "civilians"),
        (("Gunmen on motorbikes killed 12 worshippers at a mosque near Djibo. JNIM claimed "
         "responsibility."), "kill", VAC, "BF", "JNIM", "civilians"),
        ("A roadside bomb struck an army truck near Baidoa. Al-Shabaab is suspected.", "strike",
         IED, "SO", "al-Shabaab", "Somalia"),
        ("An IED planted by ISWAP fighters exploded under a military vehicle near Dikwa.",
         "explode", IED, "NG", "ISWAP", "Nigeria"),
        ("Armed men believed to be separatists kidnapped ten students in Bamenda.", "kidnap",
         ABDUCTION, "CM", "Anglophone separatists", "civilians"),
        ("An IED struck a patrol in Tarmiyah. The attack bore the hallmarks of Islamic State.",
         "strike", IED, "IQ", "Islamic State", None),
        # a backer is neither the perpetrator nor the other side
        (("Heavy fighting broke out between M23 and FARDC soldiers supported by Wazalendo "
         "militias."), "fighting", BATTLE, "CD", "M23", "Democratic Republic of Congo"),
        # both sides named in a clash
        ("Fighting broke out on Sunday between M23 and FARDC soldiers near Masisi.", "fighting",
         BATTLE, "CD", "M23", "Democratic Republic of Congo"),
        ("ELN guerrillas clashed with FARC dissidents in rural Arauca.", "clash",
         BATTLE, "CO", "ELN", "FARC dissidents"),
        ("Government forces and Houthi fighters exchanged fire north of Marib.", "exchange",
         BATTLE, "YE", "Yemen", "Houthis"),
        # pronouns stand for the subject that reports them
        ("The Burkinabe army said it had retaken Djibo from the jihadists.", "retake",
         "Battles / Government regains territory", "BF", "Burkina Faso", None),
        # protests and riots: organised protesters, the force that intervened
        ("PTI supporters marched on Islamabad; police fired tear gas at them.", "march",
         PROTEST, "PK", "PTI", "Pakistan"),
        ("Thousands of students protested peacefully in Dhaka against the quota system.",
         "protest", PEACEFUL, "BD", None, None),
        ("A mob beat a man to death in Kano after accusing him of blasphemy.", "beat",
         MOB, "NG", None, "civilians"),
        # a state setting up its own base acts on nobody
        ("Lebanese army units set up a new military post near Naqoura.", "set",
         BASE, "LB", "Lebanon", None),
        # a country's possessive places a group, a dateline is no subject
        ("Sudan's paramilitary Rapid Support Forces shelled the Abu Shouk camp.", "shell",
         SHELLING, "SD", "Rapid Support Forces", "civilians"),
        (("BENI, Congo, Oct 22 (Wire) - Rebels of the Allied Democratic Forces killed 12 "
         "villagers."), "kill", VAC, "CD", "Allied Democratic Forces", "civilians"),
        # a definite attack noun refers back to the attack just told
        (("A Myanmar military jet bombed Kyauktaw township on Wednesday. The strike hit a "
         "monastery."), "hit", STRIKE, "MM", "Myanmar", "civilians"),
        # places never become sides
        ("Ukrainian drones attacked the oil refinery in Tuapse overnight.", "attack",
         STRIKE, "RU", "Ukraine", None),
    ],
)
def test_sides(text: str, lemma: str, event_type: str, country: str | None,
               actor1: str | None, actor2: str | None) -> None:
    assert _names(text, lemma, event_type, country) == (actor1, actor2)


def test_description_resolves_to_the_event_country_not_the_article_default() -> None:
    """'the army' in a Somali village is Somalia's army even if the US is named first."""
    text = ("US officials said the strike was not theirs. In Bulo Burto, the army shelled "
            "al-Shabaab positions on Monday.")
    one, _ = _sides(text, "shell", SHELLING, "SO")
    assert one is not None and one.name == "Somalia" and one.kind == "state"
    assert one.country == "SO"


def test_civilians_actor_shape() -> None:
    _, two = _sides("Militants abducted 30 schoolchildren from a school in Kuriga.", "abduct",
                    ABDUCTION, "NG")
    assert two is not None and (two.name, two.kind) == ("civilians", "civilians")
    assert two.span.text in "Militants abducted 30 schoolchildren from a school in Kuriga."


def test_no_country_hint_leaves_an_unnamed_army_unnamed() -> None:
    one, _ = _sides("The army shelled the outskirts of the town.", "shell", SHELLING, None)
    assert one is None


def test_sides_offsets_point_into_the_text() -> None:
    text = "On 3 May, Danab commandos raided an al-Shabaab hideout near Jilib."
    one, two = _sides(text, "raid", BATTLE, "SO")
    assert one is not None and two is not None
    assert (one.name, two.name) == ("Somalia", "al-Shabaab")
    assert text[one.span.start:one.span.end] == one.span.text
    assert "Danab" in one.span.text


# Analyst-style notes (date, actors, place with district and region, toll), written for this
# file: sides and fatalities together, as the event stage asks for them.
NOTES = [
    (
        "On 12 May 2024, Boko Haram militants attacked Mafa town (Mafa, Borno), killing 7 "
        "civilians and burning houses.",
        "attack", "Violence against civilians / Attack", "NG", "Boko Haram", "civilians", 7,
    ),
    (
        "On 4 June 2024, the Myanmar military airstrike hit Let Yet Kone village (Tabayin, "
        "Sagaing), killing 3 students.",
        "airstrike", "Explosions/Remote violence / Air/drone strike", "MM", "Myanmar", "civilians",
        3,
    ),
    (
        "On 9 July 2024, unidentified gunmen shot and killed a businessman in Cap-Haitien "
        "(Cap-Haitien, Nord).",
        "shoot", "Violence against civilians / Attack", "HT", None, "civilians", 1,
    ),
    (
        "On 20 August 2024, police arrested 15 protesters in Nairobi (Nairobi) during a "
        "demonstration against the finance bill.",
        "arrest", "Strategic developments / Arrests", "KE", "Kenya", "civilians", None,
    ),
    (
        "On 2 March 2024, Ukrainian forces shelled Horlivka (Horlivka, Donetsk), killing 2 "
        "civilians, according to Russian-installed officials.",
        "shell", "Explosions/Remote violence / Shelling/artillery/missile attack", "UA", "Ukraine",
        "civilians", 2,
    ),
    (
        "On 18 September 2024, ADF rebels attacked Mayikengo village (Lubero, North Kivu) with "
        "machetes, killing 11 people.",
        "attack", "Violence against civilians / Attack", "CD", "Allied Democratic Forces",
        "civilians", 11,
    ),
    (
        "On 7 October 2024, FAMa and Wagner forces clashed with JNIM militants near Bourem "
        "(Bourem, Gao). Fatalities unknown.",
        "clash", "Battles / Armed clash", "ML", "Mali", "JNIM", None,
    ),
    (
        "On 28 November 2024, the Nigerian Army killed 12 bandits in an ambush in Tsafe (Tsafe, "
        "Zamfara).",
        "kill", "Battles / Armed clash", "NG", "Nigeria", "Bandits", 12,
    ),
    (
        "On 1 December 2024, a Russian drone struck a civilian car in Kherson city (Kherson, "
        "Kherson), killing a man.",
        "strike", "Explosions/Remote violence / Air/drone strike", "UA", "Russia", "civilians", 1,
    ),
    (
        "On 5 January 2025, SAF warplanes bombed a market in Kabkabiya (Kabkabiya, North Darfur), "
        "killing at least 40 people, residents said.",
        "bomb", "Explosions/Remote violence / Air/drone strike", "SD", "Sudan", "civilians", 40,
    ),
    (
        "On 10 February 2025, TTP militants attacked a police checkpoint in Bannu (Bannu, Khyber "
        "Pakhtunkhwa), killing 2 policemen. Three militants were killed in retaliatory fire.",
        "attack", "Battles / Armed clash", "PK", "Tehrik-e-Taliban Pakistan", "Pakistan", 5,
    ),
    (
        "On 15 March 2025, Houthi forces launched a drone at a commercial vessel in the Red Sea "
        "off Hodeidah. No damage or casualties were reported.",
        "launch", "Explosions/Remote violence / Air/drone strike", "YE", "Houthis", "civilians",
        None,
    ),
    (
        "On 22 April 2025, Israeli forces demolished two Palestinian homes in Masafer Yatta "
        "(Hebron, Hebron).",
        "demolish", "Strategic developments / Looting/property destruction", "PS", "Israel",
        "civilians", None,
    ),
    (
        "On 3 May 2025, Fano militia ambushed an ENDF convoy near Bahir Dar (Bahir Dar, Amhara), "
        "killing an unknown number of soldiers.",
        "ambush", "Battles / Armed clash", "ET", "Fano", "Ethiopia", None,
    ),
    (
        "On 30 May 2025, gang members of Viv Ansanm attacked Mirebalais (Mirebalais, Centre), "
        "killing 10 people, including 2 police officers.",
        "attack", "Violence against civilians / Attack", "HT", "Viv Ansanm", "civilians", 10,
    ),
    (
        "On 11 June 2025, Indian security forces killed 3 Maoists in an encounter in Bijapur "
        "(Bijapur, Chhattisgarh).",
        "kill", "Battles / Armed clash", "IN", "India", "Communist Party of India (Maoist)", 3,
    ),
    (
        "On 14 June 2025, hundreds of people protested peacefully in Bamako against power cuts.",
        "protest", "Protests / Peaceful protest", "ML", None, None, None,
    ),
    (
        "On 21 June 2025, a landmine exploded under a truck near Kidal (Kidal), killing the "
        "driver.",
        "explode", "Explosions/Remote violence / Remote explosive/landmine/IED", "ML", None,
        "civilians", 1,
    ),
]


@pytest.mark.parametrize(("text", "lemma", "event_type", "country", "actor1", "actor2", "dead"),
                         NOTES)
def test_analyst_notes(text: str, lemma: str, event_type: str, country: str,
                       actor1: str | None, actor2: str | None, dead: int | None) -> None:
    doc = get_nlp()(text)
    actors = find_actors(doc)
    figures = find_scopes(doc, find_figures(doc))
    trigger = next(t for t in doc if t.lemma_.lower() == lemma)
    one, two = find_sides(trigger, actors, event_type=event_type, country_hint=country)
    assert ((one.name if one else None), (two.name if two else None)) == (actor1, actor2)
    assert count_fatalities(figures, sentences(doc)) == dead
