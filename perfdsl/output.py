"""What perfdsl prints is safe to print: on any terminal, in any encoding, whatever the source.

Two mechanisms, each in one place:

* :func:`printable` is the one escaping function for text that comes from a source (names,
  values, source lines) or from the outside (file names, git's messages) on its way to a
  terminal or a report.  Control characters (C0 but tab, DEL, C1), the bidirectional
  overrides and isolates (U+202A–U+202E, U+2066–U+2069), the line and paragraph separators,
  and the lone surrogates that stand for undecodable bytes in a file name are shown as
  escapes (``\\x1b``, ``\\n``, ``\\u202e``, ``\\xff``).  Otherwise a source could set the
  terminal's title, clear the screen, reorder what a reviewer reads, or start a line with
  ``::error`` that GitHub Actions takes for a workflow command.  Our own messages contain no
  such characters, so escaping a whole message is the same as escaping what it quotes.
  :func:`json_text` is the JSON counterpart: the values stay exactly as they are, but the
  text is escaped so that printing it raw is just as safe, and it is always valid UTF-8.

* :func:`configure_streams`, called once when the CLI starts, makes stdout and stderr degrade
  instead of fail in an encoding that lacks a character (GBK on Chinese Windows when output
  goes to a pipe or file, latin-1, ASCII): our own symbols get ASCII stand-ins (``›`` → ``>``,
  ``→`` → ``->``), full-width forms their ASCII twins, anything else ``?``.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import sys
import unicodedata
from functools import cache
from typing import Any

import click

_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape's stand-in for the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


@cache
def char_width(ch: str) -> int:
    # (Cached: a report of thousands of findings measures the same few hundred characters.)
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))


def printable(text: str) -> str:
    """``text`` with every character that could act on a terminal or a log reader shown as
    an escape; anything else (tabs, Chinese, emoji) is left as it is."""
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)


def say(text: str, err: bool = True) -> None:
    """Print a message that may quote a name, a path or a value (to stderr by default)."""
    click.echo(printable(text), err=err)


# --- JSON ------------------------------------------------------------------------------------

# json.dumps already escapes C0; these it would write as they are.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def write_source(text: str) -> None:
    """A source file's text to standard output (``fmt -``, ``new -``): UTF-8 wherever it goes,
    as the file itself would be, whatever the terminal's encoding."""
    stream = sys.stdout
    if stream is None:  # started with stdout closed: there is nowhere to write
        return
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a text-only stream (as some test harnesses give): it takes str
        stream.write(text)
        return
    stream.flush()
    binary.write(text.encode("utf-8"))
    binary.flush()


def _json_escape(match: re.Match[str]) -> str:
    ch = match.group()
    if "\ud800" <= ch <= "\udfff":
        # A lone surrogate is no character at all (UTF-8 cannot encode it, and a JSON parser
        # may reject "\udcff"): the byte it stands for is written as text, "\xff".
        return json.dumps(printable(ch))[1:-1]
    return f"\\u{ord(ch):04x}"  # the same string once parsed, but inert when printed raw


def json_text(data: Any, **options: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, **options)``, safe to print and to encode."""
    return _JSON_UNSAFE.sub(_json_escape, json.dumps(data, ensure_ascii=False, **options))


# --- output encodings ------------------------------------------------------------------------

#: The name of the error handler :func:`configure_streams` puts on stdout and stderr.
ERRORS = "perfdsl-degrade"

#: ASCII for the symbols perfdsl itself prints, where the output encoding lacks them.
FALLBACKS = {
    "›": ">",
    "→": "->",
    "←": "<-",
    "⇄": "<->",
    "⇅": "^v",
    "±": "+/-",
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
    "—": "--",
    "–": "-",
    "…": "...",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "·": ".",
    "×": "x",
    "✓": "v",
    "✗": "x",
}


def _stand_in(ch: str) -> str:
    if ch in FALLBACKS:
        return FALLBACKS[ch]
    if "\ud800" <= ch <= "\udfff":  # a byte of a file name that is not UTF-8: \xff
        return _escape(ch)
    folded = unicodedata.normalize("NFKC", ch)  # ：→ :  （ → (  １ → 1
    # Only ASCII is sure to encode in the stream's encoding (the handler must not fail).
    return folded if folded.isascii() and folded.isprintable() and folded else "?"


def _degrade(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_stand_in(ch) for ch in text), error.end


codecs.register_error(ERRORS, _degrade)


def configure_streams() -> None:
    """Make stdout and stderr degrade rather than fail on a character their encoding lacks.

    Called once, before any command runs.  A stream that is closed (None) or is not a text
    stream that can be reconfigured is left alone.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        with contextlib.suppress(ValueError, OSError):  # closed, or not reconfigurable after all
            reconfigure(errors=ERRORS)
