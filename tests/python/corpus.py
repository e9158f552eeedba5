"""Deterministic multilingual test corpus for tokenizer parity tests.

`generate(n, seed)` returns `n` strings (always the same ones for the same arguments) that mix:
ASCII prose, samples of every major script, emoji (ZWJ sequences, skin tones, flags, keycaps, tag
sequences), combining marks, fullwidth and compatibility forms, ligatures, every Unicode space
separator, control and format characters, very long words, whitespace runs, the empty string,
random code points from all planes, and strings that look like special or byte pieces
("<0x41>", "[CLS]", "▁"). Every string is a sequence of valid Unicode scalar values (no
surrogates), so it encodes to valid UTF-8.

Command line: `python3 corpus.py [--n N] [--seed S] [--out FILE]` writes JSONL {"text": ...}.
"""

import argparse
import json
import random
import sys

# --- building blocks -----------------------------------------------------------------------------

WORDS = (
    "the of and to in is was for on that with as by at from his her it an were are which this be "
    "or has had not but have one all new first more after who also two time their can other year "
    "people world state city government company university school music game season team war life "
    "Apple Google Microsoft Paris London Tokyo Berlin John Mary Smith Johnson CEO president report "
    "quick brown fox jumps over lazy dog Hello hello WORLD naïve café résumé coöperate Zürich "
    "internationalization tokenization transformer don't can't it's O'Neil e-mail co-operate "
    "iPhone macOS GLiNER2 DeBERTa-v3 COVID-19 U.S.A. Ph.D. e.g. i.e. etc. vs. Mr. Dr. St."
).split()

PUNCT = list(".,;:!?-()[]{}\"'/\\@#$%^&*_+=<>|~`") + ["...", "--", "—", "–", "“", "”", "‘", "’", "«", "»"]

# Short real-text samples per script (written for this corpus).
SCRIPT_SAMPLES = {
    "latin": ["Ça va très bien, merci.", "Größe über Straße", "Ångström Øresund Æble", "Dziękuję bardzo",
              "Čeština ŽŠŘ", "Türkçe ığüşöç İstanbul", "Tiếng Việt có dấu", "Español: ¿Qué tal? ¡Hola!",
              "Ĳsselmeer ŉ ſ ǅ ǈ ǋ", "Ãõ Ñ ñ ẞ ß"],
    "greek": ["Καλημέρα κόσμε", "ΑΒΓΔΕ αβγδε ΐΰ", "Ἀθῆναι ᾅ ῷ", "φιλοσοφία ΣΟΦΙΑ ς"],
    "cyrillic": ["Привет, мир!", "Ёлка ёж ЙЦУКЕН", "Україна ї є ґ", "Српски Ђ Ћ Џ", "Қазақ тілі ң ғ"],
    "armenian": ["Բարեւ աշխարհ", "Հայաստան և ﬓ ﬔ"],
    "hebrew": ["שלום עולם", "עִבְרִית בְּרֵאשִׁית", "ﬠ ﬡ ﬢ ﬣ ﬤ שׁ"],
    "arabic": ["مرحبا بالعالم", "العَرَبِيَّة", "٠١٢٣٤٥٦٧٨٩", "ﷺ ﷻ ﻻ ﻷ", "فارسی گ چ پ ژ", "اردو ے ۓ"],
    "devanagari": ["नमस्ते दुनिया", "हिन्दी क्षत्रिय ज्ञान", "क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़", "॥ ॐ ०१२३"],
    "bengali": ["বাংলা ভাষা", "আমি তোমাকে ভালোবাসি", "য় ড় ঢ়"],
    "tamil": ["தமிழ் மொழி", "வணக்கம் ஸ்ரீ"],
    "thai": ["สวัสดีชาวโลก", "ภาษาไทย ๑๒๓", "กำ ำ"],
    "georgian": ["გამარჯობა მსოფლიო", "ᲒᲐᲛᲐᲠᲯᲝᲑᲐ"],
    "hangul": ["안녕하세요 세계", "한국어 ㄱㄴㄷ ㅏㅑ", "각 ㈜ ㉠ ㉮", "ﾡﾢﾣ ﾤ ﾥ"],
    "kana": ["こんにちは世界", "カタカナ ｶﾀｶﾅ ｧｨ ｯ ｰ", "ひらがな が ぱ ゔ", "ガ パ ヷ ㋐ ㌀ ㍻"],
    "cjk": ["你好，世界！", "漢字 汉字 繁體", "東京都 大阪", "㐀㐁 𠀀𠀁 ⺀ ⼀ 丽 ⿰", "中文（括号）。、"],
    "ethiopic": ["ሰላም ዓለም", "ኢትዮጵያ ፩፪፫"],
    "other": ["ខ្មែរ ភាសា", "မြန်မာ", "བོད་ཡིག", "සිංහල", "ᠮᠣᠩᠭᠣᠯ", "ᏣᎳᎩ", "ᐃᓄᒃᑎᑐᑦ", "ລາວ",
              "ગુજરાતી", "ਪੰਜਾਬੀ", "ಕನ್ನಡ", "മലയാളം", "తెలుగు", "ଓଡ଼ିଆ", "ދިވެހި", "ܐܪܡܝܐ", "𐌰𐌱𐌲 𓀀𓀁"],
}

