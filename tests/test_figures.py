"""Figure spotting: numbers, bounds, vague quantities, units, counts, and the never-figures.

Sentences are written for these tests from wars other than Russia-Ukraine (Sudan, Myanmar,
Gaza, DRC, Sahel, Yemen, Colombia, Ethiopia, Syria) so the rules are not tuned to the seeds.
"""

from __future__ import annotations

import pytest

from app.ingest.figures import find_figures
from app.ingest.nlp import get_base_nlp
from app.ingest.types import FigureMention, Span


def figs(text: str, **kwargs: object) -> list[FigureMention]:
    return find_figures(get_base_nlp()(text), **kwargs)  # type: ignore[arg-type]


# sentence, span text, value, low, high, unit, counts
SHAPES = [
    ("The RSF killed at least 1,200 people in El Fasher.", "at least 1,200 people",
     1200, 1200, None, "person", "killed"),
    ("Sudan's health ministry said 1.5 million people had fled Khartoum.", "1.5 million people",
     1500000, None, None, "person", "evacuated"),
    ("Some 2m people have been displaced in Darfur.", "Some 2m people",
     2000000, None, None, "person", "evacuated"),
    ("Seventeen civilians died when a shell hit the market in Omdurman.", "Seventeen civilians",
     17, None, None, "person", "civilians_killed"),
    ("Eight soldiers were killed and a dozen wounded in an ambush near Goma.", "a dozen wounded",
     12, None, None, "person", "wounded"),
    ("The blast wounded a hundred worshippers in Kano.", "a hundred worshippers",
     100, None, None, "person", "wounded"),
    ("Up to 600 people may have been shot dead in Barsalogho.", "Up to 600 people",
     600, None, 600, "person", "killed"),
    ("As many as 300 Eritrean troops crossed into Tigray.", "As many as 300 Eritrean troops",
     300, None, 300, "person", "troops"),
    ("More than 20 armoured vehicles were destroyed in Rakhine.", "More than 20 armoured vehicles",
     20, 20, None, "vehicle", "vehicles"),
    ("Almost 300 people were injured in Khan Younis.", "Almost 300 people",
     300, None, 300, "person", "wounded"),
    ("Nearly 500 Colombian soldiers were deployed to Catatumbo.", "Nearly 500 Colombian soldiers",
     500, None, 500, "person", "troops"),
    ("The number of dead could exceed 500, witnesses told Reuters.", "exceed 500",
     500, 500, None, "person", "killed"),
    ("Between 3,000 and 4,000 Wagner fighters are deployed in Mali.",
     "Between 3,000 and 4,000 Wagner fighters", None, 3000, 4000, "person", "troops"),
    ("About 2,000-3,000 refugees crossed into Chad.", "2,000-3,000 refugees",
     None, 2000, 3000, "person", "evacuated"),
    ("Several missiles hit the port of Hodeidah.", "Several missiles",
     None, 3, 9, "missile", "missiles"),
    ("Dozens of soldiers had been killed in Aleppo.", "Dozens of soldiers",
     None, 24, 99, "person", "killed"),
    ("Hundreds of wounded were taken to hospital in Kaya.", "Hundreds of wounded",
     None, 200, 900, "person", "wounded"),
    ("Thousands of civilians have fled Goma.", "Thousands of civilians",
     None, 2000, 9000, "person", "evacuated"),
    ("Tens of thousands of Rohingya fled across the border.", "Tens of thousands of Rohingya",
     None, 20000, 90000, "person", "evacuated"),
    ("Hundreds of thousands of displaced Palestinians crowded into tents.",
     "Hundreds of thousands of displaced Palestinians",
     None, 200000, 900000, "person", "evacuated"),
    ("The militia now counts tens of thousands of jail convicts among its ranks.",
     "tens of thousands of jail convicts", None, 20000, 90000, "person", "other"),
    ("The rebels seized the 15-village enclave last week.", "15-village",
     15, None, None, "settlement", "settlements_controlled"),
    ("The army said it had captured 11 villages in Shan state.", "11 villages",
     11, None, None, "settlement", "settlements_controlled"),
    ("The governor ordered the evacuation of 23 settlements near Kidal.", "23 settlements",
     23, None, None, "settlement", "other"),
    ("The Houthis launched 18 drones at ships in the Red Sea.", "18 drones",
     18, None, None, "drone", "drones"),
    ("The jihadists shot down one Malian army helicopter.", "one Malian army helicopter",
     1, None, None, "aircraft", "other"),
    ("About 70 percent of Gaza's buildings have been damaged.", "About 70 percent",
     70, None, None, "percent", "other"),
    ("The US offered a $5m reward for the commander.", "$5m reward",
     5000000, None, None, "usd", "other"),
    ("Activists said the insurgents set off two car bombs in Idlib.", "two car bombs",
     2, None, None, "other", "other"),
    ("The IDF said its jets struck targets at seven locations in Lebanon.", "seven locations",
     7, None, None, "other", "other"),
    ("The Palestinian Red Crescent carried 102 wounded people to hospitals.", "102 wounded people",
     102, None, None, "person", "wounded"),
    ("The civil defence agency said the toll had risen to 15.", "15",
     15, None, None, "person", "killed"),
    ("ELN guerrillas pushed 12 miles into the Catatumbo region.", "12 miles",
     12, None, None, "mile", "distance_advanced"),
    ("The front line runs for more than 100 kilometres along the Nile.", "more than 100 kilometres",
     100, 100, None, "km", "distance"),
    ("He said 70 others had been wounded in Sagaing.", "70 others",
     70, None, None, "person", "wounded"),
    ("RSF fighters burned 30 homes in El Geneina.", "30 homes", 30, None, None, "other", "other"),
    ("MONUSCO's 14,000 peacekeepers are leaving Congo.", "14,000 peacekeepers",
     14000, None, None, "person", "troops"),
    ("Thousands of residents have left their villages in Ituri.", "Thousands of residents",
     None, 2000, 9000, "person", "evacuated"),
    ("The strike killed 5 and wounded 12 in Marib.", "12", 12, None, None, "person", "wounded"),
    ("Half a million people live in the besieged city of El Fasher.", "Half a million people",
     500000, None, None, "person", "other"),
]


