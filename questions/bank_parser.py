"""Parse the LLM interview question bank (``questions/data/llm_interview_bank.md``).

Pure Python, standard library only (no Django), so it can be unit-tested on its own and
reused by the importer.  ``parse_bank(text)`` returns a :class:`ParsedBank`: the category
tree (as paths of names, root first) and the questions (title, category path, position).

The file is a Markdown-ish outline written by hand, so the parse leans on the *meaning* of
each line (heading, bold section, numbered item, bullet, plain text) and on numbering, and
uses indentation only as the last signal.

Document structure
------------------
* ``# `` headings that look like parts ("第一部分 …", "第二部分：…", "Part 3 …") are the
  root categories.  Everything before the first part (the ``# LLM_Interview_Prepare``
  title, "maintained by", the blurb and the ``### [AI面试与职业机会](…)`` careers link) is
  a preamble and is ignored.  If no ``#`` heading looks like a part, every ``#`` heading is
  a part.
* ``##``/``###`` headings inside a part: a link heading (``## [什么是大模型](…)``) is a
  category named by its link text, under the part (or under a shallower link heading).
  A plain heading (``## LLM面经``) is only a grouping label and never a category.
* A bold-only line (``**…**``, optionally after ``- ``, nbsp, and at most 3 columns of
  indentation, i.e. the outer list level) is a *section*: a category under the part (or the
  current link heading).  A section name seen twice ("LLMs Tokenizer 篇") is one category;
  any items under the repeat are appended to it.
* Inside a section, list items (``1.``, ``1.1``, ``- 1.``, ``- 11.1``, ``- text``,
  nested ``- **bold**``) and plain text lines form a tree:

  - A dotted number ``N.M`` is a child of the open item numbered ``N`` (whatever the
    indentation, e.g. ``- 11.1`` written at the same column as ``11.``).
  - Otherwise an item is a sibling of the nearest open item *of the same kind* (numbered
    with the same depth, or un-numbered bullet) at the same level, where "same level"
    means within one column (tabs expand to 4 columns; siblings in this file sit at column
    4 or 5).  With no same-kind item at its level, it is a sibling of the item at its level
    if that item is a question, and otherwise (a heading-like item) its child: so
    ``- **概念部分**`` nests under ``1. 基于LLM+向量库的文档对话 基础面`` one column to its
    left, while ``- 1. 痛点1：…`` stays beside ``4. …如何构建？``.
  - A numbered item ``N.`` that is deeper than the open item ``N-1.`` is still its sibling
    (numbering beats a stray tab: the tab-indented ``12.`` among ``     11.`` and
    ``     13.`` in 微调面).
  - Children evidence: an item shallower than the existing children of the most recent
    item is not nested in it (the tab-indented ``-  Layer normalization-方法篇`` after
    ``    - Deep Norm 篇`` and its tab-indented questions is a sibling of Deep Norm 篇,
    whatever a tab is worth).  Otherwise a deeper item is a child of the most recent item.
  - A plain text line (no bullet, no number) is a child of the most recent open item, i.e.
    it belongs under the heading-like item above it ("1. Byte-Pair Encoding(BPE)篇" /
    "Byte-Pair Encoding(BPE) 如何构建词典？"); it never has children itself.  Directly in a
    section it is a question of the section.

Questions and sub-categories
----------------------------
* A list item is a *sub-category* (named by its cleaned text) when it has children, when
  it is a bold item nested in a section, or when it is a childless item whose text ends
  in "篇" (a chapter heading, not a question).  Sub-categories may nest.
* An item that has children **and** is itself a question (its text ends in "？" or "?"),
  e.g. PEFT "9. 什么是 提示学习（Prompting）？" with 9.1…9.10, is recorded **both** as a
  question in the enclosing category (at its place in document order) **and** as a
  sub-category holding its children.  The sub-category name is the cleaned text exactly,
  trailing question mark included, so it matches the question title.
* Every other list item or plain line inside a section or sub-category is a question of
  its innermost category.  Positions are 0-based per category, in document order.
* Titles/names are cleaned: bullets, numbering (``1.``, ``1.1``, ``9.10``), ``**`` bold
  markers and Markdown links (``[text](url)`` -> ``text``) are removed, and runs of
  whitespace (tabs, nbsp, repeated spaces) become one space.  Only real numbering is
  removed: ``N.`` followed by a non-digit, or dotted ``N.M`` followed by whitespace, so
  "2023年…" or "1.5B 模型…" keep their digits.
* Not questions: empty and whitespace-only lines, lines wholly in parentheses (remarks
  such as "（主要内容借鉴于多个网站的面经资料）"), and plain prose directly under a part or
  heading (outside any section or list).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["ParsedBank", "ParsedQuestion", "parse_bank", "parse_bank_file"]


@dataclass(frozen=True)
class ParsedQuestion:
    category_path: tuple[str, ...]  # names from the root category down to its own category
    title: str  # cleaned question text, numbering/bullets/bold markers stripped
    position: int  # 0-based order within its category, document order


@dataclass(frozen=True)
class ParsedBank:
    categories: tuple[tuple[str, ...], ...]  # unique, parents before children, document order
    questions: tuple[ParsedQuestion, ...]  # document order


TAB_WIDTH = 4
# Hand-indented siblings drift by one column (4 vs 5); nested content is >= 3 columns deeper.
SAME_LEVEL_TOLERANCE = 1
# CommonMark: up to 3 columns of indentation is still the outer level.
MAX_OUTER_INDENT = 3

_QUESTION_MARKS = ("？", "?")
_HEADING_RE = re.compile(r"^(#{1,6})(?:[ \t\xa0]+(.*?))?(?:[ \t\xa0]+#+)?[ \t\xa0]*$")
_LINK_ONLY_RE = re.compile(r"^\[(.+)\]\([^()]*\)$")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^()]*\)")
_BULLET_RE = re.compile(r"^[-*+][ \t\xa0]+")
_NUMBER_RE = re.compile(
    r"^(?:(?P<num>[0-9]+(?:\.[0-9]+)*)\.(?![0-9])|(?P<dotted>[0-9]+(?:\.[0-9]+)+)(?=\s))\s*"
)
_BOLD_ONLY_RE = re.compile(r"^\*\*(?:(?!\*\*).)+\*\*$")
_PART_RE = re.compile(r"^(?:第[0-9一二三四五六七八九十百零〇]+部分|part\s*[0-9]+)", re.IGNORECASE)
_REMARK_RE = re.compile(r"^(?:（[^（）]*）|\([^()]*\))$")
_WHITESPACE_RE = re.compile(r"\s+")


def parse_bank(text: str) -> ParsedBank:
    """Parse the question bank Markdown ``text`` (see the module docstring for the rules)."""
    lines = [line for line in map(_classify, text.splitlines()) if line is not None]
    has_named_parts = any(_is_part_heading(line) for line in lines)
    builder = _TreeBuilder()
    in_preamble = True
    for line in lines:
        if line.kind == "heading" and line.level == 1:
            if in_preamble and has_named_parts and not _is_part_heading(line):
                continue  # the document title ("# LLM_Interview_Prepare")
            in_preamble = False
            builder.start_part(line.text)
        elif not in_preamble:
            builder.add(line)
    return _flatten(builder.parts)


def parse_bank_file(path: str | os.PathLike[str]) -> ParsedBank:
    """Read the UTF-8 file at ``path`` (a BOM is tolerated) and parse it."""
    with open(path, encoding="utf-8-sig") as handle:
        return parse_bank(handle.read())


# --------------------------------------------------------------------------- line level


@dataclass(frozen=True)
class _Line:
    kind: str  # "heading", "section", "item" or "plain"
    text: str  # cleaned text (heading: link text for link headings)
    indent: int = 0  # columns, tabs expanded to TAB_WIDTH, nbsp counts as one column
    level: int = 0  # heading level
    is_link: bool = False  # heading written as a Markdown link
    number: tuple[int, ...] | None = None  # item numbering, e.g. (9, 10)
    bold: bool = False  # item text was wholly bold


def _indent_width(raw: str) -> tuple[int, str]:
    column = 0
    for index, char in enumerate(raw):
        if char == "\t":
            column += TAB_WIDTH - column % TAB_WIDTH
        elif char in " \xa0":
            column += 1
        else:
            return column, raw[index:]
    return column, ""


def _clean_text(text: str) -> str:
    """Strip bold markers and links, collapse whitespace (incl. nbsp) to single spaces."""
    text = _LINK_RE.sub(r"\1", text).replace("**", "")
    return _WHITESPACE_RE.sub(" ", text).strip()


def _is_part_heading(line: _Line) -> bool:
    return line.kind == "heading" and line.level == 1 and bool(_PART_RE.match(line.text))


def _classify(raw: str) -> _Line | None:
    """Turn one raw line into a :class:`_Line`, or ``None`` if it carries nothing."""
    indent, rest = _indent_width(raw.rstrip())
    if not rest:
        return None
    heading = _HEADING_RE.match(rest) if indent <= MAX_OUTER_INDENT else None
    if heading:
        body = (heading.group(2) or "").strip()
        link = _LINK_ONLY_RE.match(body)
        name = _clean_text(link.group(1) if link else body)
        if not name:
            return None
        return _Line("heading", name, indent, level=len(heading.group(1)), is_link=bool(link))

    bullet = _BULLET_RE.match(rest)
    body = rest[bullet.end() :] if bullet else rest
    number_match = _NUMBER_RE.match(body)
    number: tuple[int, ...] | None = None
    if number_match:
        digits = number_match.group("num") or number_match.group("dotted")
        number = tuple(int(part) for part in digits.split("."))
        body = body[number_match.end() :]
    body = body.strip()
    bold = bool(_BOLD_ONLY_RE.match(body))
    text = _clean_text(body)
    if not text or _REMARK_RE.match(text):
        return None
    if bold and number is None and indent <= MAX_OUTER_INDENT:
        return _Line("section", text, indent)
    if bullet or number is not None or bold:
        return _Line("item", text, indent, number=number, bold=bold)
    return _Line("plain", text, indent)


# --------------------------------------------------------------------------- tree level


@dataclass(eq=False)
class _Node:
    text: str
    container: bool = False  # part, link heading or section: always a category
    section: bool = False  # a bold section (questions may sit directly in it)
    indent: int = -1
    number: tuple[int, ...] | None = None
    bullet_kind: str = ""  # "num1", "num2", … or "bullet"; "" for containers/plain
    bold: bool = False
    plain: bool = False
    children: list[_Node] = field(default_factory=list)


class _TreeBuilder:
    """Builds a tree of parts > headings/sections > items from classified lines."""

    def __init__(self) -> None:
        self.parts: list[_Node] = []
        self._headings: list[tuple[int, _Node | None]] = []  # (level, node); None = label
        self._stack: list[_Node] = []  # open list items, bottom = current container

    def start_part(self, name: str) -> None:
        part = _Node(name, container=True)
        self.parts.append(part)
        self._headings = []
        self._stack = [part]

    def add(self, line: _Line) -> None:
        if line.kind == "heading":
            self._add_heading(line)
        elif line.kind == "section":
            section = _Node(line.text, container=True, section=True)
            self._heading_container().children.append(section)
            self._stack = [section]
        elif line.kind == "item":
            self._add_item(line)
        else:
            self._add_plain(line)

    def _heading_container(self) -> _Node:
        for _level, node in reversed(self._headings):
            if node is not None:
                return node
        return self.parts[-1]

    def _add_heading(self, line: _Line) -> None:
        while self._headings and self._headings[-1][0] >= line.level:
            self._headings.pop()
        node: _Node | None = None
        if line.is_link:
            node = _Node(line.text, container=True)
            self._heading_container().children.append(node)
        self._headings.append((line.level, node))
        self._stack = [self._heading_container()]

    def _pop_deeper_than(self, indent: int) -> None:
        while len(self._stack) > 1 and self._stack[-1].indent > indent + SAME_LEVEL_TOLERANCE:
            self._stack.pop()

    def _attach(self, parent: _Node, node: _Node) -> None:
        while self._stack[-1] is not parent:
            self._stack.pop()
        parent.children.append(node)
        self._stack.append(node)

    def _add_item(self, line: _Line) -> None:
        number = line.number
        kind = f"num{len(number)}" if number else "bullet"
        node = _Node(line.text, indent=line.indent, number=number, bullet_kind=kind, bold=line.bold)
        stack = self._stack
        # 1. Dotted numbering names its parent: "9.3" belongs to the open item "9.".
        if number and len(number) > 1:
            for index in range(len(stack) - 1, 0, -1):
                if stack[index].number == number[:-1]:
                    self._attach(stack[index], node)
                    return
        self._pop_deeper_than(line.indent)
        # 2. Sibling of the nearest same-kind item at the same level.
        for index in range(len(stack) - 1, 0, -1):
            if stack[index].indent < line.indent - SAME_LEVEL_TOLERANCE:
                break
            if stack[index].bullet_kind == kind:
                self._attach(stack[index - 1], node)
                return
        top = stack[-1]
        same_level = len(stack) > 1 and top.indent >= line.indent - SAME_LEVEL_TOLERANCE
        # 3. Next to a question of another kind at the same level: a sibling all the same
        #    (only a heading-like item, e.g. "1. 基于LLM+向量库的文档对话 基础面", takes
        #    children from its own level).
        if same_level and _is_question_text(top.text):
            self._attach(stack[-2], node)
            return
        # 4. "N." deeper than the open "N-1." is its sibling all the same (stray tab).
        if (
            number
            and len(stack) > 1
            and top.bullet_kind == kind
            and top.number is not None
            and top.number[:-1] == number[:-1]
            and top.number[-1] == number[-1] - 1
        ):
            self._attach(stack[-2], node)
            return
        # 5. Children evidence: an item shallower than the existing children of the most
        #    recent item cannot be nested in it ("\t-  Layer normalization-方法篇" after
        #    "    - Deep Norm 篇" and its tab-indented questions), so it closes that item.
        if len(stack) > 1 and top.children:
            child_indent = min(child.indent for child in top.children)
            if line.indent < child_indent - SAME_LEVEL_TOLERANCE:
                self._attach(stack[-2], node)
                return
        # 6. Otherwise a child of the most recent item (or of the container).
        self._attach(top, node)

    def _add_plain(self, line: _Line) -> None:
        self._pop_deeper_than(line.indent)
        parent = self._stack[-1]
        if parent.container and not parent.section:
            return  # prose directly under a part or heading: a description, not a question
        parent.children.append(_Node(line.text, indent=line.indent, plain=True))


# --------------------------------------------------------------------------- flattening


def _is_question_text(text: str) -> bool:
    return text.endswith(_QUESTION_MARKS)


def _is_group(node: _Node) -> bool:
    if node.container:
        return True
    if node.plain:
        return False
    is_chapter = node.text.endswith("篇") and not _is_question_text(node.text)
    return bool(node.children) or node.bold or is_chapter


def _flatten(parts: Iterable[_Node]) -> ParsedBank:
    categories: dict[tuple[str, ...], int] = {}  # path -> number of questions so far
    questions: list[ParsedQuestion] = []

    def add_question(path: tuple[str, ...], title: str) -> None:
        questions.append(ParsedQuestion(path, title, categories[path]))
        categories[path] += 1

    def walk(node: _Node, path: tuple[str, ...]) -> None:
        if not _is_group(node):
            add_question(path, node.text)
            return
        if not node.container and _is_question_text(node.text):
            add_question(path, node.text)
        own_path = (*path, node.text)
        categories.setdefault(own_path, 0)
        for child in node.children:
            walk(child, own_path)

    for part in parts:
        walk(part, ())
    return ParsedBank(categories=tuple(categories), questions=tuple(questions))