# Code point ranges per script for random sampling (inclusive).
SCRIPT_RANGES = {
    "latin": [(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)],
    "greek": [(0x370, 0x3FF), (0x1F00, 0x1FFF)],
    "cyrillic": [(0x400, 0x52F)],
    "armenian": [(0x531, 0x58F)],
    "hebrew": [(0x591, 0x5F4), (0xFB1D, 0xFB4F)],
    "arabic": [(0x600, 0x6FF), (0x750, 0x77F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFC)],
    "devanagari": [(0x900, 0x97F)],
    "bengali": [(0x980, 0x9FE)],
    "tamil": [(0xB82, 0xBFA)],
    "thai": [(0xE01, 0xE5B)],
    "georgian": [(0x10A0, 0x10FF), (0x1C90, 0x1CBF)],
    "hangul": [(0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3131, 0x318E), (0xFFA0, 0xFFDC)],
    "kana": [(0x3041, 0x30FF), (0xFF66, 0xFF9F), (0x31F0, 0x31FF)],
    "cjk": [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0xF900, 0xFAFF), (0x3000, 0x303F)],
    "ethiopic": [(0x1200, 0x137C)],
    "other": [(0x1780, 0x17FF), (0x1000, 0x109F), (0xF00, 0xFDA), (0xD80, 0xDF4), (0x1800, 0x18AA),
              (0x13A0, 0x13F5), (0x1400, 0x167F), (0xE80, 0xEDF), (0xA80, 0xAFF), (0xA00, 0xA7F),
              (0xC80, 0xCF2), (0xD00, 0xD7F), (0xC00, 0xC7F), (0xB00, 0xB77)],
}

COMBINING_RANGES = [(0x300, 0x36F), (0x1AB0, 0x1ACE), (0x1DC0, 0x1DFF), (0x20D0, 0x20F0), (0xFE20, 0xFE2F)]
# Marks that the NFKC composition tables combine with Latin/Greek/Cyrillic letters.
COMPOSING_MARKS = [0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0x309, 0x30A, 0x30B,
                   0x30C, 0x30F, 0x311, 0x31B, 0x323, 0x324, 0x325, 0x326, 0x327, 0x328, 0x32D,
                   0x32E, 0x330, 0x331, 0x338, 0x340, 0x341, 0x342, 0x343, 0x344, 0x345, 0x313,
                   0x314, 0x3099, 0x309A, 0x93C, 0x9BC, 0x9BE, 0x9D7, 0xBBE, 0xBD7, 0x102E]

SPACES = ["\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006",
          "\u2007", "\u2008", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000", "\u2028", "\u2029",
          "\u0085", " ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c"]

CONTROLS = ["\u200d", "\u200c", "\u200b", "\ufeff", "\x00", "\t", "\n", "\r", "\u00ad", "\u200e",
            "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2060", "\u2061",
            "\u2066", "\u2067", "\u2068", "\u2069", "\u180e", "\ufff9", "\ufffa", "\ufffb",
            "\ufffc", "\ufffd", "\u034f", "\ufe00", "\ufe0f", "\U000e0001", "\U000e0020",
            "\U000e007f"] + [chr(c) for c in range(0x01, 0x20)] + [chr(c) for c in range(0x7F, 0xA0)]