@pytest.mark.parametrize(("text", "span", "value", "low", "high", "unit", "counts"), SHAPES)
def test_figure_shapes(text: str, span: str, value: float | None, low: float | None,
                       high: float | None, unit: str, counts: str) -> None:
    found = {f.span.text: f for f in figs(text)}
    assert span in found, f"{span!r} not in {list(found)}"
    fig = found[span]
    assert (fig.value, fig.low, fig.high) == (value, low, high)
    assert (fig.unit, fig.counts) == (unit, counts)


# sentence, the figures expected in order as (span text, counts)
LISTS = [
    (("Seventeen peacekeepers have been killed, among them 13 South Africans, three Malawians and "
      "one Uruguayan."),
     [("Seventeen peacekeepers", "killed"), ("13 South Africans", "killed"),
      ("three Malawians", "killed"), ("one Uruguayan", "killed")]),
    ("State media said four civilians, two of them students, were killed in Aleppo.",
     [("four civilians", "civilians_killed"), ("two of them students", "civilians_killed")]),
    ("Officials said at least 24 were wounded in Kassala, six of them children.",
     [("at least 24", "wounded"), ("six of them children", "wounded")]),
    ("The monitor says 311 people have been killed – 183 fighters, 100 soldiers and 28 civilians.",
     [("311 people", "killed"), ("183 fighters", "killed"), ("100 soldiers", "killed"),
      ("28 civilians", "civilians_killed")]),
    ("The army destroyed 54 armoured vehicles in Darfur, seven of them tanks.",
     [("54 armoured vehicles", "vehicles"), ("seven of them tanks", "vehicles")]),
    ("An air strike in Sagaing killed four members of one family.",
     [("four members", "civilians_killed")]),
]


@pytest.mark.parametrize(("text", "expected"), LISTS)
def test_lists_and_partitives_inherit_counts(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.span.text, f.counts) for f in figs(text)] == expected


NEVER = [
    "The 48-hour ultimatum expired on Sunday and the fighting lasted three days.",
    "The RSF has besieged the city for two years.",
    "The 25th brigade and the 80th brigade withdrew from Wad Madani in 2023.",
    "A 45-year-old man and a girl aged 12 were among those hurt in Gaza City.",
    "The victims, aged five, eight and nine, were buried in Deir al-Balah.",
    "Among the dead were Ahmed Saleh, 10, and Mariam Saleh, 13.",
    "Call the Khartoum desk on +249 183 77 00 for details.",
    "Operation 1027 began in October with MNDAA fighters facing F-16 jets and S-300 batteries.",
    "The army said Ka-52 helicopters and a Falaq-1 rocket were involved.",
    "The strike on 7 October came at 6:18pm, and another on August 24 at 9am.",
    "Liverpool won 3-1 and the champion went 12 rounds before winning 115-112.",
    "He stays unbeaten at 22-0 with 14 knockouts after 35 professional fights.",
    "Netanyahu said there was no certainty the two men were dead.",
    "Two military sources say warplanes hit positions in Idlib.",
    "Ukraine's cross-border strikes included a two-pronged assault.",
    "Cairo, one of the mediators, said videos show only one side of the trench.",
    "The offensive began on 30 November 2024, the fourth day of fighting.",
]


