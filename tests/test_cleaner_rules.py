"""The cleaner's general rules on small captures written for these tests, in several languages."""

from __future__ import annotations

import pytest

from archivist.clean import clean_text
from archivist.clean.bylines import parse_byline
from archivist.clean.cleaner import tidy_blocks
from archivist.clean.dates import find_date

P1 = ("The town council voted on Tuesday to close the old swimming pool at the end of the summer, "
      "citing repair costs that have tripled in five years.")
P2 = ("Residents who spoke at the meeting asked the council to keep the pool open for one more "
      "season while a new site is found, but the motion failed by two votes.")
P3 = ("The council said a new pool could open near the school within three years if the regional "
      "government agrees to pay half of the cost, which it has not yet promised.")

WITH_COMMENTS = f"""Home
News
Sport
Council Votes to Close the Old Pool
By Ruth Ellery
June 3, 2021
{P1}
{P2}
{P3}
42 Comments
poolfan22 says:
June 3, 2021 at 9:14 am
This is a terrible decision and I think that everyone who voted for it should be ashamed of themselves today.
swimmer_b says:
June 3, 2021 at 9:20 am
I learned to swim there as a child and my children did too, and it is sad that nobody will after this summer. It was always the best part of the town in July and August.
Another commenter wrote a long reply here explaining at length why the pool was never well run by anyone on the council in the past decade or more.
"""

WITH_TEASERS = f"""Council Votes to Close the Old Pool
By Ruth Ellery
June 3, 2021
{P1}
{P2}
{P3}
Library Extends Its Opening Hours
Tom Baird
June 2, 2021
The library will stay open until nine in the evening on weekdays from next month, after a survey found that most readers wanted later hours in the week.
Bus Route Changes Next Week
Ana Costa
June 1, 2021
Two bus routes will be merged next week and the timetable will change on Saturdays, the transport office said, asking riders to check the new times before they travel.
"""

GLUED_MENU = f"""Latest Headlines
Library Extends Its Opening Hours Into The EveningThe library will stay open until nine in the evening on weekdays, after a survey found that readers wanted later hours.
Bus Route Changes Arrive Next Week For RidersTwo bus routes will be merged next week and the timetable will change on Saturdays, the transport office said today.
Market Square Gets New Benches And TreesThe square will get twenty new benches and a row of young trees before the summer fair, the council announced on Friday.
Council Votes to Close the Old Pool
June 3, 2021
{P1}
{P2}
"""

PORTUGUESE = """Início
Notícias
Câmara aprova novo parque na zona ribeirinha
Por Ana Ribeiro e João Lima
3 de junho de 2021
A câmara municipal aprovou nesta terça-feira a construção de um novo parque junto ao rio, com árvores, bancos e um caminho para bicicletas que liga os dois bairros.
Segundo o vereador responsável, as obras devem começar no outono e durar cerca de um ano, com um custo estimado de dois milhões de euros.
Os moradores pediram que o parque tenha também um espaço para crianças, e a câmara prometeu estudar a proposta antes do fim do mês.
Leia também
Obras na ponte velha terminam em julho
Todos os direitos reservados
"""

GERMAN = """Startseite
Neuer Radweg am Fluss eröffnet
Von Hans Berger
03.06.2021
Der neue Radweg entlang des Flusses ist am Dienstag nach zwei Jahren Bauzeit eröffnet worden, teilte die Stadtverwaltung mit.
Der Weg ist vier Kilometer lang und verbindet die Altstadt mit dem neuen Wohngebiet im Norden, wo bisher nur eine enge Straße verlief.
Lesen Sie auch
Mehr Busse in den Ferien
"""

RUSSIAN = """Главная
В городе открыли новую библиотеку
Текст: Анна Петрова·3 июня 2021
Новая библиотека открылась во вторник в центре города, и в первый же день её посетили более тысячи читателей, сообщили в администрации.
В библиотеке есть детский зал, читальный зал на сто мест и небольшое кафе, а по выходным там будут проходить лекции и встречи с авторами.
Читайте также
Парк у реки закроют на ремонт
"""


def test_comments_after_the_article_are_dropped() -> None:
    c = clean_text(WITH_COMMENTS)
    assert c.paragraphs == [P1, P2, P3]
    assert (c.title, c.authors, c.date) == ("Council Votes to Close the Old Pool", ["Ruth Ellery"], "2021-06-03")