COMPAT = (list("ﬀﬁﬂﬃﬄﬅﬆ") + [chr(c) for c in range(0xFF01, 0xFF5F)] +
          [chr(c) for c in range(0xFF61, 0xFFDD)] +
          list("①②③⑴⑵⒈⒜ⓐⓩ㈠㈱㊀㋀㍱㎏㎡㏄™℠℡№℃℉Ωℵℓ½¼¾⅓⅛ⅠⅡⅢⅣⅻⅿ¹²³⁴ⁱⁿ₀₁₂ₐₑ"
               "ªº¨¯´¸˘˙˚˛˜˝ʰʲˠ΄΅ᾼῌῼ΅`´῾ǄǅǆǇǈǉǊǋǌĲĳĿŀŉſ"
               "𝐀𝐁𝐚𝐛𝑨𝒂𝓐𝔄𝔞𝕬𝖆𝗔𝘢𝙰𝚊𝟎𝟏𝟗ℍℕℙℚℝℤ…‥․′″‴‶‷‼⁇⁈⁉"))

EMOJI_BASE = ["😀", "😂", "🥲", "😍", "🤖", "👍", "👋", "🙏", "💪", "👶", "👩", "👨", "🧑", "🎉", "🔥",
              "❤", "☺", "✌", "☝", "⭐", "🌍", "🚀", "🍕", "🐶", "🐱", "🏳", "🏴", "👁", "🗨",
              "🫠", "🫶", "🩷", "©", "®", "‼", "™", "#", "*", "7"]
SKIN_TONES = ["\U0001f3fb", "\U0001f3fc", "\U0001f3fd", "\U0001f3fe", "\U0001f3ff"]
ZWJ_SEQUENCES = ["👨\u200d👩\u200d👧\u200d👦", "👩\u200d❤\ufe0f\u200d👨", "🏳\ufe0f\u200d🌈",
                 "🏴\u200d☠\ufe0f", "👁\ufe0f\u200d🗨\ufe0f", "🧑\U0001f3fd\u200d💻",
                 "👩\U0001f3ff\u200d🤝\u200d👩\U0001f3fb", "🐻\u200d❄\ufe0f", "❤\ufe0f\u200d🔥"]
FLAGS = ["US", "GB", "FR", "DE", "JP", "CN", "IN", "BR", "UA", "IL", "EU", "UN", "ZZ"]
TAG_FLAG = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"

SPECIAL_LOOKALIKES = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", "<s>", "</s>", "<unk>", "<pad>",
                      "<0x41>", "<0x00>", "<0xFF>", "<0xE2>", "▁", "▁▁", "▁hello", "hello▁",
                      "[P]", "[E]", "[C]", "[R]", "[L]", "[SEP_TEXT]", "[SEP_STRUCT]",
                      "[EXAMPLE]", "[OUTPUT]", "[DESCRIPTION]", "[P", "P]", "[[P]]", "[p]", "⁇"]

MISC = ["https://example.com/path?q=1&r=%20#frag", "user.name+tag@example.co.uk",
        "C:\\Users\\test\\file.txt", "{\"key\": [1, 2.5, null, true]}", "<html><b>bold</b></html>",
        "if (a <= b && c != d) { return x->y; }", "3.14159 2,718 1e-9 -42 +7 0x1F 1_000_000",
        "$9.99 €10,50 £5 ¥100 ₹ ₽ ₿", "12:30pm 2024-01-31T23:59:59Z", "#hashtag @mention",
        "a\\nb\\tc \"quoted\" 'single'", "ALLCAPS lowercase MiXeD CamelCase snake_case kebab-case"]

PLANES = [(0x0000, 0xFFFF, 6), (0x10000, 0x1FFFF, 3), (0x20000, 0x2FFFF, 1), (0x30000, 0x3FFFF, 1),
          (0xE0000, 0xEFFFF, 1), (0xF0000, 0x10FFFF, 1)]


def _cp_in(rng, ranges):
    lo, hi = rng.choice(ranges)
    return chr(rng.randint(lo, hi))


def _random_scalar(rng):
    """A uniformly chosen plane (weighted), then a uniformly chosen scalar value in it."""
    lo, hi, _ = rng.choices(PLANES, weights=[p[2] for p in PLANES])[0]
    while True:
        cp = rng.randint(lo, hi)
        if not 0xD800 <= cp <= 0xDFFF:
            return chr(cp)


# --- generators, one per category ----------------------------------------------------------------

def _prose(rng):
    n = rng.randint(1, 20)
    out = []
    for i in range(n):
        w = rng.choice(WORDS)
        if i == 0 or rng.random() < 0.1:
            w = w[:1].upper() + w[1:]
        out.append(w)
        if rng.random() < 0.12:
            out.append(rng.choice(PUNCT))
        if rng.random() < 0.05:
            out.append(str(rng.randint(0, 10 ** rng.randint(1, 7))))
    sep = lambda: rng.choice([" ", " ", " ", " ", "", "  "])
    return "".join(w + sep() for w in out).rstrip(" ") + rng.choice(["", ".", "!", "?", " "])


