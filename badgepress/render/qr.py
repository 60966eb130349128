"""QR codes (ISO/IEC 18004:2015, Model 2) as inline SVG, fast enough for every earner page.

Every earner page inlines a code of its own URL. segno made them for ~1 ms a page, most of a
build's per-page time, because it moves one bit at a time through Python lists. Here everything
that depends only on (version, error level, mask) is worked out once and cached: the function
patterns, the format and version information, the data-module positions in placement order with
the mask folded in, the block structure and the Reed-Solomon tables. A call packs the data into
an int, divides each block with table lookups, and places all the bits with one C-level gather.

The output is byte for byte what `segno.make(data, error=..., micro=False, mask=...)` and its
`svg_inline(scale=..., border=..., svgclass=..., lineclass=None, title=..., light="#fff")` write,
segno's quirks included (tests/sharing/test_qr_encoder.py compares the two): the same mode and
text encoding, the smallest version, the error level raised while the data still fits that
version (segno's `boost_error`), and the same SVG path text. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
from operator import itemgetter
from typing import NamedTuple

# Error correction levels, weakest first (§7.5.1); the two-bit indicator of each in the format
# information (§7.9.1): L=01, M=00, Q=11, H=10.
LEVELS = "LMQH"
_LEVEL_BITS = {"L": 0b01, "M": 0b00, "Q": 0b11, "H": 0b10}

# §7.5.1 Table 9, per version 1..40 (index 0 unused): error correction codewords per block,
# and number of blocks, for L, M, Q, H.
_ECC_PER_BLOCK = {
    "L": (0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
          28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "M": (0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
          26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28),
    "Q": (0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
          28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "H": (0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
          30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
}  # fmt: skip
_BLOCKS = {
    "L": (0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
          8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25),
    "M": (0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
          17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49),
    "Q": (0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
          23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68),
    "H": (0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
          25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81),
}  # fmt: skip

# §7.4.1: mode indicators (Table 2) and character count indicator lengths for versions 1-9,
# 10-26 and 27-40 (Table 3).
_NUMERIC, _ALPHANUMERIC, _BYTE, _KANJI = 0b0001, 0b0010, 0b0100, 0b1000
_COUNT_BITS = {
    _NUMERIC: (10, 12, 14),
    _ALPHANUMERIC: (9, 11, 13),
    _BYTE: (8, 16, 16),
    _KANJI: (8, 10, 12),
}
_ALPHANUMERIC_CHARS = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"  # §7.4.4 Table 5
_ALPHANUMERIC_VALUE = {c: i for i, c in enumerate(_ALPHANUMERIC_CHARS)}
_IS_ALPHANUMERIC = re.compile(b"[" + re.escape(_ALPHANUMERIC_CHARS) + b"]+").fullmatch

# §7.8.2 Table 10: module (i, j) (row, column) of the encoding region is flipped where true.
_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)


def svg_inline(
    data: str,
    title: str,
    *,
    error: str = "M",
    mask: int = 7,
    scale: int = 4,
    border: int = 2,
    css_class: str = "qr-code",
) -> str:
    """An SVG element (no XML declaration, no namespace) of a QR code of `data`, black on white.

    `error` is the lowest acceptable level (raised while the data fits the same version),
    `mask` the data mask (§7.8.2; no penalty scoring), `scale` the size of a module in
    pixels, `border` the quiet zone in modules. Raises ValueError when the data does not fit
    version 40 at that level.
    """
    if error not in _LEVEL_BITS:
        raise ValueError(f"unknown QR error correction level {error!r}: use one of L, M, Q, H")
    if not 0 <= mask < len(_MASKS):
        raise ValueError(f"QR data mask {mask!r} is not one of 0..7")
    if not (isinstance(scale, int) and scale >= 1 and isinstance(border, int) and border >= 0):
        raise ValueError("QR scale must be a positive int and border an int >= 0")
    version, level, codewords = _data_codewords(data, error)
    layout = _layout(version, level, mask)
    # §7.5.2: each block's error correction codewords are the remainder of dividing its data
    # (as a polynomial over GF(256)) by the generator polynomial; an LFSR over one int, a table
    # lookup per data codeword (the table holds every multiple of the generator).
    message = [codewords]
    table, top, keep, ecc_length = layout.ecc_table, layout.ecc_top, layout.ecc_keep, layout.ecc
    for start, stop in layout.blocks:
        remainder = 0
        for codeword in codewords[start:stop]:
            remainder = ((remainder & keep) << 8) ^ table[(remainder >> top) ^ codeword]
        message.append(remainder.to_bytes(ecc_length, "big"))
    # The masked message, bit by bit as "0"/"1", then the fixed modules' "0", "1" and a newline:
    # the layout's gather picks from these, row by row, every module of the symbol (§7.7.3).
    bits = int.from_bytes(b"".join(message), "big") ^ layout.mask_bits
    modules = "".join(layout.gather(f"{bits:0{layout.message_bits}b}01\n"))
    return _svg(modules, layout.size, title, scale, border, css_class)


class _Layout(NamedTuple):
    """What a (version, level, mask) fixes: where each bit goes, the blocks, the ECC table."""

    size: int  # modules per side
    blocks: tuple[tuple[int, int], ...]  # each block's slice of the data codewords
    ecc: int  # error correction codewords per block
    ecc_table: tuple[int, ...]  # every multiple of the generator polynomial, as ints
    ecc_top: int  # shift that leaves a remainder's leading codeword
    ecc_keep: int  # bits of a remainder below its leading codeword
    message_bits: int  # data and error correction codewords, in bits
    mask_bits: int  # the data mask, in message bit order
    gather: itemgetter  # message bits + "01\n" -> the symbol's rows, each ended by "\n"


# --- §7.4 data encoding ---------------------------------------------------------------------


def _segment(data: str) -> tuple[int, int, int, int]:
    """segno's single segment of a str: (mode, character count, bits, bit length)."""
    # segno's bytes for a str: ISO-8859-1 if it can, else Shift JIS, else UTF-8, with no ECI
    # (§7.4.2) saying which; readers assume ISO-8859-1 or guess. URLs are ASCII.
    try:
        raw = data.encode("iso-8859-1")
    except UnicodeError:
        try:
            raw = data.encode("shift_jis")
        except UnicodeError:
            raw = data.encode("utf-8")
    count = len(raw)
    if raw.isdigit():
        # §7.4.3: groups of three digits in 10 bits; a final two in 7, a final one in 4.
        value = length = 0
        for i in range(0, count, 3):
            group = raw[i : i + 3]
            width = len(group) * 3 + 1
            value = (value << width) | int(group)
            length += width
        return _NUMERIC, count, value, length
    if _IS_ALPHANUMERIC(raw):
        # §7.4.4: pairs of characters as 45 * first + second in 11 bits; a final one in 6.
        value = length = 0
        for i in range(0, count - 1, 2):
            pair = _ALPHANUMERIC_VALUE[raw[i]] * 45 + _ALPHANUMERIC_VALUE[raw[i + 1]]
            value = (value << 11) | pair
            length += 11
        if count % 2:
            value = (value << 6) | _ALPHANUMERIC_VALUE[raw[-1]]
            length += 6
        return _ALPHANUMERIC, count, value, length
    if _is_kanji(raw):
        # §7.4.6: each double-byte Shift JIS character, less its range's base, in 13 bits.
        value = 0
        for i in range(0, count, 2):
            code = (raw[i] << 8) | raw[i + 1]
            code -= 0x8140 if code <= 0x9FFC else 0xC140
            value = (value << 13) | ((code >> 8) * 0xC0 + (code & 0xFF))
        return _KANJI, count // 2, value, count // 2 * 13
    # §7.4.5: eight bits a byte.
    return _BYTE, count, int.from_bytes(raw, "big"), count * 8


