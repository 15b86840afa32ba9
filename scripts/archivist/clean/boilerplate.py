"""A small, documented vocabulary of site boilerplate, in the languages met so far.

Three kinds of rule:
- ``is_ui_line``: a whole line that is a button, menu item or label ("X", "Share").
- ``is_site_notice``: a sentence in the site's own voice about cookies, privacy or consent.
- ``is_hard_end`` / ``is_soft_end``: a line after which the article is over (consent banner,
  copyright, comments) or a listing of other stories starts ("Related Articles", "Most Read").
"""

from __future__ import annotations

import re

from archivist.clean.text import contains_any, word_count


def _alternation(words: str) -> str:
    return "|".join(w.strip() for w in words.strip().split("\n") if w.strip())


# Whole lines that are interface, not prose. Lower-cased, punctuation-insensitive match.
_UI = _alternation(r"""
x
×
✕
close
menu
search
share
share this
share on facebook
share on twitter
tweet
email
e-mail
print
facebook
twitter
linkedin
whatsapp
pinterest
reddit
telegram
copy link
link copied
comment
comments
advertisement
advertising
sponsored
sponsored content
skip to content
skip to main content
sign in
log in
login
sign up
subscribe
subscribe now
newsletter
accept
accept all
accept cookies
accept all cookies
allow all cookies
reject all
i agree
got it
ok
manage consent preferences
manage preferences
save settings
cookie settings
cookie preferences
cookie preferences cookie list
cookie list
do not sell my personal information
do not sell or share my personal information
privacy policy
terms of use
terms of service
back to top
load more
show more
continue reading
follow us
image
photo
video
play video
listen to this article
listen
gallery
anzeige
werbung
teilen
publicidade
publicidad
compartilhe
compartir
partager
condividi
реклама
поделиться
""")
UI_LINES = frozenset(_UI.split("|"))  # whole lines, case-folded: a set lookup is the fast path

_PRIVACY_WORDS = re.compile(
    r"\bcookies?\b|\bconsent\b|\bopt[- ]?out\b|\bprivacy\b|\bpersonal (?:information|data)\b"
    r"|\btracking\b|\badvertis\w*|\bthird[- ]part(?:y|ies)\b|\bdatenschutz\w*|\bконфиденциальн\w*",
    re.IGNORECASE,
)
_SITE_VOICE = re.compile(
    r"\bour (?:web ?)?sites?\b|\bwe (?:use|store|do not|also|may)\b|\byour (?:browser|device|"
    r"preferences|consent|choices|experience|personal)\b|\bby (?:continuing|using|clicking)\b"
    r"|\byou (?:agree|can|may|accept)\b|\bthis (?:web)?site\b",
    re.IGNORECASE,
)
_HARD_END = re.compile(
    r"^[\[(]?\s*(?:this (?:web)?site uses cookies|we use cookies|we value your privacy|accept cookies"
    r"|cookie preferences|cookie policy|do not sell my personal information"
    r"|(?:©|\(c\)|copyright)\s*(?:©\s*)?\d{4}|all rights reserved"
    r"|\d+ (?:comments?|responses?|replies|reactions)\b|leave a (?:comment|reply)|join the conversation"
    r"|(?:show|view|read|see|load|top rated|top|most recent|newest|oldest) (?:all )?comments"
    r"|comments are closed|you must (?:be )?log(?:ged)? in to (?:post a )?comment|post a comment"
    r"|add a comment|write a comment|discussion$|conversation$"
    r"|comentários|comentarios|kommentare|комментарии|commentaires|コメント"
    r"|alle rechte vorbehalten|todos os direitos reservados|todos los derechos reservados"
    r"|tous droits réservés|все права защищены)",
    # matched against case-folded text (faster than IGNORECASE)

)
# Headings of listings of other stories, and newsletter pitches, by language. Matched at the
# start of a short line (at most 12 words); the story may resume after them if prose follows.
_SOFT_END = re.compile(
    r"^(?:comments?(?: \(\d+\))?$"
    # English
    r"|related(?: articles| stories| content| coverage| news| posts| reading| links| topics)?\s*:?$"
    r"|more (?:from|on|in|stories|news|to read|headlines|videos)\b|recommended(?: for you| stories"
    r"| reading| videos)?$|most (?:popular|read|viewed|shared|commented|recent)|trending(?: now"
    r"| stories| news)?$|you (?:may|might) (?:also )?(?:like|enjoy|be interested)|read (?:these |this )?next"
    r"|what to read next|up next$|(?:top|latest|other|partner|breaking) (?:news|stories|headlines"
    r"|articles|videos)\b|popular (?:stories|now|posts|articles)?$|editor['’]?s picks|don['’]t miss"
    r"|around the web|from (?:our|the) partners|promoted stories|sponsored (?:stories|links|content)"
    r"|(?:sign up for|subscribe to|get) (?:our|the) .{0,40}newsletter|stay up to date\b"
    # Portuguese, Spanish, German, French, Italian, Russian, Japanese
    r"|leia (?:também|mais)|mais lidas|veja também|notícias relacionadas|mais notícias"
    r"|últimas notícias|noticias relacionadas|te puede interesar|más noticias|lo más leído"
    r"|lesen sie auch|mehr zum thema|das könnte sie auch interessieren|weitere artikel|mehr aus"
    r"|lire aussi|à lire aussi|les plus lus|sur le même sujet|leggi anche|articoli correlati"
    r"|читайте также|другие новости|новости по теме|похожие статьи|популярное|последние новости"
    r"|関連記事|人気記事|おすすめ記事|最新記事)",
    # matched against case-folded text

)
# The two end rules for all lines of a capture at once (:mod:`archivist.clean.linescan`): a line
# break, then the rule at the start of the next line. Matching case-folded lines joined by line
# breaks, "^" and "$" (multi-line) stand at each line's start and end; the lookahead consumes
# nothing of the line, so each line is tried. "More " lines may be _MORE_FROM's.
HARD_END_SCAN = re.compile(r"\n(?=" + _HARD_END.pattern + ")", re.MULTILINE)
SOFT_END_SCAN = re.compile(r"\n(?=" + _SOFT_END.pattern + "|more )", re.MULTILINE)  # (and _MORE_FROM)
_UI_WORD = re.compile(r"[\w×✕©]+")  # what is left of a line once its punctuation is dropped
_UI_FIRST_WORDS = frozenset(line.split()[0] for line in UI_LINES)  # ... begins with one of these


