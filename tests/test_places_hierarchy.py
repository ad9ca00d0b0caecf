"""Places an analyst would accept: hierarchies the text states, quarters of cities, regions
and common words that must not land on namesakes abroad. Real spaCy model, no mocks;
sentences written for this test, from many wars."""

from __future__ import annotations

import math

import pytest
from spacy.language import Language

from app.ingest.pipeline import get_nlp
from app.ingest.places import find_places
from app.ingest.types import PlaceMention


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def found(nlp: Language, text: str) -> dict[str, PlaceMention]:
    return {p.span.text: p for p in find_places(nlp(text))}


def km(a: PlaceMention, b: PlaceMention) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(b.lon - a.lon) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


# (sentence, surface, country, admin1 or None): the bracket or the comma decides
HIERARCHIES = [
    ("Gunmen killed a village elder in Biyoley (Baidoa, Bay) on Sunday.", "Bay", "SO", "Bay"),
    ("Gunmen killed a village elder in Biyoley (Baidoa, Bay) on Sunday.", "Biyoley", "SO", "Bay"),
    ("Puntland forces raided Dhuudo village (Qandala, Bari) overnight.", "Bari", "SO", "Bari"),
    ("Puntland forces raided Dhuudo village (Qandala, Bari) overnight.", "Qandala", "SO", "Bari"),
    ("Al-Shabaab fighters overran Ceel Cali village (Bulo Burto, Hiraan).", "Hiraan", "SO",
     "Hiiraan"),
    ("Two shepherds died when a mine exploded in the Wadi area (Radman, Al Bayda).",
     "Al Bayda", "YE", "Al Bayda"),
    ("A mob burned a party office in Gopalganj (Gopalganj, Dhaka) on Monday.", "Gopalganj",
     "BD", "Dhaka"),
    ("A mob burned a party office in Gopalganj (Gopalganj, Dhaka) on Monday.", "Dhaka", "BD",
     None),
    ("A soldier stepped on a mine near El Mango (Argelia, Cauca).", "El Mango", "CO", "Cauca"),
    ("Separatists ambushed a Cameroonian army patrol in Bali Nyonga (Mezam, North-West).",
     "North-West", "CM", None),
    ("Hundreds gathered in Al-Shohada Square in Tartus (Tartus, Tartus).", "Al-Shohada Square",
     "SY", None),
    ("Refugees fought with knives in Balukhali camp (Ukhia, Cox's Bazar) on Friday.",
     "Cox's Bazar", "BD", None),
    ("Maoists ambushed a patrol in the forests of Sukma (Sukma, Chhattisgarh).", "Sukma", "IN",
     "Chhattisgarh"),
    ("Gunmen fought in the Las Quintas area of Culiacan (Culiacan, Sinaloa).", "Las Quintas",
     "MX", "Sinaloa"),
    ("Bandits abducted worshippers from a church in Kajuru (Kajuru, Kaduna) on Friday.",
     "Kajuru", "NG", "Kaduna"),
    ("A cartel cell ambushed police in Chilapa (Chilapa de Alvarez, Guerrero).", "Chilapa",
     "MX", "Guerrero"),
    ("Soldiers repelled an attack on Marawi (Marawi, Lanao del Sur) at dawn.", "Marawi", "PH",
     None),
    ("Fighters stormed Karma (Karma, Darfur) last week.", "Karma", "SD", None),
    # "X, Y": a state or region after the comma
    ("The protest took place in Alexandria, Virginia, on Sunday.", "Alexandria", "US",
     "Virginia"),
    ("Police arrested six men in Springfield, Illinois, after the shooting.", "Springfield",
     "US", "Illinois"),
    ("Hundreds rallied in Paris, Texas, on Saturday.", "Paris", "US", "Texas"),
    ("Fighting broke out near Wad Madani, Gezira state, on Sunday.", "Wad Madani", "SD",
     "Al Jazirah"),
    # "X, a village near Y", "X in the Y district of Z"
    ("Insurgents torched homes in Mucojo, a village near Macomia, Cabo Delgado.", "Mucojo", "MZ",
     "Cabo Delgado"),
    ("Troops killed two rebels in Mbau in the Beni territory of North Kivu province.", "Mbau",
     "CD", "North Kivu"),
    ("The army shelled Debre Markos in the East Gojjam zone of Amhara region.",
     "East Gojjam zone", "ET", "Amhara"),
]


@pytest.mark.parametrize(("sentence", "surface", "country", "admin1"), HIERARCHIES)
def test_hierarchy_in_the_text_decides(nlp: Language, sentence: str, surface: str,
                                       country: str, admin1: str | None) -> None:
    place = found(nlp, sentence).get(surface)
    assert place is not None, f"{surface!r} not found in {sentence!r}"
    assert place.country == country, place
    if admin1 is not None:
        assert place.admin1 == admin1, place