def _script(rng):
    name = rng.choice(list(SCRIPT_SAMPLES))
    if rng.random() < 0.6:
        parts = [rng.choice(SCRIPT_SAMPLES[name]) for _ in range(rng.randint(1, 3))]
        return rng.choice([" ", "", ", ", " - "]).join(parts)
    k = rng.randint(1, 40)
    s = "".join(_cp_in(rng, SCRIPT_RANGES[name]) for _ in range(k))
    if rng.random() < 0.5:  # insert word breaks
        s = "".join(c + (" " if rng.random() < 0.15 else "") for c in s)
    return s


def _emoji_unit(rng):
    r = rng.random()
    if r < 0.3:
        e = rng.choice(EMOJI_BASE)
        if rng.random() < 0.3:
            e += "\ufe0f"
        return e
    if r < 0.5:
        return rng.choice(EMOJI_BASE[:14]) + rng.choice(SKIN_TONES)
    if r < 0.7:
        return rng.choice(ZWJ_SEQUENCES)
    if r < 0.85:
        code = rng.choice(FLAGS)
        return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code)
    if r < 0.9:
        return TAG_FLAG
    if r < 0.95:
        return rng.choice("0123456789#*") + "\ufe0f\u20e3"
    return rng.choice(SKIN_TONES + ["\u200d", "\ufe0f", chr(0x1F1E6 + rng.randint(0, 25))])


def _emoji(rng):
    units = [_emoji_unit(rng) for _ in range(rng.randint(1, 8))]
    if rng.random() < 0.5:
        return rng.choice(["", " "]).join(units)
    return _prose(rng)[:30] + " " + "".join(units) + " " + rng.choice(WORDS)


def _combining(rng):
    out = []
    for _ in range(rng.randint(1, 10)):
        base = rng.choice([rng.choice("AEIOUYaeiouyCcNnSsZzGgKkLlRrHhWwXxTt<>="), _cp_in(rng, SCRIPT_RANGES["greek"]),
                           _cp_in(rng, SCRIPT_RANGES["cyrillic"]), rng.choice("क ख ग ব য় ଡ ଢ க ே ொ ว ก ᄀ か カ ウ".split()),
                           " ", "\u00a0", rng.choice(COMPAT), ""])
        marks = []
        for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3, 5])):
            if rng.random() < 0.6:
                marks.append(chr(rng.choice(COMPOSING_MARKS)))
            else:
                marks.append(_cp_in(rng, COMBINING_RANGES))
        out.append(base + "".join(marks))
    return rng.choice(["", " "]).join(out)


def _compat(rng):
    k = rng.randint(1, 20)
    s = []
    for _ in range(k):
        r = rng.random()
        if r < 0.6:
            s.append(rng.choice(COMPAT))
        elif r < 0.8:
            s.append(rng.choice(WORDS))
        else:
            s.append(rng.choice([" ", "", "\u3000", "\u00a0"]))
    return "".join(s)


def _spaces(rng):
    parts = []
    for _ in range(rng.randint(1, 12)):
        r = rng.random()
        if r < 0.45:
            parts.append("".join(rng.choice(SPACES) for _ in range(rng.randint(1, 6))))
        elif r < 0.9:
            parts.append(rng.choice(WORDS))
        else:
            parts.append(rng.choice(SPECIAL_LOOKALIKES))
    return "".join(parts)


def _controls(rng):
    parts = []
    for _ in range(rng.randint(1, 12)):
        r = rng.random()
        if r < 0.5:
            parts.append("".join(rng.choice(CONTROLS) for _ in range(rng.randint(1, 3))))
        elif r < 0.8:
            parts.append(rng.choice(WORDS))
        elif r < 0.9:
            parts.append(rng.choice(SPACES))
        else:
            parts.append(_emoji_unit(rng))
    return "".join(parts)


