"""
Find the Python code blocks of a Markdown page, and the marks that excuse one from running.

A block is a fenced block whose language is ``python`` or ``py`` (also
MyST's ```` ```{code-block} python ````).  ``{doctest}`` blocks are not
collected here: Sphinx's doctest builder runs them.  A block that cannot
run as written (a fragment shown inside prose) is excused by a comment on
the line before its fence, with the reason::

    <!-- not runnable: a fragment of the settings module above -->

A mark with no reason, or with no Python block after it, is an error.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The pages checked: every Markdown page of the docs, and the README.
PAGES = sorted(
    path.relative_to(ROOT).as_posix()
    for path in [*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"]
    if "_build" not in path.parts
)
PYTHON = frozenset({"python", "py", "python3"})
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_MARK = re.compile(r"^\s*<!--\s*not runnable:(?P<reason>.*?)-->\s*$")
_MARK_START = re.compile(r"^\s*<!--\s*not runnable\b")


class BadMark(ValueError):
    """A ``not runnable`` mark without a reason, or with no Python block after it."""


def _orphan(path: str, mark: tuple[int, str]) -> BadMark:
    """The error for a mark that no Python block follows."""
    return BadMark(f"{path}:{mark[0]}: a 'not runnable' mark with no Python block after it")


@dataclass(frozen=True)
class Block:
    """One fenced Python block: where it is, its code, and why it does not run (if so)."""

    path: str
    line: int  # the line of the first line of code, counting from 1
    source: str
    not_runnable: str | None = None


def _language(info: str) -> str:
    """The language of a fence's info string (``python``, ``{code-block} python`` ...)."""
    words = info.strip().split()
    if not words:
        return ""
    if words[0] in ("{code-block}", "{code}", "{sourcecode}") and len(words) > 1:
        return words[1].lower()
    return words[0].lower()


def blocks(path: str, text: str | None = None) -> list[Block]:
    """
    The Python blocks of the page at *path* (relative to the repository), in order.

    Raises:
        BadMark: a ``not runnable`` mark has no reason or no Python block after it.
    """
    lines = (Path(ROOT / path).read_text("utf-8") if text is None else text).splitlines()
    found: list[Block] = []
    mark: tuple[int, str] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = _FENCE.match(line)
        if _MARK_START.match(line):
            if mark is not None:
                raise BadMark(
                    f"{path}:{mark[0]}: a 'not runnable' mark with no Python block after it"
                )
            matched = _MARK.match(line)
            reason = "" if matched is None else matched.group("reason").strip()
            if not reason:
                raise BadMark(f"{path}:{index + 1}: a 'not runnable' mark needs a reason")
            mark = (index + 1, reason)
        elif opening is not None:
            fence = opening.group("fence")
            end = index + 1
            while end < len(lines) and not re.match(
                rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", lines[end]
            ):
                end += 1
            if _language(opening.group("info")) in PYTHON:
                source = textwrap.dedent("\n".join(lines[index + 1 : end]))
                reason = None if mark is None else mark[1]
                found.append(Block(path, index + 2, source + "\n", reason))
                mark = None
            elif mark is not None:
                raise BadMark(f"{path}:{mark[0]}: a 'not runnable' mark before a non-Python block")
            index = end
        elif line.strip() and mark is not None:
            raise _orphan(path, mark)
        index += 1
    if mark is not None:
        raise _orphan(path, mark)
    return found


def as_module(page: list[Block]) -> str:
    """The runnable blocks of a page as one module, each block on its own lines of the page."""
    out: list[str] = []
    for block in page:
        if block.not_runnable is not None:
            continue
        out += [""] * (block.line - 1 - len(out))
        out += block.source.splitlines()
    return "\n".join(out) + "\n"
