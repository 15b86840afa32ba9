"""Which line is the headline: rules checked on small captures written for these tests."""

from __future__ import annotations

import pytest

from archivist.clean import clean_text

P1 = ("The harbour authority said on Monday that the northern pier will be rebuilt over the next "
      "two winters, after divers found that its wooden piles had rotted through.")
P2 = ("Fishing boats will moor at the southern quay while the work goes on, and the ferry to the "
      "islands will keep its timetable, the authority said in a statement.")
# The headline shares some words with the lede; the decoys below share all of theirs, so only
# the rule under test can tell them apart.
HEADLINE = "Northern Pier To Be Rebuilt At Great Cost"
TEASER = "Harbour Authority Divers Found Rotted Wooden Piles"


def test_the_headline_over_its_byline_beats_a_teaser_above_it() -> None:
    text = f"Home\n{TEASER}\n{HEADLINE}\nBy Ruth Ellery\nMarch 2, 2020\n{P1}\n{P2}\n"
    assert clean_text(text).title == HEADLINE


def test_a_dek_and_share_buttons_may_stand_between_headline_and_byline() -> None:
    text = (f"Home\n{HEADLINE}\nDivers found the wooden piles had rotted through.\nShare\nPrint\n"
            f"By Ruth Ellery\nVideo\n{TEASER}\n{P1}\n{P2}\n")
    c = clean_text(text)
    assert c.title == HEADLINE
    assert c.description == "Divers found the wooden piles had rotted through."


def test_a_headline_printed_twice_beats_its_dek_over_the_byline() -> None:
    dek = "Harbour authority divers found the wooden piles had rotted"
    text = f"{HEADLINE}\nHome\nSport\n{HEADLINE}\n{dek}\nBy Ruth Ellery\nMarch 2, 2020\n{P1}\n{P2}\n"
    assert clean_text(text).title == HEADLINE


def test_a_bare_name_under_the_headline_is_its_byline() -> None:
    # A teaser with its own dateline sits above; the article's headline has only a name under it.
    text = (f"Home\nWhy the Ferry Timetable Changes Every Spring\nMarch 2, 2020\n{HEADLINE}\n"
            f"Ruth Ellery\nShare\n{P1}\n{P2}\n")
    assert clean_text(text).title == HEADLINE


@pytest.mark.parametrize(
    ("furniture", "title"),
    [
        ("Harbour > Divers > Rotted Piles", HEADLINE),  # a breadcrumb
        ("HARBOUR AUTHORITY DIVERS /", HEADLINE),  # a label ending with its separator
        ("Ruth Ellery and Tom Baird Harbour Weekly", HEADLINE),  # names without "By"
        ("Updated 3 hours ago", HEADLINE),  # a relative time
    ],
)
def test_furniture_over_the_dateline_is_not_the_headline(furniture: str, title: str) -> None:
    text = f"Home\n{HEADLINE}\n{furniture}\nMarch 2, 2020\n{P1}\n{P2}\n"
    assert clean_text(text).title == title


def test_a_headline_may_say_today() -> None:
    title = "Pier Repairs Begin Today After Long Delay"
    text = f"Home\nNews\n{title}\nBy Ruth Ellery\nMarch 2, 2020\n{P1}\n{P2}\n"
    assert clean_text(text).title == title


def test_an_agency_between_headline_and_date_is_the_byline_not_a_photo_credit() -> None:
    text = f"Home\nTerms of Service\n{HEADLINE}\nREUTERS\n2 MAR 2020\n{P1}\n{P2}\n"
    c = clean_text(text)
    assert (c.title, c.authors, c.date) == (HEADLINE, ["Reuters"], "2020-03-02")


def test_a_short_two_sentence_headline_over_the_dateline() -> None:
    title = "Authority. The northern pier will be rebuilt"
    text = f"Home\nLatest News And Interviews\n{title}\nMarch 2, 2020\n{P1}\n{P2}\n"
    assert clean_text(text).title == title
    # A long two-sentence line over the dateline is a dek; the headline stands above it.
    dek = ("The authority has found the piles rotted. It is now up to the council to pay for "
           "the work, as others should tell it")
    text = f"Home\n{HEADLINE}\nHarbour\n{dek}\nMarch 2, 2020\n{P1}\n{P2}\n"
    assert clean_text(text).title == HEADLINE


def test_portuguese_headline_over_byline_beats_teasers() -> None:
    p1 = ("A câmara municipal aprovou nesta terça-feira a construção de um novo parque junto ao rio, "
          "com árvores, bancos e um caminho para bicicletas que liga os dois bairros.")
    p2 = ("Segundo o vereador responsável, as obras devem começar no outono e durar cerca de um ano, "
          "com um custo estimado de dois milhões de euros.")
    title = "Câmara aprova novo parque na zona ribeirinha"
    text = (f"Início\nFeira do livro volta à praça central em maio\nMais autocarros no verão\n{title}\n"
            f"Por Ana Ribeiro\n3 de junho de 2021\n{p1}\n{p2}\n")
    assert clean_text(text).title == title


@pytest.mark.parametrize("when", ["3 hours ago", "Updated 3 hours ago", "vor 3 Stunden", "há 3 horas"])
def test_a_relative_time_is_no_date_and_no_headline(when: str) -> None:
    c = clean_text(f"Home\n{HEADLINE}\nBy Ruth Ellery\n{when}\n{P1}\n{P2}\n")
    assert (c.title, c.authors, c.date) == (HEADLINE, ["Ruth Ellery"], None)


def test_a_headline_shared_with_another_capture_of_the_site_is_still_the_headline() -> None:
    # The outlet's other capture listed this story among its links: the line is in the template.
    text = f"Home\n{HEADLINE}\nBy Ruth Ellery\nMarch 2, 2020\n{P1}\n{P2}\n"
    c = clean_text(text, frozenset({"home", HEADLINE.casefold()}))
    assert c.title == HEADLINE and c.paragraphs == [P1, P2]
