"""A few dozen hand-written captures for the linking tests: fictional events, each covered by
several outlets in their own words, plus a story with no match, versions and named links.

Every article is built from its event's facts (people, places, numbers) set in one outlet's
own sentences, so articles about one event share names and specifics but not boilerplate,
and articles of different events share the boilerplate but not the specifics.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    key: str
    headline: tuple[str, str, str]  # one headline per outlet
    date: str  # ISO
    person: str  # full name; later mentions use the surname
    role: str
    place: str
    thing: str  # what happened, as a noun phrase
    detail: str  # a specific fact
    number: str


EVENTS = [
    Event("flood", ("Marlow River Floods Eastbrook After Record Rain",
                    "Eastbrook Evacuates Hundreds as Marlow River Bursts Its Banks",
                    "Floodwater Swamps Eastbrook; Mayor Torvald Asks for Army Help"),
          "2021-03-04", "Hedda Torvald", "the mayor of Eastbrook", "Eastbrook",
          "the flooding of the Marlow River", "sandbag walls along Quay Street gave way before dawn",
          "nine hundred"),
    Event("chess", ("Okonkwo Wins Valdera Chess Final in Sudden-Death Blitz",
                    "Teenager Adaeze Okonkwo Takes Valdera Crown",
                    "Valdera Final Ends With Okonkwo Beating Lindqvist"),
          "2021-03-05", "Adaeze Okonkwo", "the seventeen-year-old grandmaster", "Valdera",
          "the Valdera chess championship final", "a knight sacrifice on move thirty-one decided it",
          "forty thousand"),
    Event("strike", ("Tramway Workers in Port Selden Walk Out Over Night Shifts",
                     "Port Selden Trams Halt as Drivers Strike",
                     "Selden Tram Strike Enters Second Day, Union Leader Brenner Defiant"),
          "2021-03-05", "Oskar Brenner", "the leader of the tram drivers' union", "Port Selden",
          "the strike by tram drivers", "the depot on Kessel Road stayed locked all morning",
          "three hundred and twelve"),
    Event("telescope", ("Ravensholm Observatory Unveils Giant Mirror",
                        "New Ravensholm Telescope Sees First Light",
                        "Astronomers Cheer as Ravensholm Mirror Captures Distant Galaxy"),
          "2021-03-06", "Ingrid Castellanos", "the observatory's director", "Ravensholm",
          "the first light of the new Ravensholm telescope",
          "the eight-metre mirror was polished for four years", "eight"),
    Event("merger", ("Brightwater Bank Agrees to Buy Feldspar Credit Union",
                     "Feldspar Members Back Brightwater Takeover",
                     "Brightwater-Feldspar Deal Creates Region's Largest Lender"),
          "2021-03-06", "Marguerite Oyelaran", "Brightwater's chief executive", "Halden",
          "the takeover of Feldspar Credit Union by Brightwater Bank",
          "savers keep their accounts and branch cards unchanged", "two billion"),
    Event("wildfire", ("Wildfire Near Corrib Pass Forces Highway Closure",
                       "Crews Battle Corrib Pass Blaze Through the Night",
                       "Corrib Pass Fire Contained After Three Days, Chief Abernathy Says"),
          "2021-03-18", "Declan Abernathy", "the regional fire chief", "Corrib Pass",
          "the wildfire at Corrib Pass", "water bombers flew from the Lisker airstrip",
          "eleven thousand"),
    Event("library", ("Kestrel Hill Library Reopens With Rooftop Garden",
                      "Kestrel Hill Readers Return to Renovated Library",
                      "Architect Nakamura's Library Makeover Wins Over Kestrel Hill"),
          "2021-03-19", "Yuki Nakamura", "the architect of the renovation", "Kestrel Hill",
          "the reopening of the Kestrel Hill library",
          "the old card catalogue now hangs as a sculpture in the atrium", "six thousand"),
    Event("ferry", ("Ferry Aground Off Skerrow Island, All Passengers Safe",
                    "Skerrow Ferry Runs Aground in Fog",
                    "Captain Villanueva Praised After Skerrow Grounding"),
          "2021-03-19", "Rosalind Villanueva", "the ferry's captain", "Skerrow Island",
          "the grounding of the Skerrow ferry",
          "lifeboats from Carrick harbour reached the ship within twenty minutes",
          "two hundred and forty"),
]

OUTLETS = [
    ("Harbor Daily", "harbor.example"),
    ("The Northern Ledger", "ledger.example"),
    ("Valley Wire", "valleywire.example"),
]


def _surname(name: str) -> str:
    return name.split()[-1]


def _paragraphs(e: Event, outlet: int) -> list[str]:
    s = _surname(e.person)
    if outlet == 0:
        return [
            f"{e.place} woke up on Thursday to {e.thing}, and {e.person}, {e.role}, said the "
            f"city had never seen anything like it in living memory.",
            f"According to officials, {e.detail}, and about {e.number} people were directly "
            f"affected by what happened in {e.place} over the course of the day.",
            f"{s} told reporters that the response had been quick and that more help was on "
            f"the way, while residents of {e.place} gathered to watch.",
            "The council said it would publish a full report within a month and answer "
            "questions from the public at an open meeting next week.",
        ]
    if outlet == 1:
        return [
            f"There was little warning before {e.thing}. In {e.place}, {e.detail}, witnesses "
            f"said, and by noon about {e.number} people had been caught up in it.",
            f"\u201cWe are doing everything we can,\u201d said {e.person}, {e.role}, speaking "
            f"outside the town hall in {e.place} late on Thursday afternoon.",
            f"Critics asked why the warning signs were missed. {s} rejected the criticism and "
            f"said a review would follow once the situation in {e.place} was settled.",
            "Analysts said the day would be remembered for years, whatever the review finds, "
            "and that other towns were watching closely to learn from it.",
        ]
    return [
        f"{e.person} spent Thursday in {e.place}, where {e.thing} drew crowds and cameras "
        f"from across the region, and where {e.detail}.",
        f"Around {e.number} people were involved, the Valley Wire was told. {s}, who is "
        f"{e.role}, called it a turning point for {e.place}.",
        f"Local businesses in {e.place} stayed open late. Several owners said they had "
        f"followed every update from {s} on the radio through the afternoon.",
        "The story is developing and this report will be updated as more information "
        "becomes available from the authorities.",
    ]


def article(e: Event, outlet: int) -> str:
    name, _ = OUTLETS[outlet]
    lines = ["Home", "News", "Sport", "Subscribe", e.headline[outlet],
             f"By {'Ruth Calloway' if outlet == 0 else 'Tomas Ferreira' if outlet == 1 else 'Lena Marsh'}",
             _date_line(e.date), *_paragraphs(e, outlet), "Share", "Comments",
             f"\u00a9 2021 {name}. All rights reserved."]
    return "\n".join(lines) + "\n"


def sidecar(e: Event, outlet: int) -> str:
    name, host = OUTLETS[outlet]
    return f"outlet: {name}\nurl: https://{host}/news/{e.key}\ndate: {e.date}\n"


def _date_line(iso: str) -> str:
    year, month, day = iso.split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    return f"{months[int(month) - 1]} {int(day)}, {year}"


def captures() -> dict[str, tuple[str, str]]:
    """File name -> (capture text, sidecar text): every event in every outlet."""
    out = {}
    for e in EVENTS:
        for outlet in range(len(OUTLETS)):
            out[f"{e.key}-{outlet}.txt"] = (article(e, outlet), sidecar(e, outlet))
    return out


LONELY = """Home
Recipes
Grandmother's Quince Jelly, Explained Step by Step
By Pim Vandersloot
March 5, 2021
Quince is hard and sour when raw, but slow cooking with sugar turns the pale fruit a deep amber and sets the juice into a firm, fragrant jelly.
Wash the fruit, rub away the grey fuzz, chop it roughly with skin and cores, and simmer it in enough water to cover for about an hour.
Strain the pulp overnight through a cloth bag without squeezing, then boil the clear juice with sugar until a drop wrinkles on a cold saucer.
"""

# The flood story, captured again later: new junk around it and a paragraph added (an update).
FLOOD_UPDATE = article(EVENTS[0], 0).replace(
    "Subscribe\n", "Subscribe\nLive: weather warnings\n"
).replace(
    "The council said it would publish",
    "By Friday evening the water had started to fall, and the first families were allowed "
    "back into their homes on Quay Street under police escort.\nThe council said it would publish",
)
# No URL in this sidecar: the two are found to be one story by their text.
FLOOD_UPDATE_SIDECAR = "outlet: Harbor Daily\ndate: 2021-03-04\ncaptured_at: 2021-03-05T18:00:00Z\n"
FLOOD_FIRST_SIDECAR = sidecar(EVENTS[0], 0) + "captured_at: 2021-03-04T09:00:00Z\n"

# A follow-up that names earlier coverage: one title archived, one look-alike that is not,
# and a link to an archived story's address.
FOLLOW_UP = """Home
News
Eastbrook Counts the Cost of the Marlow Flood
By Ruth Calloway
March 9, 2021
Insurers in Eastbrook said on Tuesday that claims after the flooding of the Marlow River had passed every estimate, and Hedda Torvald asked the government for a recovery fund.
Related: Marlow River Floods Eastbrook After Record Rain
Related: Marlow River Floods Eastbrook After Record Snow
Torvald said the sandbag walls along Quay Street would be replaced with a permanent barrier, paid for partly by the city and partly by the region.
The full background is at https://www.ledger.example/news/flood/?utm_source=newsletter for readers who missed the first days of coverage.
Engineers will survey the river banks next month, and the council will vote on the barrier design before the summer recess begins.
"""
