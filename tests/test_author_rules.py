"""Organisation bylines, label-only bylines and newsrooms next to the dateline (own captures)."""

from __future__ import annotations

import pytest

from archivist.clean import clean_text
from archivist.clean.bylines import newsroom_in_dateline, newsroom_name, parse_byline

P1 = ("The harbour authority said on Monday that the northern pier will be rebuilt over the next "
      "two winters, after divers found that its wooden piles had rotted through.")
P2 = ("Fishing boats will moor at the southern quay while the work goes on, and the ferry to the "
      "islands will keep its timetable, the authority said in a statement.")


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Staff Reports -", ["Staff Reports"]),  # a desk is the byline's whole name
        ("By Harbour Wire Service", ["Harbour Wire Service"]),
        ("written by Mira", ["Mira"]),  # a one-word pen name after a byline word
        ("March 2, 2020 | BY: Quayside", ["Quayside"]),
        ("BY THE COASTAL PRESS", ["The Coastal Press"]),
        ("By AFP", ["AFP"]),
        ("Por Redação", ["Redação"]),
        ("Author: The Morning Tide", ["The Morning Tide"]),
        # A job after a person's name is still not an author.
        ("By TOM HALE, AP Harbour Writer", ["Tom Hale"]),
        # Sentences that open with a byline word are not bylines.
        ("By the way", None),
        ("By Monday the pier was closed", None),
        ("By November 19, 2019, the pier was closed", None),
        ("By Ann Lee of the Times", ["Ann Lee"]),
        ("Staff", None),
    ],
)
def test_organisation_bylines(line: str, names: list[str] | None) -> None:
    assert parse_byline(line) == names


def test_newsroom_names_need_a_newsroom_word() -> None:
    assert newsroom_name("The Associated Press") == "The Associated Press"
    assert newsroom_name("HARBOUR NEWS") == "Harbour News"
    assert newsroom_name("Агентство Гавань") == "Агентство Гавань"
    assert newsroom_name("Politics") is None  # a section label is not a byline
    assert newsroom_name("Harbour") is None
    assert newsroom_in_dateline("Updated on: March 2, 2020 / 10:07 AM / Harbour News") == "Harbour News"
    assert newsroom_in_dateline("Portmore, Harbour Bureau | Updated : 2 March 2020, 09:01 AM") \
        == "Harbour Bureau"
    assert newsroom_in_dateline("March 2, 2020 | Politics") is None


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        ("Harbour News Service\nMarch 2, 2020", ["Harbour News Service"]),  # alone over the date
        ("March 2, 2020 / 10:07 AM / Harbour News", ["Harbour News"]),  # in the dateline
        ("March 2, 2020\nAuthor:\nThe Morning Tide", ["The Morning Tide"]),  # label, then name
        ("02.03.2020\nVon:\nKlara Weiss", ["Klara Weiss"]),
        ("Politics\nMarch 2, 2020", []),  # a section label next to the date names no one
    ],
)
def test_organisation_authors_in_a_capture(header: str, authors: list[str]) -> None:
    c = clean_text(f"Home\nNorthern Pier Will Be Rebuilt Over Two Winters\n{header}\n{P1}\n{P2}\n")
    assert c.authors == authors
    assert c.title == "Northern Pier Will Be Rebuilt Over Two Winters"
    assert c.date == "2020-03-02"
    assert c.paragraphs == [P1, P2]