@pytest.mark.parametrize("text", NEVER)
def test_never_figures(text: str) -> None:
    assert [f.span.text for f in figs(text)] == []


@pytest.mark.parametrize(("text", "span", "si_value", "si_unit"), [
    ("Rebels pushed 20 miles into Rakhine.", "20 miles", 32.1869, "km"),
    ("Kyiv now controls 500 square miles of Russian soil.", "500 square miles", 1294.99, "km2"),
    ("The army advanced 5 km into Rafah.", "5 km", 5.0, "km"),
    ("Two Houthi missiles hit the tanker 35 nautical miles off Mokha.", "35 nautical miles",
     64.82, "km"),
    ("Colombian troops retook 300 square kilometres of jungle.", "300 square kilometres",
     300.0, "km2"),
])
def test_si_conversion(text: str, span: str, si_value: float, si_unit: str) -> None:
    fig = next(f for f in figs(text) if f.span.text == span)
    assert (fig.si_value, fig.si_unit) == (si_value, si_unit)


def test_vague_lengths_keep_si_unit_without_value() -> None:
    fig = figs("Tigrayan forces pushed several kilometres past the front.")[0]
    assert (fig.value, fig.si_value, fig.si_unit, fig.counts) == (
        None, None, "km", "distance_advanced")


@pytest.mark.parametrize(("text", "span", "start"), [
    ("In Gaza, at least 90 people were killed.", "at least 90 people", 9),
    ("Sudan: tens of thousands of people fled.", "tens of thousands of people", 7),
    ("US offers $10m bounty.", "$10m bounty", 10),
])
def test_offsets_are_exact(text: str, span: str, start: int) -> None:
    fig = figs(text)[0]
    assert fig.span == Span(start, start + len(span), span)
    assert text[fig.span.start : fig.span.end] == fig.span.text


def test_start_and_skip() -> None:
    text = ("Headline: 12 children killed. Caption 30 soldiers killed."
            " In Gaza 40 people were killed.")
    caption = text.index("Caption")
    skip = (Span(caption, caption + 27, text[caption : caption + 27]),)
    found = figs(text, start=text.index("Caption"), skip=skip)
    assert [f.span.text for f in found] == ["40 people"]


# Round 2: is the counted noun a person, and what does the verb do to it?
# sentence, span text, unit, counts
PERSONS = [
    ("Four fishermen drowned when the boat capsized off Hodeidah.", "Four fishermen",
     "person", "killed"),
    ("Two aid convoy drivers were killed by a drone near El Obeid.", "Two aid convoy drivers",
     "person", "killed"),
    ("The coastguard rescued 35 passengers from the sinking ferry near Aden.", "35 passengers",
     "person", "evacuated"),
    ("Six herders were wounded when gunmen opened fire in Plateau state.", "Six herders",
     "person", "wounded"),
    ("Villagers in Kivu said they had buried 40 people after the raid.", "40 people",
     "person", "killed"),
    ("More than 600 inmates remain in the prison at Kaya.", "More than 600 inmates",
     "person", "prisoners"),
    ("Nearly 200 soldiers surrendered to the rebels in Lashio.", "Nearly 200 soldiers",
     "person", "prisoners"),
    ("The junta said 60,000 men would be conscripted this year.", "60,000 men", "person", "troops"),
    ("About 2,000 families sought shelter in schools in Tyre.", "About 2,000 families",
     "other", "other"),
    ("The army said it had neutralised 30 jihadists near Menaka.", "30 jihadists",
     "person", "killed"),
    ("Rebels now control 12 districts in Sagaing.", "12 districts",
     "settlement", "settlements_controlled"),
    ("The Houthis have carried out scores of missile attacks on shipping.",
     "scores of missile attacks", "missile", "missiles"),
    ("Monitors recorded dozens of drone strikes on Khartoum.", "dozens of drone strikes",
     "drone", "drones"),
    ("Gangs now control about 60% of the capital.", "about 60%", "percent", "area_controlled"),
    ("All four attackers were killed by guards at the base in Gao.", "four attackers",
     "person", "killed"),
    ("The ferry had a crew of 14 when it was hit off Mokha.", "14", "person", "other"),
]


@pytest.mark.parametrize(("text", "span", "unit", "counts"), PERSONS)
def test_person_nouns_and_verbs(text: str, span: str, unit: str, counts: str) -> None:
    found = {f.span.text: f for f in figs(text)}
    assert span in found, f"{span!r} not in {list(found)}"
    assert (found[span].unit, found[span].counts) == (unit, counts)


