"""Differential test of the GLiNER2 word splitter and python_lower() against CPython.

The reference is CPython itself: the GLiNER2 word regex matched with `re.finditer` (str pattern,
re.IGNORECASE) on the original text, each match lowered with `str.lower()`; code point offsets
from the match, UTF-8 byte offsets from the encoded prefix. The C++ side runs in one process per
batch through tests/tools/word_split_tool (see its header for the wire format).

CPython 3.11 has Unicode 14.0 while ICU 72 has Unicode 15.0. Code points that are unassigned (Cn)
for Python but assigned for ICU are the only legitimate divergence: strings containing them are
excluded and counted; everything else must be identical.
"""

import functools
import os
import random
import re
import struct
import subprocess
import unicodedata

import pytest

# GLiNER2's word pattern (gliner2/processor.py since 2025-07-29), compiled as the reference does.
WORD_PATTERN = re.compile(
    r"(?:https?://[^\s]+|www\.[^\s]+)"
    r"|[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}"
    r"|@[a-z0-9_]+"
    r"|\w+(?:[-_]\w+)*"
    r"|\S",
    re.IGNORECASE,
)

SEED = 20250729
RANDOM_STRINGS = 100_000
LONG_STRINGS = 100
BATCH_SEGMENTS = 4096  # code point contexts per record in the exhaustive tests

ALL_SCALARS = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


# ----------------------------------------------------------------------------------------------
# Running the C++ side


def _tool():
    build = os.environ.get("SPANGUARD_BUILD_DIR")
    if not build:
        pytest.skip("SPANGUARD_BUILD_DIR is not set (run through ctest)")
    path = os.path.join(build, "tests", "tools", "word_split_tool")
    assert os.access(path, os.X_OK), f"{path} is missing: build the word_split_tool target"
    return path


