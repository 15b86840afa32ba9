"""Tags from what a story is about: the people, organisations and places it names.

Names are found as runs of capitalised words (``Qasem Soleimani``, ``Quds Force``, ``Iran``)
that are not merely the first word of a sentence. Within one story a lone surname counts for
the full name it shortens ("Soleimani" after "Qasem Soleimani"). Across the archive, spellings
of one name are folded into one tag: names with the same number of words fold when every word
is the same or one edit away (a letter added, dropped, changed or two swapped: ``Qassem`` and
``Qasem``, ``Soleimani`` and ``Soliemani``), for words of five letters or more with the same
first letter, since short names differ by one letter too often (``Iran``, ``Iraq``). A lone
surname that no story spells out in full joins the one full name that carries it. A tag is
shown with its most common spelling, and a tag that only one story would hold is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from archivist.model import Story

MAX_TAGS = 8  # per story
MIN_STORIES = 2  # a tag page listing one story is not worth having
FUZZY_MIN_LETTERS = 5

_WORD = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)*(?:['’]s\b)?|[A-Z]{2,}(?![a-z])"
_NAME_RUN = re.compile(rf"\b(?:{_WORD})(?:\s+(?:{_WORD}))*\b")
_OPENERS = ".!?:;\"“‘(—–-•*"
_POSSESSIVE = re.compile(r"['’]s$")

_STOP = {
    "The", "A", "An", "In", "On", "At", "But", "And", "Or", "If", "When", "While", "After",
    "Before", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "You", "Its",
    "His", "Her", "Their", "Our", "My", "Your", "As", "For", "From", "With", "By", "To", "Of",
    "Last", "Next", "Then", "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gen", "Gov", "Lt", "Col",
    "Sgt", "Capt", "President", "General", "Secretary", "Senator", "Minister", "Prime", "Leader",
    "Supreme", "Chairman", "Director", "Speaker", "Judge", "Justice", "Ambassador", "Officials",
    "Related", "Read", "More", "See", "Also", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "Just", "Several", "Some", "Many", "Most", "All", "No", "Not",
    "Yes", "So", "Now", "Here", "There", "What", "Who", "Why", "How", "Where", "Which", "Today",
    "Yesterday", "Tomorrow", "Still", "Even", "One", "Two", "Three", "Among", "According",
    "During", "Since", "Despite", "Under", "Over", "About", "Such", "Other", "Another", "Every",
    "Each", "Both", "Only", "Once", "Meanwhile", "However", "Instead", "Although", "Though",
    "Because", "Until", "Unlike", "Like", "Do", "Does", "Did", "Is", "Are", "Was", "Were", "Be",
    "Will", "Would", "Can", "Could", "Should", "May", "Might", "Must", "Has", "Have", "Had",
    "Photo", "Photos", "Video", "Image", "Getty", "Images", "AP", "Reuters", "Share", "Click",
    "Subscribe", "Advertisement", "Updated", "Published", "Posted", "Copyright", "Mr.", "Ms.",
    "Mayor", "Governor", "Chief", "Commander", "Pope", "Ayatollah", "Sheikh", "Chancellor",
    "Premier", "Lawmaker", "Professor", "Prof", "Coach", "Officer", "Detective", "Captain",
    "Colonel", "Lieutenant", "Sergeant", "Admiral", "Reverend", "Rev", "Former", "Deputy", "Vice",
    "Acting", "Interim",
}
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun",
           "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
# Adjectives of nationality name no one; as lone words they are not tags.
_DEMONYM = re.compile(r"(?:ian|ians|ese|ish)$")
_STOP_ALONE = {"Iraqi", "Iraqis", "Israeli", "Israelis", "Pakistani", "Pakistanis", "Afghan",
               "Afghans", "Kuwaiti", "Yemeni", "Somali", "Qatari", "Emirati", "Saudi", "Saudis",
               "Mexican", "Mexicans", "African", "Africans", "American", "Americans", "European",
               "Europeans", "Western", "Eastern", "Northern",
               "Southern", "Christmas", "Internet", "English", "French", "Dutch", "Greek", "Thai",
               "God", "Lord", "Inc", "Ltd", "Co", "Corp", "CEO", "TV", "US", "USA", "UK", "OK", "AM",
               "PM", "ET", "PT", "GMT", "EST", "EDT", "PST", "BST", "CET", "UTC", "II", "III", "IV"}


@lru_cache(maxsize=200_000)
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _trim(words: list[str]) -> list[str]:
    while words and (words[0] in _STOP or words[0] in _MONTHS):
        words = words[1:]
    while words and (words[-1] in _STOP or words[-1] in _MONTHS):
        words = words[:-1]
    return words


def _at_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _OPENERS


def _segments(run: str) -> list[list[str]]:
    """A capitalised run split where it cannot be one name: at role words and after a possessive
    ("Defense Secretary Mark Esper" names Mark Esper; "Iran's Soleimani" names two)."""
    out: list[list[str]] = [[]]
    for word in run.split():
        if word in _STOP or word in _MONTHS:
            out.append([])
            continue
        bare = _POSSESSIVE.sub("", word)
        out[-1].append(bare)
        if bare != word:
            out.append([])
    return [seg for seg in out if seg]


def mentions(story: Story) -> Counter[str]:
    """Names a story mentions in its text, with how often; names in the title count twice more
    (headlines capitalise every word, so names are found in the text and looked up there)."""
    counts: Counter[str] = Counter()
    starts: Counter[str] = Counter()  # lone words seen only at the start of a sentence
    texts = [*([story.description] if story.description else []), *story.cleaned.paragraphs]
    for text in texts:
        for match in _NAME_RUN.finditer(text):
            run = match.group()
            if run in _STOP or run in _MONTHS:  # most runs: "The", "He", "In"
                continue
            at_start = _at_sentence_start(text, match.start())
            for n, words in enumerate(_segments(run) if " " in run or "s" in run[-1:] else [[run]]):
                if len(words) > 4:
                    continue
                if len(words) == 1:
                    w = words[0]
                    if w in _STOP_ALONE or len(w) < 3 or (not w.isupper() and _DEMONYM.search(w)):
                        continue
                    if at_start and n == 0 and run.split(" ", 1)[0] == w:
                        starts[w] += 1  # counted only if also capitalised mid-sentence
                        continue
                counts[" ".join(words)] += 1
    surnames = {name.rsplit(" ", 1)[1] for name in counts if " " in name}
    for word, n in starts.items():  # a word capitalised only at sentence starts is no name...
        if word in counts or word in surnames:  # ...unless it is one elsewhere ("Ruiz said")
            counts[word] += n
    # A lone word that ends a longer name in the same story is that name ("Soleimani").
    by_last: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        if " " in name:
            for variant in _deletion_keys(_fold(name.rsplit(" ", 1)[1])):
                by_last[variant].append(name)
    singles = [name for name in counts if " " not in name]
    for single in singles:
        folded = _fold(single)
        longer = sorted({name for variant in _deletion_keys(folded) for name in by_last.get(variant, ())
                         if _word_matches(_fold(name.rsplit(" ", 1)[1]), folded)})
        if longer:
            best = max(longer, key=lambda name: (counts[name], name))
            counts[best] += counts.pop(single)
    title = {_fold(w) for w in re.findall(r"\w+", _POSSESSIVE.sub("", story.title.replace("’s", "")))}
    for name in counts:
        if all(_fold(w) in title for w in name.split()[-1:]):
            counts[name] += 2
    return counts


def _one_edit(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with one letter added, dropped, changed, or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
            and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _word_matches(a: str, b: str) -> bool:
    if a == b:
        return True
    return (min(len(a), len(b)) >= FUZZY_MIN_LETTERS and a[0] == b[0] and _one_edit(a, b))


def _deletion_keys(word: str) -> set[str]:
    if len(word) < FUZZY_MIN_LETTERS:
        return {word}
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def fold_names(story_counts: Counter[str]) -> dict[str, str]:
    """Map every spelling to its tag: the most common spelling of names that fold together.

    ``story_counts`` is how many stories use each spelling.
    """
    keys = {name: tuple(_fold(w) for w in name.split()) for name in story_counts}
    union = _Union()
    for k in keys.values():
        union.find(" ".join(k))
    # Same number of words, every word equal or one edit away: found through deletion keys.
    # Bucketed by the name with one word replaced by one of its deletions: names in a bucket
    # differ at most in that word. (Two misspelt words fold through a third spelling, if any.)
    buckets: dict[tuple[int, tuple[str, ...]], list[tuple[str, ...]]] = defaultdict(list)
    for k in sorted(set(keys.values())):
        for pos, word in enumerate(k):
            for variant in _deletion_keys(word):
                buckets[(pos, (*k[:pos], variant, *k[pos + 1:]))].append(k)
    for (pos, _), members in buckets.items():
        for i, first in enumerate(members):
            for other in members[i + 1:]:
                if _word_matches(first[pos], other[pos]):
                    union.union(" ".join(first), " ".join(other))
    # A role before a name ("State Mike Pompeo" from "Secretary of State Mike Pompeo") is the name.
    known = set(keys.values())
    for k in known:
        for start in range(1, len(k) - 1):
            if k[start:] in known:
                union.union(" ".join(k), " ".join(k[start:]))
                break
    # A lone surname joins the full name that ends with it (if only one full name does).
    by_last: dict[str, set[str]] = defaultdict(set)
    for k in set(keys.values()):
        if len(k) >= 2 and len(k[-1]) >= FUZZY_MIN_LETTERS:
            for variant in _deletion_keys(k[-1]):
                by_last[variant].add(union.find(" ".join(k)))
    for k in set(keys.values()):
        if len(k) != 1:
            continue
        owners = {o for variant in _deletion_keys(k[0]) for o in by_last.get(variant, ())
                  if _word_matches(k[0], o.split()[-1])}
        if len(owners) == 1:
            union.union(k[0], owners.pop())
    clusters: dict[str, list[str]] = defaultdict(list)
    for name, k in keys.items():
        clusters[union.find(" ".join(k))].append(name)
    out: dict[str, str] = {}
    for names in clusters.values():
        multi = [n for n in names if " " in n] or names
        label = max(multi, key=lambda n: (story_counts[n], len(n.split()), n.isupper() is False, n))
        for name in names:
            out[name] = label
    return out


def entity_tags(stories: Sequence[Story]) -> list[list[str]]:
    """Tags for each story: up to ``MAX_TAGS`` folded names, most mentioned first, each held by
    at least ``MIN_STORIES`` stories."""
    per_story = [mentions(s) for s in stories]
    # Only spellings some story names at least twice can become tags; folding only those
    # keeps the work small (a one-off misspelling alone would not make a tag anyway).
    story_counts: Counter[str] = Counter()
    for counts in per_story:
        story_counts.update(name for name, n in counts.items() if n >= 2)
    label = fold_names(story_counts)
    folded: list[Counter[str]] = []
    for counts in per_story:
        c: Counter[str] = Counter()
        for name, n in counts.items():
            c[label.get(name, name)] += n
        folded.append(c)
    # Salient in a story: named at least twice (a title mention counts twice).
    salient_in: Counter[str] = Counter()
    for c in folded:
        salient_in.update(name for name, n in c.items() if n >= 2)
    chosen: list[list[str]] = []
    for c in folded:
        ranked = sorted((name for name, n in c.items() if n >= 2 and salient_in[name] >= MIN_STORIES),
                        key=lambda name: (-c[name], name))
        chosen.append(ranked[:MAX_TAGS])
    held = Counter(tag for tags in chosen for tag in tags)
    return [[tag for tag in tags if held[tag] >= MIN_STORIES] for tags in chosen]