def test_other_stories_teasers_after_the_article_are_dropped() -> None:
    c = clean_text(WITH_TEASERS)
    assert c.paragraphs == [P1, P2, P3]


def test_glued_card_teasers_before_the_article_are_dropped() -> None:
    c = clean_text(GLUED_MENU)
    assert c.paragraphs == [P1, P2]
    assert c.title == "Council Votes to Close the Old Pool"


@pytest.mark.parametrize(
    ("text", "title", "authors", "date", "language", "first"),
    [
        (PORTUGUESE, "Câmara aprova novo parque na zona ribeirinha", ["Ana Ribeiro", "João Lima"],
         "2021-06-03", "pt", "A câmara municipal"),
        (GERMAN, "Neuer Radweg am Fluss eröffnet", ["Hans Berger"], "2021-06-03", "de", "Der neue Radweg"),
        (RUSSIAN, "В городе открыли новую библиотеку", ["Анна Петрова"], "2021-06-03", "ru",
         "Новая библиотека"),
    ],
)
def test_non_english_captures(text: str, title: str, authors: list[str], date: str, language: str,
                              first: str) -> None:
    c = clean_text(text)
    assert (c.title, c.authors, c.date, c.language) == (title, authors, date, language)
    assert c.paragraphs[0].startswith(first)
    assert len(c.paragraphs) in (2, 3)
    assert not any(word in c.body for word in ("Leia", "Lesen", "Читайте", "direitos", "Busse", "Парк"))


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Chris Doe - Nov 19, 2019, 10:31 pm CST", ["Chris Doe"]),
        ("By Jo Bell - 11/19/19 06:56 AM EST", ["Jo Bell"]),
        ("Monday November 18, 2019 7:45 am PST by Kim Ray", ["Kim Ray"]),
        ("By AL GREEN | Special to the Daily", ["Al Green"]),
        ("By Lu Wang@LuWrites Nov 18, 2019, 11:47am EST", ["Lu Wang"]),
        ("Posted by Sam Hill on November 19, 2019, 6:21 AM EST", ["Sam Hill"]),
        ("February 1, 2019 | BY: Eva Stone, MS, RDN", ["Eva Stone"]),
        ("Analysis by Ted Marsh, Politics Editor", ["Ted Marsh"]),
        ("Von Moritz Kern publiziert am 25. September 2018", ["Moritz Kern"]),
        ("By Pat LeeNEWSDESK", ["Pat Lee"]),
        ("Photo by Kim Ray/Getty Images", None),
        ("The bill was passed by Congress on Monday", None),
        ("Staff", None),
    ],
)
def test_byline_shapes(line: str, names: list[str] | None) -> None:
    assert parse_byline(line) == names


def test_two_digit_years_only_with_a_time() -> None:
    assert find_date("By Jo Bell - 11/19/19 06:56 AM EST").isoformat() == "2019-11-19"
    assert find_date("score 11/19/19") is None


def test_a_credit_is_not_taken_for_the_headline() -> None:
    text = f"""Pool Closure Approved After Long Debate
Jane Roe/The Town Gazette
{P1}
{P2}
"""
    assert clean_text(text).title == "Pool Closure Approved After Long Debate"


def test_a_name_line_next_to_the_date_is_the_byline() -> None:
    text = f"""Council Votes to Close the Old Pool
Ruth Ellery
June 3, 2021
{P1}
{P2}
"""
    c = clean_text(text)
    assert c.authors == ["Ruth Ellery"] and c.title == "Council Votes to Close the Old Pool"


def test_tidy_blocks_sets_aside_captions_related_and_notes() -> None:
    tidied = tidy_blocks([P1, "Related: Pool Repairs Fall Behind Schedule", "Share",
                          "The old pool in May. (Photo: Jane Roe/Town Gazette)", P2,
                          "This story was updated at 5 p.m."])
    assert tidied.keep == [True, False, False, False, True, False]
    assert tidied.related_titles == ["Pool Repairs Fall Behind Schedule"]
    assert tidied.images[0].credit == "Photo: Jane Roe/Town Gazette"
    assert tidied.update_note == "This story was updated at 5 p.m."