def run_tool(mode, records):
    """Runs word_split_tool `mode` over `records` (bytes or str) and returns one result each:
    ("error", message) or, for split, ("ok", offsets_le_u32_bytes, lowered_joined_bytes), for
    lower, ("ok", lowered_bytes)."""
    payload = bytearray()
    for record in records:
        data = record.encode("utf-8") if isinstance(record, str) else record
        payload += struct.pack("<I", len(data))
        payload += data
    proc = subprocess.run([_tool(), mode], input=bytes(payload), capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    out = proc.stdout
    results = []
    pos = 0

    def take_u32():
        nonlocal pos
        (value,) = struct.unpack_from("<I", out, pos)
        pos += 4
        return value

    def take_bytes(size):
        nonlocal pos
        chunk = out[pos : pos + size]
        assert len(chunk) == size, "truncated tool output"
        pos += size
        return chunk

    for _ in records:
        status = take_u32()
        if status == 1:
            results.append(("error", take_bytes(take_u32()).decode("utf-8")))
        elif mode == "split":
            offsets = take_bytes(16 * take_u32())
            results.append(("ok", offsets, take_bytes(take_u32())))
        else:
            results.append(("ok", take_bytes(take_u32())))
    assert pos == len(out), "unexpected trailing tool output"
    return results


def icu_assigned():
    """Per code point, whether ICU's Unicode version assigns it."""
    proc = subprocess.run([_tool(), "assigned"], capture_output=True, check=True)
    assert len(proc.stdout) == 0x110000
    return proc.stdout


_NEW_IN_ICU = None


def new_in_icu():
    """Code points unassigned in CPython's Unicode version but assigned in ICU's."""
    global _NEW_IN_ICU
    if _NEW_IN_ICU is None:
        assigned = icu_assigned()
        new = set()
        python_only = []
        for c in range(0x110000):
            python_cn = unicodedata.category(chr(c)) == "Cn"
            if python_cn and assigned[c]:
                new.add(c)
            elif not python_cn and not assigned[c]:
                python_only.append(c)
        # ICU's Unicode is newer: nothing may be assigned for Python only.
        assert not python_only, [hex(c) for c in python_only[:20]]
        _NEW_IN_ICU = new
    return _NEW_IN_ICU


def _class_of(code_points):
    ranges = []
    for c in sorted(code_points):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    if not ranges:
        return re.compile(r"(?!)")
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


# ----------------------------------------------------------------------------------------------
# The CPython reference


def reference_split(text):
    flat = []
    words = []
    pos = byte = 0
    for m in WORD_PATTERN.finditer(text):
        start, end = m.span()
        word = m.group()
        if start != pos:
            byte += len(text[pos:start].encode("utf-8"))
        end_byte = byte + len(word.encode("utf-8"))
        flat += (start, end, byte, end_byte)
        words.append(word.lower())
        pos, byte = end, end_byte
    return ("ok", struct.pack(f"<{len(flat)}I", *flat), "\x1f".join(words).encode("utf-8"))


def describe_split(result):
    """Readable form of a split result, for failure messages."""
    if result[0] == "error":
        return result
    flat = struct.unpack(f"<{len(result[1]) // 4}I", result[1])
    offsets = [flat[i : i + 4] for i in range(0, len(flat), 4)]
    words = result[2].decode("utf-8").split("\x1f") if offsets else []
    return [(w, *o) for w, o in zip(words, offsets)]


def compare_split(texts):
    """Returns the texts (with expected and actual readable results) that differ."""
    got = run_tool("split", texts)
    bad = []
    for text, actual in zip(texts, got):
        expected = reference_split(text)
        if actual != expected:
            bad.append((text, describe_split(expected), describe_split(actual)))
    return bad


def compare_lower(texts):
    got = run_tool("lower", texts)
    return [
        (text, text.lower(), actual)
        for text, actual in zip(texts, got)
        if actual != ("ok", text.lower().encode("utf-8"))
    ]


def _show(bad, limit=5):
    return "\n".join(repr(item) for item in bad[:limit])


# ----------------------------------------------------------------------------------------------
# Random and adversarial strings


def _chars(*ranges):
    out = []
    for r in ranges:
        if isinstance(r, str):
            out.extend(r)
        else:
            out.extend(chr(c) for c in range(r[0], r[1] + 1))
    return out


PY_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]
SPACE_LOOKALIKES = _chars("\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad\u2800\u3164")
CONTROLS = _chars((0x00, 0x1F), (0x7F, 0x9F))
ASCII_PUNCT = _chars("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
SPECIAL_CASE = _chars(
    "\u0130\u0131\u212a\u017f\u00df\u1e9e\u03a3\u03c3\u03c2\u01c5\u01c8\u01cb\u01f2\u212b\u2126"
    "\ufb00\ufb05\ufb06\u00b5\u0345\u0390\u03b0\u1fbc\u1ffc\u1fbe\u0149\u01f0\u1e96\u0587"
    "\u13a0\uab70\u1c90\u10d0\u2c00\ua7ae\u0049\u0069\u004b\u0053\u0073\u006b",
    (0x10400, 0x10403), (0x1E900, 0x1E903), (0x104B0, 0x104B3), (0x16E40, 0x16E43),
)
DIGITS = _chars(
    (0xFF10, 0xFF19), (0x0660, 0x0669), (0x06F0, 0x06F9), (0x0966, 0x096F), (0x09E6, 0x09EF),
    (0x0E50, 0x0E59), "\u00b9\u00b2\u00b3\u2070", (0x2074, 0x2079), (0x2080, 0x2089),
    "\u00bc\u00bd\u00be", (0x2150, 0x215F), (0x2160, 0x2188), (0x2460, 0x2473), "\u3007\u4e00\u4e8c\u4e09",
    (0x1D7CE, 0x1D7FF), (0x10A40, 0x10A48), (0x1F100, 0x1F10C), (0x0030, 0x0039),
)
COMBINING = _chars(
    (0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05BD), (0x064B, 0x065F), (0x093A, 0x094F),
    "\u0e31", (0x0E34, 0x0E3A), (0x1AB0, 0x1ACE), (0x20D0, 0x20F0), (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F), (0x1D165, 0x1D169), (0xE0100, 0xE0103), (0x0903, 0x0903), "\u094d\u0bcd",
)
SCRIPT_WORDS = [
    "\u0939\u093f\u0928\u094d\u0926\u0940", "\u0928\u092e\u0938\u094d\u0924\u0947",
    "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22", "\ud55c\uad6d\uc5b4", "\u1100\u1161\u11a8",
    "\u4e2d\u6587\u5b57", "\u3072\u3089\u304c\u306a\u30ab\u30bf\u30ab\u30ca\u30fc",
    "\u0645\u064e\u0631\u0652\u062d\u064e\u0628\u064b\u0627", "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd",
    "\u041f\u0440\u0438\u0432\u0435\u0442", "\u039f\u0394\u039f\u03a3", "\u03a3\u0391\u03a3",
    "\u1f48\u0394\u03a5\u03a3\u03a3\u0395\u038e\u03a3", "\u0391\u0345\u03a3", "\u1c90\u1c91\u1c92",
    "\u0532\u0561\u0580\u0565\u0582", "\u13e3\u13b3\u13a9", "\U00010414\U0001042f", "\U0001e900\U0001e901",
    "\U000104b0", "na\u00efve", "cafe\u0301", "\u00c5ngstr\u00f6m", "STRASSE", "Stra\u00dfe",
    "\u0130STANBUL", "\u0131\u015f\u0131k",
]
EMOJI = [
    "\U0001F44D\U0001F3FD", "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466",
    "\U0001F3F3\ufe0f\u200d\U0001F308", "\U0001F1FA\U0001F1F8", "1\ufe0f\u20e3", "\u2764\ufe0f",
    "\U0001F9D1\U0001F3FF\u200d\U0001F4BB", "\U0001FAE0", "\U0001FAE8", "\U0001F600", "#\u20e3",
]
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
CASE_LETTERS = LETTERS + "\u0130\u0131\u017f\u212a"  # the four that [a-z] matches case-insensitively
LOCAL_CHARS = CASE_LETTERS + "0123456789._%+-"
DOMAIN_CHARS = CASE_LETTERS + "0123456789.-"
TRAILING = [".", ",", ")", "!", "?", ";", ":", "\u2026", '"', "'", ">", "]", ".)", "...", ""]


def random_scalar(rng):
    roll = rng.random()
    if roll < 0.5:
        lo, hi = 0x80, 0xFFFF
    elif roll < 0.7:
        lo, hi = 0x10000, 0x1FFFF
    elif roll < 0.8:
        lo, hi = 0x20000, 0x3FFFF
    elif roll < 0.85:
        lo, hi = 0xE0000, 0xE01EF
    elif roll < 0.9:
        lo, hi = 0x0, 0x7F
    else:
        lo, hi = 0x40000, 0x10FFFF
    while True:
        c = rng.randint(lo, hi)
        if not 0xD800 <= c <= 0xDFFF:
            return chr(c)


def _run(rng, alphabet, lo, hi):
    return "".join(rng.choices(alphabet, k=rng.randint(lo, hi)))


def gen_url(rng):
    scheme = rng.choice(
        ["http://", "https://", "HTTP://", "hTtPs://", "http\u017f://", "HTTP\u017f://", "www.", "WWW.",
         "wWw.", "http:/", "http//", "ftp://", "https:", "htp://", "http://", "https://www."]
    )
    host = _run(rng, LETTERS + "0123456789.-", 0, 12)
    path = _run(rng, LETTERS + "0123456789/?=&#%._~-" + "\u00e9\u4e2d", 0, 15)
    return scheme + host + path + rng.choice(TRAILING)


def gen_email(rng):
    local = _run(rng, LOCAL_CHARS, 0, 10)
    if rng.random() < 0.3:
        local += rng.choice([".", "..", "_", "+tag", "%", "-"]) + _run(rng, LOCAL_CHARS, 0, 5)
    domain = _run(rng, DOMAIN_CHARS, 0, 8)
    for _ in range(rng.randint(0, 3)):
        domain += rng.choice([".", "..", "-", ".-"]) + _run(rng, DOMAIN_CHARS, 0, 6)
    tld = _run(rng, CASE_LETTERS, 0, 5)
    at = rng.choice(["@", "@", "@", "@@", "\uff20", " @"])
    return local + at + domain + rng.choice([".", ".", "", ".."]) + tld + rng.choice(TRAILING)


def gen_handle(rng):
    return rng.choice(["@", "@", "@@", "x@"]) + _run(rng, CASE_LETTERS + "0123456789_" + "\u00e9-.", 0, 10)


def gen_chain(rng):
    return _run(rng, ["a", "b", "Z", "1", "-", "-", "_", "_", "\u00e9", "\u0301", "\u4e2d", "\u2460"], 1, 12)


def gen_digits(rng):
    return _run(rng, DIGITS + ["-", "_", ".", ",", "a"], 1, 8)


def gen_combining(rng):
    base = rng.choice(LETTERS + "\u0915\u0e01\u05d0\u0627 -_@.")
    return base + _run(rng, COMBINING, 1, 4) + rng.choice(["", "a", "-b"])


def gen_random_scalars(rng):
    return "".join([random_scalar(rng) for _ in range(rng.randint(1, 12))])


def gen_sigma(rng):
    alphabet = ["\u03a3", "\u03a3", "\u039f", "A", "\u0345", "\u00b7", ".", "'", "-", "\u0301", "\u02b0", "a", "1", " "]
    return _run(rng, alphabet, 1, 8)


GENERATORS = [
    (gen_url, 10), (gen_email, 12), (gen_handle, 6), (gen_chain, 10), (gen_digits, 6),
    (gen_combining, 6), (gen_random_scalars, 12), (gen_sigma, 5),
    (lambda rng: rng.choice(SCRIPT_WORDS), 8), (lambda rng: rng.choice(EMOJI), 5),
    (lambda rng: _run(rng, SPECIAL_CASE, 1, 5), 6), (lambda rng: _run(rng, CONTROLS, 1, 3), 3),
    (lambda rng: _run(rng, ASCII_PUNCT, 1, 3), 5), (lambda rng: _run(rng, LETTERS, 1, 10), 10),
    (lambda rng: _run(rng, PY_SPACES + SPACE_LOOKALIKES, 1, 3), 4),
]
_GEN_FUNCS = [g for g, _ in GENERATORS]
_GEN_WEIGHTS = [w for _, w in GENERATORS]


def random_text(rng, pieces):
    parts = []
    for i in range(pieces):
        if i:
            roll = rng.random()
            if roll < 0.4:
                parts.append(" ")
            elif roll < 0.5:
                parts.append(rng.choice(PY_SPACES))
            elif roll < 0.65:
                parts.append(rng.choice(ASCII_PUNCT))
            # otherwise glued to the previous piece
        parts.append(rng.choices(_GEN_FUNCS, _GEN_WEIGHTS)[0](rng))
    return "".join(parts)


@functools.lru_cache(maxsize=None)
def random_corpus():
    """(texts, number excluded): RANDOM_STRINGS short and LONG_STRINGS long texts that contain no
    code point new in ICU's Unicode version, and how many generated texts were set aside for
    containing one."""
    rng = random.Random(SEED)
    new = _class_of(new_in_icu())
    texts = []
    excluded = 0
    while len(texts) < RANDOM_STRINGS:
        text = random_text(rng, rng.randint(1, 12))
        if new.search(text):
            excluded += 1
        else:
            texts.append(text)
    # Nearly every long text would contain a new code point, so in those they are replaced.
    for _ in range(LONG_STRINGS):
        text = random_text(rng, rng.randint(200, 2000))
        texts.append(new.sub(lambda _: rng.choice(SPECIAL_CASE), text))
    return texts, excluded


# ----------------------------------------------------------------------------------------------
# Tests


def test_random_and_adversarial_strings(capsys):
    texts, excluded = random_corpus()
    bad = compare_split(texts)
    with capsys.disabled():
        print(
            f"\nword splitter differential: {len(texts) - len(bad)}/{len(texts)} identical "
            f"({excluded} excluded for Unicode 15 additions)"
        )
    assert not bad, f"{len(bad)} texts differ (text, CPython, ours):\n{_show(bad)}"


def test_python_lower_of_whole_random_strings():
    texts, _ = random_corpus()
    bad = compare_lower(texts)
    assert not bad, f"{len(bad)} texts differ (text, CPython, ours):\n{_show(bad)}"


def _segment_records(segments):
    """Joins per-code-point contexts with spaces into records. No alternative of the pattern
    matches whitespace and str.lower() context rules stop at it, so segments stay independent."""
    return [" ".join(segments[i : i + BATCH_SEGMENTS]) for i in range(0, len(segments), BATCH_SEGMENTS)]


def test_every_code_point_word_and_space_class(capsys):
    # c + "b": one word when c is \w, a lone `b` when c is whitespace, two tokens otherwise; the
    # lowered form covers str.lower() of every code point.
    new = new_in_icu()
    scalars = [chr(c) for c in ALL_SCALARS if c not in new]
    bad = compare_split(_segment_records([c + "b" for c in scalars]))
    with capsys.disabled():
        print(f"\nword splitter, every code point as c+'b': {len(scalars)} code points, "
              f"{len(new)} excluded for Unicode 15 additions, {len(bad)} differing records")
    assert not bad, _show(bad, 2)


def test_every_code_point_lower_contexts():
    # "/" c "Σ": final sigma iff c is cased and not case-ignorable; "AΣ" c "b": final iff c is
    # neither (a case-ignorable c is skipped and "b" is cased); "A" c: plain mapping after a letter.
    new = new_in_icu()
    segments = [
        f"/{c}\u03a3/A\u03a3{c}b/A{c}" for c in (chr(c) for c in ALL_SCALARS if c not in new)
    ]
    bad = compare_lower(_segment_records(segments))
    assert not bad, f"{len(bad)} records differ"


def test_case_insensitive_classes():
    # Which characters match [a-z0-9._%+-], [a-z0-9.-], [a-z], [a-z0-9_] and the letters of
    # "http(s)"/"www" under re.IGNORECASE. Only characters with case (or case-folding) can match
    # beyond their own code point, so those are tested in full, the rest sampled.
    new = new_in_icu()
    candidates = []
    for c in ALL_SCALARS:
        ch = chr(c)
        if c in new:
            continue
        cased = ch.lower() != ch or ch.upper() != ch or ch.casefold() != ch or ch.title() != ch
        if c < 0x80 or cased or unicodedata.category(ch) in ("Lu", "Ll", "Lt") or c % 251 == 0:
            candidates.append(ch)
    contexts = [
        ("", "@y.zz"), ("x", "@y.zz"), ("x@", ".zz"), ("x@y", ".zz"), ("x@y.", "z"), ("x@y.z", ""),
        ("x@y.zz", ""), ("@", ""), ("@x", ""), ("http", "://x"), ("htt", "://x"), ("ht", "p://x"),
        ("h", "tp://x"), ("", "ttp://x"), ("https:", "/x"), ("https://", ""), ("ww", ".x"),
        ("www", "x"), ("", "ww.x"), ("www.", ""), ("x-", ""), ("x", "-y"), ("x_", "-y"), ("-", "x"),
    ]
    segments = [prefix + c + suffix for c in candidates for prefix, suffix in contexts]
    bad = compare_split(_segment_records(segments))
    assert len(candidates) > 4000
    assert not bad, _show(bad, 2)


def test_invalid_utf8_reports_python_decoder_offset(capsys):
    rng = random.Random(SEED + 1)
    pieces = [
        b"\x80", b"\xbf", b"\xc0\xaf", b"\xc1\xbf", b"\xc2", b"\xdf", b"\xe0\x80\x80", b"\xe0\xa0",
        b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xef\xbf", b"\xf0\x80\x80\x80", b"\xf0\x90\x80",
        b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xfe", b"\xff", b"\xe2\x82", b"\xf0\x9f\x98",
    ]
    valid = ["a", " ", "\u00e9", "\u4e2d", "\U0001F600", "x@y.zz", "http://a", "\u03a3"]
    records = []
    for _ in range(5000):
        data = b""
        for _ in range(rng.randint(1, 8)):
            roll = rng.random()
            if roll < 0.25:
                data += rng.choice(pieces)
            elif roll < 0.35:
                data += bytes([rng.randint(0x80, 0xFF)])
            else:
                data += rng.choice(valid).encode("utf-8")
        records.append(data)
    checked_invalid = 0
    for mode in ("split", "lower"):
        got = run_tool(mode, records)
        for data, actual in zip(records, got):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as error:
                checked_invalid += 1
                assert actual[0] == "error", (data, actual)
                match = re.search(r"at byte offset (\d+)$", actual[1])
                assert match and int(match.group(1)) == error.start, (data, error.start, actual[1])
                continue
            if mode == "split":
                assert actual == reference_split(text), (text, describe_split(actual))
            else:
                assert actual == ("ok", text.lower().encode("utf-8")), (text, actual)
    assert checked_invalid > 1000
    with capsys.disabled():
        print(f"\nword splitter, invalid UTF-8: {checked_invalid} error offsets identical to "
              "CPython's decoder")