# (sentence, the quarter, its city): a quarter the gazetteer lacks sits at its city's point
QUARTERS = [
    ("RSF shelled El-Fasher's Al-Daraja neighbourhood, killing four.", "Al-Daraja", "El-Fasher"),
    ("A grenade was thrown into a tea shop in Mogadishu's Hodan district.", "Hodan district",
     "Mogadishu"),
    ("Depositors blocked the road outside a bank in the Hamra district of Beirut.",
     "Hamra district", "Beirut"),
    ("Protesters gathered in Kathmandu's Baneshwor area demanding elections.", "Baneshwor",
     "Kathmandu"),
    ("An airstrike hit a house in Sanaa's Shuub district, residents said.", "Shuub district",
     "Sanaa"),
    ("A mortar landed in the Al-Rawda neighbourhood of Taiz on Saturday.", "Al-Rawda", "Taiz"),
]


@pytest.mark.parametrize(("sentence", "quarter", "city"), QUARTERS)
def test_quarters_resolve_inside_their_city(nlp: Language, sentence: str, quarter: str,
                                            city: str) -> None:
    places = found(nlp, sentence)
    assert quarter in places and city in places, places
    assert places[quarter].country == places[city].country
    assert km(places[quarter], places[city]) < 20, places[quarter]


# (sentence, surface): not a place at all, or not a namesake abroad
NOT_ABROAD = [
    ('"We will surrender ourselves to God," the commander said.', "God"),
    ("Mourners gathered outside Saint Paul's Cathedral in London on Sunday.", "Saint Paul"),
    ("Mayor Ihor Terekhov said the Kharkiv metro was sheltering residents.", "Ihor Terekhov"),
    ("Speaking in Tokyo, the minister condemned the strike.", "Speaking"),
    ("Northern Ireland's Anthony Cacace won on points in Riyadh.", "Anthony Cacace"),
]


@pytest.mark.parametrize(("sentence", "surface"), NOT_ABROAD)
def test_common_words_and_names_are_not_places(nlp: Language, sentence: str,
                                               surface: str) -> None:
    assert surface not in found(nlp, sentence)


def test_cathedral_is_in_its_city(nlp: Language) -> None:
    places = found(nlp, "Mourners gathered outside Saint Paul's Cathedral in London on Sunday.")
    site = places["Saint Paul's Cathedral"]
    assert site.country == "GB" and km(site, places["London"]) < 20


# (sentence, surface, kind, country): a region, sea or area, never a town abroad
REGIONS = [
    ("Floods hit Queensland on Monday, officials said.", "Queensland", "admin1", "AU"),
    ("Gunmen shot two men in Virginia on Tuesday.", "Virginia", "admin1", "US"),
    ("Tensions in the Middle East rose after the strike.", "Middle East", "area", None),
    ("Iran seized a tanker in the Gulf on Friday.", "Gulf", "area", None),
    ("Wildfires spread across Tasmania overnight.", "Tasmania", "admin1", "AU"),
    ("Clashes erupted in Balochistan after the arrests.", "Balochistan", "admin1", "PK"),
]


@pytest.mark.parametrize(("sentence", "surface", "kind", "country"), REGIONS)
def test_regions_never_become_towns_abroad(nlp: Language, sentence: str, surface: str,
                                           kind: str, country: str | None) -> None:
    place = found(nlp, sentence).get(surface)
    assert place is not None and place.kind == kind and place.country == country, place


# a region named for its own capital is the town when named bare
@pytest.mark.parametrize(("sentence", "surface", "country"), [
    ("The army retook Kidal in November after a long siege.", "Kidal", "ML"),
    ("Missiles struck Zaporizhzhia overnight, the governor said.", "Zaporizhzhia", "UA"),
    ("Taliban fighters entered Herat at dawn.", "Herat", "AF"),
])
def test_bare_capital_of_a_region_is_the_town(nlp: Language, sentence: str, surface: str,
                                              country: str) -> None:
    place = found(nlp, sentence).get(surface)
    assert place is not None and place.kind == "settlement" and place.country == country


def test_lone_country_in_brackets_is_a_nationality(nlp: Language) -> None:
    """'Jai Opetaia (Australia)' names a boxer's country, not a place called Jai Opetaia."""
    places = found(nlp, "The card also featured Jai Opetaia (Australia) and Joe Cordina.")
    assert "Jai Opetaia" not in places


def test_places_are_cached_on_the_doc(nlp: Language) -> None:
    doc = nlp("Shelling hit Kherson and Mykolaiv on Sunday.")
    first = find_places(doc)
    assert find_places(doc) == first and {p.span.text for p in first} == {"Kherson", "Mykolaiv"}