@pytest.mark.parametrize(("text", "expected"), [
    ("Gunmen killed 12 villagers, among them her three sons, in Zamfara.",
     [("12 villagers", "civilians_killed"), ("three sons", "civilians_killed")]),
    ("Only about 50 of the 1,300 detainees were still in the camp at Al-Hol.",
     [("about 50", "prisoners"), ("1,300 detainees", "prisoners")]),
    ("Some 4,000 people fled to Adre, while thousands more reached Tine.",
     [("Some 4,000 people", "evacuated"), ("thousands more", "evacuated")]),
    ("A few dozen fighters attacked the post in Djibo.", [("A few dozen fighters", "troops")]),
])
def test_partitives_more_and_vague(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.span.text, f.counts) for f in figs(text)] == expected


@pytest.mark.parametrize("text", [
    "The 22 Mungiki gang was blamed for the raid on Nairobi.",
    "Fighting between two armed groups has displaced villagers in Ituri.",
    "Three rival factions clashed in Tripoli overnight.",
])
def test_names_and_party_counts_are_not_figures(text: str) -> None:
    assert [f.span.text for f in figs(text) if f.span.text[:2] in ("22", "tw", "Th")] == []


# Round 3: loss-list lines, their daily changes and the list intro's hedge (Sahel, Myanmar, Yemen).
RELEASE = """The losses inflicted on the terrorists since 1 March were approximately:

• fighters — 2640 (+25)
• armed pickups — 212 (+3)
• drones — 96 (+0)

Figures are being verified."""


def test_loss_list_lines() -> None:
    found = [(f.span.text, f.value, f.unit, f.counts, f.hedged) for f in figs(RELEASE)]
    assert found == [
        ("2640", 2640, "person", "troops", True), ("+25", 25, "person", "troops", True),
        ("212", 212, "vehicle", "vehicles", True), ("+3", 3, "vehicle", "vehicles", True),
        ("96", 96, "drone", "drones", True), ("+0", 0, "drone", "drones", True),
    ]


def test_list_without_hedged_intro_is_plain() -> None:
    text = "The Houthis listed their claimed hits:\n\n• ships — 14 (+1)\n• aircraft — 3 (+0)"
    found = [(f.span.text, f.unit, f.hedged) for f in figs(text)]
    assert found[:2] == [("14", "other", False), ("+1", "other", False)]
    assert ("3", "aircraft", False) in found


@pytest.mark.parametrize(("text", "span", "unit", "counts"), [
    (("Rebels in Shan state said they shot down 4 Chinese-made K-8 jets and 12 Iranian-made Shahed "
      "drones."),
     "12 Iranian-made Shahed drones", "drone", "drones"),
    ("The Houthis fired 3 Qassam-style Fateh ballistic missiles at Eilat.",
     None, "missile", "missiles"),
    ("Egypt deployed eight F-16s and two Rafales over the Sinai.", "eight F-16s",
     "aircraft", "other"),
    ("Egypt deployed eight F-16s and two Rafales over the Sinai.", "two Rafales",
     "aircraft", "other"),
    ("Gunmen on more than 60 motorcycles stormed the village in Zamfara.",
     "more than 60 motorcycles", "vehicle", "vehicles"),
    ("The junta says 9 Bayraktar TB2s were lost over Tigray.", "9 Bayraktar TB2s",
     "drone", "drones"),
])
def test_weapon_models_and_made_modifiers(text: str, span: str | None, unit: str,
                                         counts: str) -> None:
    found = figs(text)
    fig = found[-1] if span is None else next(f for f in found if f.span.text == span)
    assert (fig.unit, fig.counts) == (unit, counts)


@pytest.mark.parametrize(("text", "expected"), [
    ("The army said it downed 58 drones, including 20 over Kassala and nine over Port Sudan.",
     [("58 drones", "drone"), ("20", "drone"), ("nine", "drone")]),
    ("More than 600,000 people fled Sudan, including more than 200,000 to South Sudan.",
     [("More than 600,000 people", "person"), ("more than 200,000", "person")]),
])
def test_elliptical_list_items(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.span.text, f.unit) for f in figs(text)] == expected


@pytest.mark.parametrize(("text", "span"), [
    ("The military said all four terrorists were sent to hell in Waziristan.", "four terrorists"),
    ("Officials said 31 fighters were liquidated near Gao.", "31 fighters"),
])
def test_euphemisms_for_killed(text: str, span: str) -> None:
    fig = next(f for f in figs(text) if span in f.span.text)
    assert fig.counts == "killed"