def _is_kanji(raw: bytes) -> bool:
    """segno picks kanji mode when the bytes are all double-byte Shift JIS characters."""
    if not raw or len(raw) % 2:
        return False
    for i in range(0, len(raw), 2):
        code = (raw[i] << 8) | raw[i + 1]
        if not (0x8140 <= code <= 0x9FFC or 0xE040 <= code <= 0xEBBF):
            return False
    return True


def _data_codewords(data: str, error: str) -> tuple[int, str, bytes]:
    """The smallest version that holds `data`, the raised level, and the data codewords."""
    mode, count, value, length = _segment(data)
    count_bits = _COUNT_BITS[mode]
    for version in range(1, 41):
        # Table 3: the character count indicator grows at versions 10 and 27.
        count_width = count_bits[(version > 9) + (version > 26)]
        used = 4 + count_width + length
        if used <= _capacity(version, error):
            break
    else:
        raise ValueError(
            f"data too long for a QR code: {used} bits, version 40 at level {error} holds "
            f"{_capacity(40, error)} ({len(data)} characters)"
        )
    # segno's boost_error: the strongest level at which the data still fits this version.
    level = error
    for stronger in LEVELS[LEVELS.index(error) + 1 :]:
        if used > _capacity(version, stronger):
            break
        level = stronger
    capacity = _capacity(version, level)
    value = (((mode << count_width) | count) << length) | value
    # §7.4.9: a terminator of up to four 0 bits. §7.4.10: 0 bits up to the next codeword
    # boundary; segno adds a whole 0 codeword when the stream already ends on one (a decoder
    # stops at the terminator, so the code stays valid) - kept for identical output.
    terminator = min(capacity - used, 4)
    padding = 8 - (used + terminator) % 8
    used += terminator + padding
    codewords = (value << (terminator + padding)).to_bytes(used // 8, "big")
    # §7.4.10: fill the capacity with the pad codewords 11101100 and 00010001, alternately.
    missing = capacity // 8 - len(codewords)
    if missing >= 0:
        return version, level, codewords + _PAD[:missing]
    return version, level, codewords[: capacity // 8]  # full: segno's extra 0 codeword goes


_PAD = b"\xec\x11" * 1500


@functools.cache
def _capacity(version: int, level: str) -> int:
    """Data bits of a version at a level (§7.4.10 Table 7)."""
    return (_codewords(version) - _BLOCKS[level][version] * _ECC_PER_BLOCK[level][version]) * 8


def _codewords(version: int) -> int:
    """All codewords of a version (Table 1): its encoding region's modules, whole bytes."""
    return _raw_modules(version) // 8


def _raw_modules(version: int) -> int:
    """Modules left for codewords and remainder bits once the function patterns are placed."""
    size = version * 4 + 17
    modules = size * size - 3 * 64 - 2 * (size - 16) - 31  # finders+separators, timing, format
    if version >= 2:
        count = version // 7 + 2  # alignment pattern centres per axis (Annex E)
        # (count^2 - 3) patterns of 25 modules, less the 5 each shares with a timing pattern.
        modules -= 25 * (count * count - 3) - 2 * 5 * (count - 2)
    if version >= 7:
        modules -= 36  # two version information blocks (§7.10)
    return modules


# --- §7.5 error correction ------------------------------------------------------------------

# GF(256) with the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (§7.5.2).
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]
del _value, _power


def _multiply(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@functools.cache
def _ecc_table(degree: int) -> tuple[int, ...]:
    """c times the generator polynomial (less its leading 1), as a big-endian int, for each c."""
    # §7.5.2 Annex A: the generator is the product of (x - 2^i) for i in 0..degree-1.
    generator = [1]
    for i in range(degree):
        root = _EXP[i]
        generator = [
            a ^ _multiply(b, root) for a, b in zip([*generator, 0], [0, *generator], strict=True)
        ]
    return tuple(
        int.from_bytes(bytes(_multiply(c, g) for g in generator[1:]), "big") for c in range(256)
    )


# --- §6.3 function patterns, §7.7 placement, §7.8 masking, §7.9-7.10 format and version -----


def _alignment_centres(version: int) -> list[int]:
    """Row/column coordinates of alignment pattern centres (Annex E Table E.1)."""
    if version == 1:
        return []
    count = version // 7 + 2
    size = version * 4 + 17
    # Evenly spaced from column 6 to size - 7, the step even (Table E.1 rounds it up).
    step = 26 if version == 32 else -(-(version * 4 + 4) // (count * 2 - 2)) * 2
    return [6, *reversed([size - 7 - i * step for i in range(count - 1)])]


def _bch(value: int, generator: int, bits: int) -> int:
    """`value` followed by the `bits`-bit remainder of value * x^bits by `generator` (§7.9.1)."""
    remainder = value << bits
    while remainder.bit_length() > bits:
        remainder ^= generator << (remainder.bit_length() - generator.bit_length())
    return (value << bits) | remainder


def _format_bits(level: str, mask: int) -> int:
    """§7.9.1: level and mask, a (15, 5) BCH code, XOR 101010000010010 (never all light)."""
    return _bch((_LEVEL_BITS[level] << 3) | mask, 0b10100110111, 10) ^ 0b101010000010010


def _version_bits(version: int) -> int:
    """§7.10: the version, an (18, 6) Golay code."""
    return _bch(version, 0b1111100100101, 12)


@functools.cache
def _layout(version: int, level: str, mask: int) -> _Layout:
    size = version * 4 + 17
    fixed: list[list[int | None]] = [[None] * size for _ in range(size)]  # None: encoding region

    # §6.3.3-6.3.4: finder patterns with their light separators, in three corners.
    for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):
        for i in range(-1, 8):
            for j in range(-1, 8):
                if 0 <= top + i < size and 0 <= left + j < size:
                    ring = max(abs(i - 3), abs(j - 3))
                    fixed[top + i][left + j] = int(ring != 2 and ring != 4)
    # §6.3.5: timing patterns on row and column 6, dark on even coordinates.
    for k in range(8, size - 8):
        fixed[6][k] = fixed[k][6] = int(k % 2 == 0)
    # §6.3.6: alignment patterns on every pair of centres but the three in finder patterns.
    centres = _alignment_centres(version)
    for row in centres:
        for column in centres:
            if (row, column) not in ((6, 6), (6, size - 7), (size - 7, 6)):
                for i in range(-2, 3):
                    for j in range(-2, 3):
                        fixed[row + i][column + j] = int(max(abs(i), abs(j)) != 1)
    # §7.9.1: the format information, twice: around the top-left finder, and split between the
    # top-right and bottom-left ones (bit 0 is the least significant), plus the dark module.
    fmt = _format_bits(level, mask)
    for i in range(8):
        low, high = fmt >> i & 1, fmt >> (14 - i) & 1
        fixed[i + (i >= 6)][8] = low
        fixed[8][i + (i >= 6)] = high
        fixed[8][size - 1 - i] = low
        fixed[size - 1 - i][8] = high
    fixed[size - 8][8] = 1
    # §7.10: version information, two 6x3 blocks, from version 7 on.
    if version >= 7:
        info = _version_bits(version)
        for k in range(18):
            fixed[size - 11 + k % 3][k // 3] = fixed[k // 3][size - 11 + k % 3] = info >> k & 1

    # §7.7.3: codeword bits go up and down two-module columns from the right, skipping function
    # modules and column 6 (the vertical timing pattern).
    order = []
    upwards = True
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            i = size - 1 - vertical if upwards else vertical
            for j in (right, right - 1):
                if fixed[i][j] is None:
                    order.append((i, j))
        upwards = not upwards

    # §7.6: the final sequence interleaves the blocks' codewords: data codeword 0 of each block,
    # then 1, ... (the longer blocks last), then the error correction codewords alike. The call
    # keeps codewords block by block (data, then each block's ECC); `source` maps each position
    # of the final sequence back to that order.
    blocks_count, ecc = _BLOCKS[level][version], _ECC_PER_BLOCK[level][version]
    total = _codewords(version)
    short_blocks = blocks_count - total % blocks_count
    short_length = total // blocks_count - ecc
    blocks, start = [], 0
    for b in range(blocks_count):
        stop = start + short_length + (b >= short_blocks)
        blocks.append((start, stop))
        start = stop
    data_total = start
    source = [
        blocks[b][0] + k
        for k in range(short_length + 1)
        for b in range(blocks_count)
        if blocks[b][0] + k < blocks[b][1]
    ]
    source += [data_total + b * ecc + k for k in range(ecc) for b in range(blocks_count)]

    message_bits = total * 8
    zero, one, newline = message_bits, message_bits + 1, message_bits + 2
    masked = _MASKS[mask]
    picks = [[zero if bit == 0 else one for bit in row] for row in fixed]
    mask_bits = 0
    for position, (i, j) in enumerate(order):
        flip = masked(i, j)
        if position < message_bits:  # a codeword bit, most significant first
            bit = source[position // 8] * 8 + position % 8
            picks[i][j] = bit
            mask_bits |= flip << (message_bits - 1 - bit)
        else:  # §7.7.3 remainder bits: 0, masked like the rest of the encoding region
            picks[i][j] = one if flip else zero
    gather = itemgetter(*[pick for row in picks for pick in (*row, newline)])
    table = _ecc_table(ecc)
    return _Layout(
        size=size,
        blocks=tuple(blocks),
        ecc=ecc,
        ecc_table=table,
        ecc_top=8 * (ecc - 1),
        ecc_keep=(1 << 8 * (ecc - 1)) - 1,
        message_bits=message_bits,
        mask_bits=mask_bits,
        gather=gather,
    )


# --- the SVG, as segno's svg_inline writes it -----------------------------------------------


def escape(text: str) -> str:
    """xml.sax.saxutils.escape: that module imports urllib.request (and http.client, ssl,
    email), ~20 ms of every build's start, for three replacements."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """xml.sax.saxutils.quoteattr: escaped, line breaks and tabs as references, quoted."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    return f"'{text}'" if "'" not in text else '"{}"'.format(text.replace('"', "&quot;"))


def _svg(modules: str, size: int, title: str, scale: int, border: int, css_class: str) -> str:
    # One path of horizontal strokes of width 1 along each row's middle: "M" to the first run
    # (the top-left finder's corner, always dark), then "m<dx> <dy>h<length>" relative moves.
    # Cutting after each dark run gives the runs, each with the light modules and row ends
    # before it (str methods: a regex finding them costs three times as much); the last piece
    # is the light rest.
    runs = modules.replace("10", "1 0").replace("1\n", "1 \n").split(" ")
    path = f"M{border} {border + 0.5}h{len(runs[0])}" + "".join(
        map(_path_pieces(size).__getitem__, runs[1:-1])
    )
    side = size + 2 * border
    pixels = side * scale
    group = f'<g transform="scale({scale})">' if scale != 1 else ""
    return (
        f'<svg width="{pixels}" height="{pixels}" class={quoteattr(css_class)}>'
        f"<title>{escape(title)}</title>{group}"
        f'<path fill="#fff" d="M0 0h{side}v{side}h-{side}z"/>'
        f'<path stroke="#000" d="{path}"/>{"</g>" if group else ""}</svg>'
    )


class _PathPieces(dict):
    """Path text of a run, by the run's text, for one symbol size: runs recur across codes, and
    a dict lookup per run (in C, through map) is what makes the path cheap."""

    LIMIT = 1 << 16  # distinct runs kept; past it start afresh (a long `serve` stays bounded)

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def __missing__(self, run: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        rows_down = run.count("\n")
        light = run.count("0")
        dark = len(run) - light - rows_down
        # Across rows the move goes back from where the last run ended: `size` per row.
        text = self[run] = f"m{light - rows_down * self.size} {rows_down}h{dark}"
        return text


@functools.cache
def _path_pieces(size: int) -> _PathPieces:
    return _PathPieces(size)
