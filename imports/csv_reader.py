"""Text files: encoding and delimiter detection, truncation and binary checks, and the streamed rows."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any

from imports.headers import _find_header, _HeaderMatcher
from imports.table import (
    _BINARY_MAGICS,
    _BOMS,
    _ENCODING_LABELS,
    CHUNK_BYTES,
    CONTROL_SHARE_LIMIT,
    DELIMITER_LOOKAHEAD_ROWS,
    DELIMITERS,
    HEADER_SEARCH_ROWS,
    MSG_BINARY,
    MSG_CSV_BROKEN,
    MSG_DECODE,
    MSG_EMPTY,
    MSG_TRUNCATED,
    SNIFF_BYTES,
    Table,
    UnusableFile,
)

# ---------------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------------


def _strip_blank_bytes(data: bytes) -> bytes:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            data = data[len(bom):]
            break
    return data.strip(b" \t\r\n\x00\x0b\x0c")


def _looks_binary_magic(head: bytes) -> bool:
    for magic in _BINARY_MAGICS:
        if head.startswith(magic):
            return magic != b"BM" or b"\x00" in head[:64]
    return False


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the NUL bytes sit on one parity as in mostly-ASCII UTF-16 text."""
    sample = sample[: len(sample) & ~1]
    if len(sample) < 2:
        return None
    pairs = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= 0.1 * pairs and odd_nuls > 4 * even_nuls:
        return "utf-16-le"
    if even_nuls >= 0.1 * pairs and even_nuls > 4 * odd_nuls:
        return "utf-16-be"
    return None