def _long(rng):
    n = rng.randint(1000, 5000)
    r = rng.random()
    if r < 0.2:
        return rng.choice("ax9.-_ ") * n
    if r < 0.4:
        return "".join(rng.choices("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=n))
    if r < 0.55:
        return "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(n // 2))
    if r < 0.65:
        return "".join(_cp_in(rng, SCRIPT_RANGES[rng.choice(["cyrillic", "arabic", "devanagari", "thai", "hangul"])])
                       for _ in range(n // 2))
    if r < 0.75:
        return "".join(_emoji_unit(rng) for _ in range(n // 20))
    if r < 0.85:
        return " ".join(rng.choice(WORDS) for _ in range(n // 6))
    if r < 0.93:
        return "".join(_random_scalar(rng) for _ in range(n // 4))
    return "".join(rng.choice(SPACES + CONTROLS[:8]) for _ in range(n // 4)) + "x"


def _random_code_points(rng):
    k = rng.choice([1, 1, 2, 3, 5, 8, 13, 30])
    s = "".join(_random_scalar(rng) for _ in range(k))
    if rng.random() < 0.3:
        s = rng.choice(WORDS) + " " + s + " " + rng.choice(WORDS)
    return s


def _lookalike(rng):
    parts = [rng.choice(SPECIAL_LOOKALIKES) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.5:
        parts.insert(rng.randint(0, len(parts)), rng.choice(WORDS))
    return rng.choice(["", " ", "  "]).join(parts)


def _misc(rng):
    s = rng.choice(MISC)
    if rng.random() < 0.5:
        s = rng.choice(SPACES) + s + rng.choice(SPACES)
    return s


def _whitespace_edges(rng):
    core = rng.choice([_prose, _script, _emoji, _compat])(rng)
    lead = "".join(rng.choice([" ", " ", "\t", "\n", "\u3000", "\u00a0", "▁"]) for _ in range(rng.randint(0, 5)))
    trail = "".join(rng.choice([" ", " ", "\t", "\n", "\u3000", "\u00a0", "▁"]) for _ in range(rng.randint(0, 5)))
    return lead + core + trail


def _mixed(rng):
    gens = [_prose, _script, _emoji, _combining, _compat, _spaces, _controls, _random_code_points,
            _lookalike, _misc]
    return rng.choice(["", " ", "\n"]).join(rng.choice(gens)(rng) for _ in range(rng.randint(2, 4)))


def _tiny(rng):
    """Very short strings: one or two characters, where edge cases concentrate."""
    pool = SPACES + CONTROLS + COMPAT[:40] + ["", "a", "▁", " ", "\u2581\u2581"] + [chr(0x300 + i) for i in range(16)]
    return "".join(rng.choice(pool) for _ in range(rng.randint(0, 2)))


# (generator, weight). Long strings are few: they dominate the running time.
CATEGORIES = [
    (_prose, 20), (_script, 18), (_emoji, 6), (_combining, 8), (_compat, 6), (_spaces, 6),
    (_controls, 6), (_long, 0.25), (_random_code_points, 8), (_lookalike, 3), (_misc, 2),
    (_whitespace_edges, 5), (_mixed, 8), (_tiny, 3),
]

# Fixed strings that always come first.
FIXED = ["", " ", "  ", "\t", "\n", "\r\n", "\x00", "▁", " ▁ ", "a", "Hello, world!",
         "Tim Cook is CEO of Apple.", "  leading and trailing spaces  ", "[P] person [E] name",
         "ﬁ", "Ｆｕｌｌ", "\u00a0x\u00a0", "x\u3000y", "\u200b", "\ufeffBOM", "e\u0301", "A\u0302\u0300",
         "👨\u200d👩\u200d👧", "🇺🇸🇬🇧", "<0x41>", "[CLS]", "a" * 4000]


def generate(n, seed=20240531):
    """Returns `n` corpus strings, identical for identical (n, seed)."""
    rng = random.Random(seed)
    out = FIXED[:n]
    gens = [g for g, _ in CATEGORIES]
    weights = [w for _, w in CATEGORIES]
    picks = rng.choices(gens, weights=weights, k=max(0, n - len(out)))
    out.extend(g(rng) for g in picks)
    return out


# Line separators that str.splitlines() would split on even inside a JSON string; escaped so that
# every reader sees one record per line. Everything else is written as raw UTF-8.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def to_jsonl_line(s):
    line = json.dumps({"text": s}, ensure_ascii=False)
    for ch, esc in _LINE_BREAKS.items():
        line = line.replace(ch, esc)
    return line


def write_jsonl(strings, stream):
    for s in strings:
        stream.write(to_jsonl_line(s))
        stream.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=20240531)
    parser.add_argument("--out", default="-", help="output file (default: stdout)")
    args = parser.parse_args(argv)
    strings = generate(args.n, args.seed)
    if args.out == "-":
        write_jsonl(strings, sys.stdout)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            write_jsonl(strings, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
