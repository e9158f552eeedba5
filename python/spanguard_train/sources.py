"""Real labelled data from /work/shared/datasets turned into training/eval records.

Record kinds (one JSON object per line):
  ner:  {"kind": "ner", "text", "entities": [[start, end, label]], "labels": [entity types]}
  cls:  {"kind": "cls", "text", "task", "labels": [candidates], "gold": label}  (single-label)
  mod:  {"kind": "mod", "text", "source", "targets": {task: {label: 0|1}}} where a label missing
        from a task's dict has no supervision (the source says nothing about it).
Hold-outs are by source file / split / group, see each loader.
"""

import json
import lzma
import os
import random

GUARD_LABELS_PATH = "reference/gliguard_labels.json"
MOD_TASKS = ("prompt_safety", "prompt_toxicity", "jailbreak_detection")
MAX_WORDS = 64


def open_text(path):
    """A UTF-8 text file opened for reading, xz-decompressed when its name ends in .xz."""
    if path.endswith(".xz"):
        return lzma.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_jsonl(path):
    with open_text(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def guard_tasks(shared):
    with open(os.path.join(shared, GUARD_LABELS_PATH), encoding="utf-8") as f:
        g = json.load(f)
    out = {}
    for task in MOD_TASKS:
        t = g["tasks"][task]
        labels = t["labels"] if isinstance(t["labels"], list) else g[t["labels"]]
        out[task] = {"labels": labels, "multi_label": t["multi_label"],
                     "cls_threshold": t.get("cls_threshold", 0.5)}
    return out


def truncate_words(text, n=MAX_WORDS):
    parts = text.split()
    return " ".join(parts[:n])


# ---------------------------------------------------------------------------------------------
# General NER (WNUT17, BTC): types renamed to plain-English GLiNER-style labels.

NER_NAMES = {"person": "person", "PER": "person", "location": "location", "LOC": "location",
             "corporation": "organization", "ORG": "organization", "group": "group",
             "product": "product", "creative-work": "creative work"}
NER_TYPES = ["person", "location", "organization", "group", "product", "creative work"]


def _ner_records(rows, source):
    out = []
    for r in rows:
        text = r["text"]
        if len(text.split()) > MAX_WORDS:
            continue
        ents = [[s, e, NER_NAMES[l]] for s, e, l in r["char_spans"] if l in NER_NAMES]
        labels = NER_TYPES if source == "wnut17" else ["person", "location", "organization"]
        out.append({"kind": "ner", "text": text, "entities": ents, "labels": labels,
                    "source": source})
    return out


def load_ner(shared):
    d = os.path.join(shared, "datasets")
    train = _ner_records(read_jsonl(f"{d}/ner_wnut17/train.jsonl"), "wnut17")
    for part in "abefg":
        train += _ner_records(read_jsonl(f"{d}/ner_btc/{part}.jsonl"), "btc")
    # Held out: the WNUT17 dev split and BTC section h.
    test = _ner_records(read_jsonl(f"{d}/ner_wnut17/dev.jsonl"), "wnut17")
    test += _ner_records(read_jsonl(f"{d}/ner_btc/h.jsonl"), "btc")
    return train, test


# Zero-shot NER: GUM (Wikinews, WikiVoyage, wikiHow, ...), never trained on. Its types other
# than person and organization are labels the model never saw; "place" is asked for as is, not
# renamed to the trained "location", because asking with a corpus's own names is the test.
ZEROSHOT_SEEN = {"person", "organization"}


def load_zeroshot_ner(shared):
    rows = read_jsonl(os.path.join(shared, "datasets", "ner_gum", "train.jsonl"))
    labels = sorted({l for r in rows for _, _, l in r["char_spans"]})
    return [{"kind": "ner", "text": r["text"], "entities": [list(x) for x in r["char_spans"]],
             "labels": labels, "source": "gum"} for r in rows if len(r["text"].split()) <= 64]


# ---------------------------------------------------------------------------------------------
# Intents: banking77, CLINC150, SNIPS. Candidate lists: the gold label plus random others (the
# full 77/151-label prompts would be far longer than the texts).

def _label_text(label):
    return label.replace("_", " ").lower()


def _snips_label(intent):
    out = ""
    for i, c in enumerate(intent):
        out += (" " if i and c.isupper() else "") + c.lower()
    return out


def _cls_records(rows, task, all_labels, rng, n_candidates, source):
    out = []
    for text, gold in rows:
        if n_candidates >= len(all_labels):
            cands = list(all_labels)
        else:
            others = [l for l in all_labels if l != gold]
            cands = rng.sample(others, n_candidates - 1) + [gold]
        rng.shuffle(cands)
        out.append({"kind": "cls", "text": truncate_words(text), "task": task, "labels": cands,
                    "gold": gold, "source": source})
    return out


def load_intents(shared, seed):
    rng = random.Random(seed)
    d = os.path.join(shared, "datasets")
    b77 = [(r["text"], _label_text(r["label"]))
           for r in read_jsonl(f"{d}/banking77_nlupp_spans/banking77_train.jsonl")]
    clinc_tr = [(r["text"], _label_text(r["label"]))
                for r in read_jsonl(f"{d}/clinc150_oos/full_train.jsonl") if r["label"] != "oos"]
    clinc_te = [(r["text"], _label_text(r["label"]))
                for r in read_jsonl(f"{d}/clinc150_oos/full_val.jsonl") if r["label"] != "oos"]
    snips = [(r["text"], _snips_label(r["intent"]))
             for r in read_jsonl(f"{d}/snips_nlu_benchmark/train_full.jsonl")]
    rng.shuffle(b77)
    rng.shuffle(snips)
    b77_labels = sorted({l for _, l in b77})
    clinc_labels = sorted({l for _, l in clinc_tr})
    snips_labels = sorted({l for _, l in snips})
    n_b, n_s = len(b77) // 10, len(snips) // 10
    train = (_cls_records(b77[n_b:], "intent", b77_labels, rng, 10, "banking77")
             + _cls_records(clinc_tr, "intent", clinc_labels, rng, 10, "clinc150")
             + _cls_records(snips[n_s:], "intent", snips_labels, rng, 7, "snips"))
    # Held out: a random tenth of banking77 and SNIPS train, CLINC150's validation split.
    test = (_cls_records(b77[:n_b], "intent", b77_labels, rng, 10, "banking77")
            + _cls_records(clinc_te, "intent", clinc_labels, rng, 10, "clinc150")
            + _cls_records(snips[:n_s], "intent", snips_labels, rng, 7, "snips"))
    benign = [t for t, _ in b77[n_b:]] + [t for t, _ in clinc_tr] + [t for t, _ in snips[n_s:]]
    benign_test = [t for t, _ in b77[:n_b]] + [t for t, _ in clinc_te] + \
        [t for t, _ in snips[:n_s]]
    return train, test, benign, benign_test


# ---------------------------------------------------------------------------------------------
# Moderation (GLiGuard prompt-side tasks).

def _targets(tasks, safety, toxicity, jailbreak):
    """safety: 'safe'|'unsafe'; toxicity / jailbreak: a set of positive labels, 'benign' for
    all-benign, or None (no supervision apart from benign = 0)."""
    out = {"prompt_safety": {"safe": int(safety == "safe"), "unsafe": int(safety == "unsafe")}}
    for task, pos in (("prompt_toxicity", toxicity), ("jailbreak_detection", jailbreak)):
        labels = tasks[task]["labels"]
        if pos == "benign":
            out[task] = {l: int(l == "benign") for l in labels}
        elif pos is None:
            out[task] = {"benign": 0}
        else:
            out[task] = {l: int(l in pos) for l in labels}
    return out


def _mod(text, source, tasks, safety, toxicity, jailbreak):
    return {"kind": "mod", "text": truncate_words(text), "source": source,
            "targets": _targets(tasks, safety, toxicity, jailbreak)}


def load_moderation(shared, seed, benign, benign_test):
    """-> train, test. Sources and label mapping are listed in MODEL_CARD.md."""
    rng = random.Random(seed)
    tasks = guard_tasks(shared)
    d = os.path.join(shared, "datasets")
    train, test = [], []

    def split(rows, frac=0.15):
        rows = list(rows)
        rng.shuffle(rows)
        n = max(1, int(len(rows) * frac))
        return rows[n:], rows[:n]

    # AdvBench: harmful requests; the harm category is not annotated, so toxicity labels other
    # than benign stay unsupervised; a direct request is not a jailbreak strategy.
    adv = [r["text"] for r in read_jsonl(f"{d}/advbench/harmful_behaviors.jsonl")]
    tr, te = split(adv)
    train += [_mod(t, "advbench", tasks, "unsafe", None, "benign") for t in tr]
    test += [_mod(t, "advbench", tasks, "unsafe", None, "benign") for t in te]

    # Davidson: hate_speech -> hate_and_discrimination; neither -> benign; offensive_language
    # is left out (neither clearly safe nor one of the harm categories).
    dav = read_jsonl(f"{d}/davidson_hate_offensive/labeled_data.jsonl")
    hate = [r["text"] for r in dav if r["label"] == "hate_speech"]
    neither = [r["text"] for r in dav if r["label"] == "neither"]
    for rows, safety, tox in ((hate, "unsafe", {"hate_and_discrimination"}),
                              (neither, "safe", "benign")):
        tr, te = split(rows)
        jb = "benign"
        train += [_mod(t, "davidson", tasks, safety, tox, jb) for t in tr]
        test += [_mod(t, "davidson", tasks, safety, tox, jb) for t in te[:150]]

    # ToxiGen seed statements: held out by target group (two groups only in test).
    tox = read_jsonl(f"{d}/toxigen_seed_statements/statements.jsonl")
    groups = sorted({r["target_group"] for r in tox})
    held = set(random.Random(seed + 7).sample(groups, 2))
    for r in tox:
        if r["label"] == "hate":
            m = _mod(r["text"], "toxigen", tasks, "unsafe", {"hate_and_discrimination"}, "benign")
        else:
            m = _mod(r["text"], "toxigen", tasks, "safe", "benign", "benign")
        (test if r["target_group"] in held else train).append(m)

    # deepset prompt injections: injection -> prompt_injection + instruction_override (the
    # dataset's injections are "ignore the above and ..." overrides); toxicity unsupervised.
    dp = read_jsonl(f"{d}/prompt_injections_deepset/train.jsonl")
    tr, te = split(dp)
    for rows, out in ((tr, train), (te, test)):
        for r in rows:
            if r["label"] == "injection":
                out.append(_mod(r["text"], "deepset", tasks, "unsafe", None,
                                {"prompt_injection", "instruction_override"}))
            else:
                out.append(_mod(r["text"], "deepset", tasks, "safe", "benign", "benign"))

    # Jailbreak prompts: held out by file (the in-the-wild sample only in test).
    for name, out in (("jailbreak_prompts", train), ("jailbreak_prompts_train", train),
                      ("jailbreak_prompts_itw", test)):
        for r in read_jsonl(f"{d}/jailbreak_prompts_selfreminder/{name}.jsonl"):
            text = r.get("text") or r.get("prompt") or ""
            if text.strip():
                out.append(_mod(text, "jailbreak_prompts", tasks, "unsafe", None,
                                {"jailbreak_attempt"}))

    # Benign ordinary queries (the intent data sets).
    train += [_mod(t, "benign_queries", tasks, "safe", "benign", "benign")
              for t in rng.sample(benign, min(len(benign), 4000))]
    test += [_mod(t, "benign_queries", tasks, "safe", "benign", "benign")
             for t in rng.sample(benign_test, 150)]
    return train, test