def _decode_sample(data: bytes, codec: str, final: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(codec)("strict").decode(data, final=final)
    except UnicodeDecodeError:
        return None


def _control_share(text: str) -> float:
    window = text[:SNIFF_BYTES]
    if not window:
        return 0.0
    controls = sum(1 for ch in window if ch < " " and ch not in "\t\n\r\x0b\x0c") + window.count("\x7f")
    return controls / len(window)


def _detect_encoding(head: bytes, at_eof: bool) -> tuple[str, str, int, str]:
    """(reported encoding, codec for the stream, BOM length to skip, decoded sample text)."""
    for bom, reported, codec in _BOMS:
        if head.startswith(bom):
            text = _decode_sample(head[len(bom):], codec, at_eof)
            if text is None:
                if codec == "utf-8":
                    break  # a UTF-8 BOM in front of legacy bytes: try the legacy code page below
                raise UnusableFile(MSG_BINARY)
            return reported, codec, len(bom), text
    else:
        bom = b""

    utf16 = _utf16_without_bom(head[:SNIFF_BYTES])
    if utf16 is not None:
        text = _decode_sample(head, utf16, at_eof)
        if text is None:
            raise UnusableFile(MSG_BINARY)
        return utf16, utf16, 0, text
    if b"\x00" in head[:SNIFF_BYTES]:
        raise UnusableFile(MSG_BINARY)

    body = head[len(bom):]
    text = _decode_sample(body, "utf-8", at_eof)
    if text is not None:
        return "utf-8", "utf-8", len(bom), text
    text = _decode_sample(body, "cp1258", at_eof)
    if text is not None:
        return "cp1258", "cp1258", len(bom), text
    # Neither UTF-8 nor the Vietnamese Windows code page: a binary file without NUL bytes, or a text in
    # an encoding we cannot guess. Name the first unreadable line so the official can look at it.
    if _control_share(body[:SNIFF_BYTES].decode("latin-1")) > CONTROL_SHARE_LIMIT:
        raise UnusableFile(MSG_BINARY)
    raise UnusableFile(MSG_DECODE.format(encoding="UTF-8", line=_bad_line_utf8(body)))


def _bad_line_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data[: exc.start].count(b"\n") + 1
    return 1


def _sample_records(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    """Records of the sample text (its last, maybe cut, line dropped unless the sample is the whole file)."""
    if not complete:
        cut = max(text.rfind("\n"), text.rfind("\r"))
        text = text[: cut + 1] if cut >= 0 else text
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    records: list[list[str]] = []
    non_blank = 0
    limit = HEADER_SEARCH_ROWS + DELIMITER_LOOKAHEAD_ROWS + 1
    try:
        for record in reader:
            records.append(record)
            if any(record):
                non_blank += 1
                if non_blank >= limit:
                    break
    except csv.Error:
        pass  # judged on what parsed; the stream reports the broken line with its number
    return records


def _choose_delimiter(text: str, complete: bool, matcher: _HeaderMatcher) -> tuple[str, int]:
    """Delimiter and the index (among the sample's records) of the header row.

    Each candidate splits the first rows; the candidate that yields a header naming the most Columns
    wins, then the one whose header comes first, then the one counted most often (outside quotes) in the
    header line and the next few lines.
    """
    best: tuple[tuple[int, int, int], str, int] | None = None
    for delimiter in DELIMITERS:
        records = _sample_records(text, delimiter, complete)
        found = _find_header(records, matcher)
        if found is None:
            continue
        index, matched = found
        following = [r for r in records[index + 1:] if any(r)][:DELIMITER_LOOKAHEAD_ROWS]
        count = sum(len(r) - 1 for r in [records[index], *following])
        score = (matched, -index, count)
        if best is None or score > best[0]:
            best = (score, delimiter, index)
    if best is None:
        raise matcher.no_header()
    return best[1], best[2]


def _count_lines(path: Path, newline: bytes) -> tuple[int, bool]:
    """Number of encoded ``newline``s in the file and whether the file ends with one."""
    count = 0
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            count += chunk.count(newline)
            tail = chunk
    return count, tail.endswith(newline)


def _read_csv(path: Path, head: bytes, at_eof: bool, matcher: _HeaderMatcher) -> Table:
    encoding, codec, skip, text = _detect_encoding(head, at_eof)
    if at_eof and not text.strip():
        raise UnusableFile(MSG_EMPTY)
    if _control_share(text) > CONTROL_SHARE_LIMIT:
        raise UnusableFile(MSG_BINARY)

    delimiter, header_index = _choose_delimiter(text, at_eof, matcher)

    raw = open(path, "rb")  # noqa: SIM115 - closed by Table.close
    try:
        raw.seek(skip)
        stream = io.TextIOWrapper(raw, encoding=codec, errors="strict", newline="")
        # NFC per physical line, in C: cheaper than per cell, and no delimiter or quote ever composes
        # with a combining mark, so the split is the same as on the raw text.
        lines = map(partial(unicodedata.normalize, "NFC"), stream)
        reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True)
        context = _CsvContext(path, encoding, codec, skip)
        header: list[str] = []
        before_header = 0
        try:
            for _ in range(header_index + 1):
                before_header = reader.line_num
                header = next(reader)
        except (UnicodeDecodeError, csv.Error, StopIteration) as exc:  # pragma: no cover - sample said fine
            raise context.error(exc, before_header + 1) from None
        header_row = before_header + 1  # a quoted header cell may span lines: the row starts here
        header_end = reader.line_num

        positions, headers, ignored = matcher.map(header)
        matcher.check_required(positions)

        line_char = "\n" if ("\n" in text or "\r" not in text) else "\r"
        newline = line_char.encode(codec)
        lines, ends_with_newline = _count_lines(path, newline)
        total_lines = lines + (0 if ends_with_newline else 1)
        total_hint = max(total_lines - header_end, 0)
    except BaseException:
        raw.close()
        raise

    rows = _csv_rows(reader, header_end, positions, context)
    return Table(
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        columns=positions,
        headers=headers,
        ignored_headers=ignored,
        total_hint=total_hint,
        rows=rows,
        _closer=raw.close,
    )


@dataclass
class _CsvContext:
    path: Path
    encoding: str
    codec: str
    skip: int

    def ends_with_newline(self) -> bool:
        """Whether the file's last bytes are a line break (a cut-off download usually is not)."""
        with open(self.path, "rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - 8))
            tail = fh.read()
        return tail.endswith("\n".encode(self.codec)) or tail.endswith("\r".encode(self.codec))

    def error(self, exc: BaseException, line: int) -> UnusableFile:
        """The message for a failure while reading the record that starts on ``line``."""
        if isinstance(exc, UnicodeDecodeError):
            line = self._locate_decode_error() or line
            label = _ENCODING_LABELS.get(self.encoding, self.encoding)
            return UnusableFile(MSG_DECODE.format(encoding=label, line=line))
        return UnusableFile(MSG_CSV_BROKEN.format(line=max(line, 1)))

    def _locate_decode_error(self) -> int | None:
        """Line of the first byte that does not decode (the stream only says which 8 KiB chunk failed)."""
        newline = "\n".encode(self.codec)
        decoder = codecs.getincrementaldecoder(self.codec)("strict")
        lines = 1
        with open(self.path, "rb") as fh:
            fh.seek(self.skip)
            while chunk := fh.read(CHUNK_BYTES):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    return lines + chunk[: max(exc.start, 0)].count(newline)
                lines += chunk.count(newline)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return lines
        return None


def _csv_rows(
    reader: Any, header_end: int, positions: dict[str, int], context: _CsvContext
) -> Iterator[tuple[int, dict[str, str]]]:
    keys = tuple(positions)
    indexes = tuple(positions.values())
    width = max(indexes) + 1
    padding = [""] * width
    if len(indexes) == 1:
        only = indexes[0]

        def pick(row: list[str]) -> tuple[str, ...]:
            return (row[only],)
    else:
        pick = itemgetter(*indexes)
    strip = str.strip
    last_line = header_end
    # A row short of columns is held back until the next row shows it was not the last: a short last
    # row in a file that does not end with a line break is a cut-off file, refused as a whole rather
    # than stored with its missing cells read as blanks.
    held: tuple[int, dict[str, str]] | None = None
    try:
        for row in reader:  # lines arrive NFC-normalised (see _read_csv)
            number = last_line + 1
            last_line = reader.line_num
            short = False
            try:
                values = dict(zip(keys, map(strip, pick(row))))
            except IndexError:
                if not row:
                    continue  # an empty line
                values = dict(zip(keys, map(strip, pick(row + padding))))
                short = True
            if not any(values.values()) and not "".join(row).strip():
                continue  # every cell blank
            if held is not None:
                yield held
                held = None
            if short:
                held = (number, values)
                continue
            yield number, values
    except (UnicodeDecodeError, csv.Error) as exc:
        raise context.error(exc, last_line + 1) from None
    if held is not None:
        if not context.ends_with_newline():
            raise UnusableFile(MSG_TRUNCATED.format(line=held[0]))
        yield held