def is_ui_line(line: str, folded: str | None = None) -> bool:
    """True for a line that is a button, label or menu item in any known language.

    ``folded`` is the line case-folded, when the caller has it already (the cleaner does).
    """
    if len(line) > 60:
        return False
    folded = line.casefold() if folded is None else folded
    if folded in UI_LINES:  # cheap tests first: most lines have no punctuation to strip
        return True
    if folded.replace(" ", "").isalnum():
        return False
    first = _UI_WORD.search(folded)  # the first word decides most lines: cheaper than all words
    if first is None or first.group() not in _UI_FIRST_WORDS:
        return False
    return " ".join(_UI_WORD.findall(folded)) in UI_LINES  # the line without its punctuation


# Stems of the privacy words, case-folded: substring tests are cheaper than a regex scan (the
# cleaner searches all lines of a capture for them at once, see :mod:`archivist.clean.linescan`).
PRIVACY_STEMS = ("cookie", "consent", "opt", "privacy", "personal", "tracking", "advertis", "third",
                  "datenschutz", "конфиденц")


def is_site_notice(line: str, folded: str | None = None) -> bool:
    """A cookie/privacy/consent notice: privacy vocabulary spoken in the site's own voice."""
    if not contains_any(line.casefold() if folded is None else folded, PRIVACY_STEMS):  # cheap test first
        return False
    return bool(_PRIVACY_WORDS.search(line) and _SITE_VOICE.search(line))


# Labels: a reader's comment opening ("Name says:"), an embedded post's attribution
# ("— Name (@handle) date"), a list of tags or topics. Furniture, wherever they stand.
_LABEL = re.compile(
    r"^(?:\S.{0,40}\s(?:says|said|wrote|writes|schreibt|disse|escribió|пишет):$"
    r"|[—–-]\s*[^()]{1,60}\(@\w+\)"
    r"|(?:tags?|topics?|filed under|schlagwörter|themen|temas|теги|тэги)\s*:)",
    re.IGNORECASE,
)
# "More Example News": a site's pointer to more of its own stories (capitalised name follows).
_MORE_FROM = re.compile(r"^More (?:from |on |at |in |by )?(?:the )?[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,3}$")


def is_label(line: str) -> bool:
    """A commenter's name, an embedded post's attribution, or a tags line."""
    if len(line) > 300 or (":" not in line and "(@" not in line):  # every label has one
        return False
    return bool(_LABEL.match(line))


def is_hard_end(line: str, words: int | None = None, folded: str | None = None) -> bool:
    """The article is over once a consent banner, copyright line or comments section starts."""
    if (words if words is not None else word_count(line)) > 40:
        return False
    return bool(_HARD_END.match(folded if folded is not None else line.casefold()))


def is_soft_end(line: str, words: int | None = None, folded: str | None = None) -> bool:
    """A listing of other stories begins; it ends if long article prose resumes."""
    if (words if words is not None else word_count(line)) > 12:
        return False
    if _SOFT_END.match(folded if folded is not None else line.casefold()):
        return True
    return line.startswith("More ") and bool(_MORE_FROM.match(line))
