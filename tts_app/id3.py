"""The few ID3v2.3 frames a cue tape carries: title, artist, album, track and a chapter per line.

Written here rather than with mutagen: a tape needs six frame kinds, all of them simple
length-prefixed records, and the rest of mutagen (every tag format there is) would be a new
dependency for about forty lines. ID3v2.3 rather than 2.4 because more car stereos and
phones read it; CHAP and CTOC are the ID3 chapter frames (podcast players show them).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAX_CHAPTERS = 5000  # a whole role is a few hundred lines; a tag stays small


@dataclass(frozen=True)
class Chapter:
    start_ms: int
    end_ms: int
    title: str


def _text(frame_id: str, value: str) -> bytes:
    # Encoding 1: UTF-16 with a byte-order mark, the one Unicode encoding ID3v2.3 has.
    body = b"\x01" + value.encode("utf-16") + b"\x00\x00"
    return _frame(frame_id, body)


def _frame(frame_id: str, body: bytes) -> bytes:
    return frame_id.encode("ascii") + struct.pack(">I", len(body)) + b"\x00\x00" + body


def _synchsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def _toc(element_id: bytes, flags: int, children: list[bytes]) -> bytes:
    return _frame("CTOC", element_id + b"\x00" + bytes([flags, len(children)])
                  + b"".join(c + b"\x00" for c in children))


def _tables_of_contents(ids: list[bytes]) -> list[bytes]:
    """A CTOC lists at most 255 entries: a longer tape gets one ordered table per 255
    chapters under the top-level one."""
    if len(ids) <= 255:
        return [_toc(b"toc", 0x03, ids)]
    parts = [ids[i:i + 255] for i in range(0, len(ids), 255)]
    names = [f"toc{n}".encode("ascii") for n in range(len(parts))]
    return [_toc(b"toc", 0x03, names), *(_toc(name, 0x01, part) for name, part in zip(names, parts, strict=True))]


def id3_tag(*, title: str, artist: str, album: str, track: str, chapters: list[Chapter]) -> bytes:
    frames = [_text("TIT2", title), _text("TPE1", artist), _text("TALB", album), _text("TRCK", track)]
    chapters = chapters[:MAX_CHAPTERS]
    ids = [f"ch{n}".encode("ascii") for n in range(len(chapters))]
    if chapters:
        frames.extend(_tables_of_contents(ids))
        for chapter_id, chapter in zip(ids, chapters, strict=True):
            # No byte offsets (0xFFFFFFFF): players seek by time.
            body = chapter_id + b"\x00" + struct.pack(">IIII", chapter.start_ms, chapter.end_ms,
                                                       0xFFFFFFFF, 0xFFFFFFFF)
            frames.append(_frame("CHAP", body + _text("TIT2", chapter.title)))
    payload = b"".join(frames)
    return b"ID3\x03\x00\x00" + _synchsafe(len(payload)) + payload