# Round 4 mechanisms: vague quantity times a scale, fractions in number words, clock times,
# quoted numbers, civilian context for generic victims, abductees, settlements without control.
ROUND4 = [
    ("Militias expelled several hundred thousand Rohingyas from Rakhine.",
     "several hundred thousand Rohingyas",
     None, 200000, 900000, "person", "evacuated"),
    ("Merchants in Aden say they lose one and a half million dollars a week.",
     "one and a half million dollars",
     1500000, None, None, "usd", "other"),
    ('The governor said "more than 4,000" M23 fighters had entered Bukavu.',
     'more than 4,000" M23 fighters',
     4000, 4000, None, "person", "troops"),
    ("Gunmen stormed a market in Bamako, killing five men, witnesses said.", "five men",
     5, None, None, "person", "civilians_killed"),
    ("The airstrike on Idlib killed 38 people, most of them women and children.", "38 people",
     38, None, None, "person", "civilians_killed"),
    ("A drone hit a car near Zakho, killing two people, including a 16-year-old farmer.",
     "two people",
     2, None, None, "person", "civilians_killed"),
    ("A jet bombed the town of Minbya, killing at least 9 people, three of them children.",
     "at least 9 people",
     9, 9, None, "person", "killed"),
    ("Gunmen abducted at least 40 people from a church near Zaria.", "at least 40 people",
     40, 40, None, "person", "other"),
    ("The army has emptied at least 90 villages along the Colombian border.",
     "at least 90 villages",
     90, 90, None, "settlement", "other"),
    ("Al-Shabaab fighters seized at least 15 villages in Hiraan.", "at least 15 villages",
     15, 15, None, "settlement", "settlements_controlled"),
    (("The board says about 40,000 former fighters have enrolled, and that a first group of 9,000 "
      "will begin training in Goma."), "9,000",
     9000, None, None, "person", "troops"),
    ("Rights groups said the militia was driving out several hundred thousand Masalit.",
     "several hundred thousand Masalit",
     None, 200000, 900000, "person", "evacuated"),
    ("Turkish troops pushed as far as 30 km into Syrian territory.", "as far as 30 km",
     30, None, 30, "km", "distance_advanced"),
]


@pytest.mark.parametrize(("text", "span", "value", "low", "high", "unit", "counts"), ROUND4)
def test_round4_mechanisms(text: str, span: str, value: float | None, low: float | None,
                           high: float | None, unit: str, counts: str) -> None:
    found = {f.span.text: f for f in figs(text)}
    assert span in found, list(found)
    fig = found[span]
    assert (fig.value, fig.low, fig.high, fig.unit, fig.counts) == (value, low, high, unit, counts)


@pytest.mark.parametrize("text", [
    "The fighting in Tripoli began at about ten o'clock and lasted all night.",
    "Sirens sounded in Haifa shortly after eleven o’clock on Friday.",
])
def test_clock_times_are_never_figures(text: str) -> None:
    assert figs(text) == []


@pytest.mark.parametrize(("text", "span"), [
    ("Militias advanced as far as 25 km inside Sudanese territory.", "as far as 25 km"),
    ("Traders say they lose roughly two and a half million dollars a day.",
     "roughly two and a half million dollars"),
])
def test_upper_bounds_and_rough_sums_are_hedged(text: str, span: str) -> None:
    found = {f.span.text: f for f in figs(text)}
    assert span in found and found[span].hedged, list(found)


ROUND5 = [
    (("Witnesses said six gunmen, at least three of them believed to be foreigners, opened fire in "
      "Mopti."), "six gunmen", "troops"),
    ("One local taxi driver was also killed in the shelling near Kadugli.", "One local taxi driver",
     "killed"),
    ("The navy fired roughly 20 interceptors at the incoming drones over the Red Sea.",
     "roughly 20 interceptors", "missiles"),
    (("Officials in Goma said several truck drivers were missing after the attack that left 12 "
      "dead."), "several truck drivers", "other"),
    ("The alert sent some 2 million people into bomb shelters across Israel.",
     "some 2 million people", "other"),
]


@pytest.mark.parametrize(("text", "span", "counts"), ROUND5)
def test_round5_counts(text: str, span: str, counts: str) -> None:
    found = {f.span.text: f.counts for f in figs(text)}
    assert found.get(span) == counts, found


@pytest.mark.parametrize("text", [
    "A 15-member delegation from the African Union arrived in Khartoum.",
    "The 9-member committee of the regional council met in Bogota.",
])
def test_group_size_adjectives_are_not_figures(text: str) -> None:
    assert figs(text) == []
