"""Render Markdown as MkDocs would (same extensions) and read back what a reader sees."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import yaml

from conftest import REPO


def _extensions() -> list:
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    out = []
    for ext in config["markdown_extensions"]:
        out.append(next(iter(ext)) if isinstance(ext, dict) else ext)
    return out


EXTENSIONS = _extensions()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append("!--")


def render(md: str) -> _Reader:
    reader = _Reader()
    reader.feed(markdown.markdown(md, extensions=EXTENSIONS))
    return reader


def visible_text(md: str) -> str:
    return " ".join("".join(render(md).text).split())
