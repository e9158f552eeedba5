"""Random requests for engine-vs-reference testing: (api, args, kwargs) triples covering every
API, request shape and output flag, with texts that exercise the word splitter (URLs, e-mails,
handles, hyphenated words, Unicode, emoji, odd whitespace), long texts (over 384 words, and over
512 sub-tokens), batches, descriptions, choices, few-shot examples, thresholds and max_len.

Schemas of `extract`, `batch_extract`, `extract_long` and `batch_extract_long` are written in
Schema.from_dict form. Long-document requests use entities and single-label classifications only:
those are the merge rules the upstream goldens (entities) and the spec's prose (classification:
the most confident window) pin down; the merge of relations, structures and multi-label results
across windows is not covered by any independent reference.
"""

import random

FIRST = ["Tim", "Maria", "Alice", "Jürgen", "Zoë", "Hank", "Priya", "Chen", "Olu", "Ana-Sofía"]
LAST = ["Cook", "García", "Brown", "Müller", "O'Neil", "Scorpio", "Patel", "Wei", "Adeyemi"]
ORGS = ["Apple", "Acme Corp", "Globex", "Lufthansa", "the United Nations", "Initech GmbH",
        "Stark Industries", "Banco do Brasil", "東京電力", "OpenStreetMap Foundation"]
PLACES = ["Cupertino", "Madrid", "Berlin", "Geneva", "São Paulo", "Zürich", "New York City",
          "İstanbul", "Kraków", "東京", "Reykjavík"]
DATES = ["3 March 2024", "2019", "Monday", "12/07/2021", "Q3 2023", "the 1990s", "yesterday"]
THINGS = ["the iPhone 15 Pro", "a state-of-the-art turbine", "$999", "€12.50", "3.5 kg",
          "order #A-1029", "version 2.0.1", "the U.S.A. contract", "３５ units", "café crème"]
EXTRAS = ["tim@apple.com", "https://shop.example.com/p?id=7", "www.example.org/path",
          "@fastship", "#hashtag", "😀", "naïve", "co-operate", "foo_bar", "e-mail", "—", "…",
          "(see below)", "[draft]", "x²", "Ⅻ", "हिन्दी", "cafe\u0301", "zero\u200bwidth"]
VERBS = ["works for", "flew to", "met with", "acquired", "visited", "sued", "joined",
         "praised", "reviewed", "shipped to", "was founded in", "complained about"]
ENDINGS = [".", ".", ".", "!", "?", "", " ", "...", ";"]

ENTITY_TYPES = ["person", "company", "organization", "location", "city", "date", "product",
                "price", "email", "url", "event", "programming language", "job title"]
RELATIONS = ["works_for", "located_in", "founded", "travels_to", "acquired", "ceo_of"]
TASKS = {
    "sentiment": ["positive", "negative", "neutral"],
    "topic": ["business", "sports", "science", "politics", "travel"],
    "intent": ["question", "complaint", "praise", "request"],
    "urgency": ["high", "low"],
    "language": ["english", "german", "spanish", "japanese"],
}
DESCRIPTIONS = ["a human being", "a company or institution", "a place on a map",
                "a calendar date", "an amount of money", "something people buy", "",
                "names only: no titles [like Dr.]", "e-mail address"]
# Patterns whose meaning does not depend on the regex dialect: no \d, \w, \b (Unicode-aware in
# Python, ASCII in ECMAScript), and case-insensitive only where a non-ASCII letter cannot decide
# the outcome (Python folds U+0130 to "i", ECMAScript does not).
VALIDATORS = [{"pattern": r"[A-Z]", "mode": "partial"},
              {"pattern": r"[0-9]+", "mode": "partial"},
              {"pattern": r"[a-z ]+", "mode": "full", "case_insensitive": False},
              {"pattern": r"^the ", "mode": "partial", "exclude": True},
              {"pattern": r"[A-Z][a-z]+", "mode": "full", "case_insensitive": False}]
STRUCTURES = {
    "profile": ["name", "role", "employer", "city", "email"],
    "order": ["id", "product", "price", "date", "links"],
    "trip": ["traveler", "origin", "destination", "date", "carrier"],
    "review": ["verdict", "issues", "channel", "product"],
}
CHOICES = [["good", "bad", "mixed"], ["email", "phone", "chat"], ["yes", "no"],
           ["low", "medium", "high"], ["Good", "excellent", "bad"]]


class CaseGenerator:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    # -- texts ---------------------------------------------------------------------------------

    def _name(self):
        r = self.rng
        return f"{r.choice(FIRST)} {r.choice(LAST)}"

    def sentence(self):
        r = self.rng
        parts = [r.choice([self._name(), r.choice(ORGS)]), r.choice(VERBS),
                 r.choice([r.choice(ORGS), r.choice(PLACES), self._name(), r.choice(THINGS)])]
        if r.random() < 0.5:
            parts += [r.choice(["in", "on", "for", "with", "via"]),
                      r.choice(PLACES + DATES + THINGS)]
        if r.random() < 0.35:
            parts.append(r.choice(EXTRAS))
        text = " ".join(parts)
        if r.random() < 0.1:
            text = text.upper()
        return text + r.choice(ENDINGS)

    def text(self, min_words=3, max_sentences=4):
        r = self.rng
        roll = r.random()
        if roll < 0.03:
            return r.choice(["", "ok", " ", "?", "Short one.", "😀"])
        sentences = [self.sentence() for _ in range(r.randint(1, max_sentences))]
        sep = r.choice([" ", " ", " ", "  ", "\n", "\t", " \u00a0"])
        text = sep.join(sentences)
        if r.random() < 0.1:
            text = "  " + text + "  "
        return text

    def long_text(self, min_words):
        sentences = []
        n = 0
        while n < min_words:
            s = self.sentence()
            sentences.append(s)
            n += len(s.split())
        return " ".join(sentences)

    # -- request pieces ------------------------------------------------------------------------

    def _sample(self, pool, lo, hi):
        return self.rng.sample(pool, self.rng.randint(lo, min(hi, len(pool))))

    def entity_types(self):
        r = self.rng
        names = self._sample(ENTITY_TYPES, 1, 5)
        shape = r.random()
        if shape < 0.5:
            return names
        if shape < 0.75:
            return {n: r.choice(DESCRIPTIONS) for n in names}
        out = {}
        for n in names:
            cfg = {}
            if r.random() < 0.5:
                cfg["description"] = r.choice(DESCRIPTIONS)
            if r.random() < 0.5:
                cfg["threshold"] = r.choice([0.3, 0.4, 0.6, 0.75, 0.9])
            if r.random() < 0.3:
                cfg["dtype"] = "str"
            out[n] = cfg or None
        return out

    def classification_tasks(self, single_label_only=False):
        r = self.rng
        out = {}
        for task in self._sample(sorted(TASKS), 1, 3):
            labels = list(TASKS[task])
            r.shuffle(labels)
            labels = labels[:r.randint(2, len(labels))]
            shape = r.random()
            if shape < 0.35:
                out[task] = labels
                continue
            if shape < 0.5:
                out[task] = {label: r.choice(DESCRIPTIONS) for label in labels}
                continue
            cfg = {"labels": labels}
            if r.random() < 0.3:
                cfg["labels"] = {label: r.choice(DESCRIPTIONS) for label in labels}
            if not single_label_only and r.random() < 0.5:
                cfg["multi_label"] = True
                if r.random() < 0.7:
                    cfg["cls_threshold"] = r.choice([0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.99])
            if r.random() < 0.25:
                cfg["examples"] = [[self.sentence(), r.choice(labels + ["not a label"])]
                                   for _ in range(r.randint(1, 2))]
            if r.random() < 0.2:
                cfg["prompt"] = r.choice(["what is this about", "pick one", "Tone of voice"])
            if r.random() < 0.1:
                cfg["class_act"] = r.choice(["sigmoid", "softmax"])
            out[task] = cfg
        return out

    def relation_types(self):
        r = self.rng
        names = self._sample(RELATIONS, 1, 3)
        if r.random() < 0.6:
            return names
        return {n: r.choice([None, "who works where", {"threshold": r.choice([0.3, 0.6])},
                             {"description": "x", "threshold": 0.45}]) for n in names}

    def _field(self, name, allow_choices=True):
        r = self.rng
        roll = r.random()
        if allow_choices and roll < 0.2:
            choices = "|".join(r.choice(CHOICES))
            return f"{name}::[{choices}]" + r.choice(["", "::list", "::str", "::pick one"])
        if roll < 0.6:
            spec = name + r.choice(["", "::str", "::list"])
            if r.random() < 0.3:
                spec += "::" + r.choice(["the main one", "as written", ""])
            return spec
        field = {"name": name}
        if r.random() < 0.6:
            field["dtype"] = r.choice(["str", "list"])
        if allow_choices and r.random() < 0.2:
            field["choices"] = r.choice(CHOICES)
        if r.random() < 0.4:
            field["description"] = r.choice(DESCRIPTIONS)
        if r.random() < 0.3:
            field["threshold"] = r.choice([0.3, 0.45, 0.6, 0.8])
        if r.random() < 0.2:
            field["validators"] = [r.choice(VALIDATORS)]
        return field

    def structures(self):
        out = {}
        for s in self._sample(sorted(STRUCTURES), 1, 2):
            out[s] = [self._field(f) for f in self._sample(STRUCTURES[s], 1, 4)]
        return out

    def schema_dict(self, long_document=False):
        r = self.rng
        schema = {}
        while not schema:
            if r.random() < 0.7:
                schema["entities"] = self.entity_types()
            if r.random() < 0.5:
                tasks = self.classification_tasks(single_label_only=long_document)
                schema["classifications"] = [dict({"task": t}, **(
                    c if isinstance(c, dict) and "labels" in c else {"labels": c}))
                    for t, c in tasks.items()]
            if long_document:
                continue
            if r.random() < 0.4:
                schema["relations"] = self.relation_types()
            if r.random() < 0.4:
                schema["structures"] = {k: {"fields": v} for k, v in self.structures().items()}
        return schema

    def flags(self):
        r = self.rng
        kw = {}
        if r.random() < 0.6:
            kw["include_confidence"] = True
        if r.random() < 0.5:
            kw["include_spans"] = True
        if r.random() < 0.3:
            kw["threshold"] = r.choice([0.3, 0.4, 0.6, 0.7, 0.85])
        return kw

    # -- cases ---------------------------------------------------------------------------------

    def case(self, kind):
        r = self.rng
        kw = self.flags()
        if kind in ("extract_entities", "classify_text", "extract_relations", "extract_json",
                    "extract"):
            text = self.text()
            if r.random() < 0.05:
                kw["max_len"] = r.randint(1, 6)
            return kind, [text, self._request(kind)], kw
        if kind.startswith("batch_") and not kind.endswith("_long"):
            texts = [self.text() for _ in range(r.randint(2, 6))]
            kw["batch_size"] = r.randint(1, 8)
            return kind, [texts, self._request(kind[len("batch_"):])], kw
        if kind == "long_single_pass":
            # One encoder call over more than 384 words (and usually over 512 sub-tokens).
            api = r.choice(["extract_entities", "extract"])
            return api, [self.long_text(r.randint(390, 700)), self._request(api)], kw
        if kind in ("extract_long", "batch_extract_long"):
            if r.random() < 0.5:
                kw["chunk_size"] = r.randint(20, 120)
                kw["chunk_overlap"] = r.randint(0, kw["chunk_size"] // 3)
                size = r.randint(30, 400)
            else:
                size = r.randint(300, 900)
            schema = self.schema_dict(long_document=True)
            if kind == "extract_long":
                return kind, [self.long_text(size), schema], kw
            kw["batch_size"] = r.randint(1, 8)
            texts = [self.long_text(r.randint(10, size)) for _ in range(r.randint(1, 3))]
            return kind, [texts, schema], kw
        raise ValueError(kind)

    def _request(self, api):
        if api == "extract_entities":
            return self.entity_types()
        if api == "classify_text":
            return self.classification_tasks()
        if api == "extract_relations":
            return self.relation_types()
        if api == "extract_json":
            return self.structures()
        if api == "extract":
            return self.schema_dict()
        raise ValueError(api)

    KINDS = [("extract_entities", 30), ("classify_text", 25), ("extract_relations", 20),
             ("extract_json", 30), ("extract", 35), ("batch_extract_entities", 10),
             ("batch_classify_text", 8), ("batch_extract_relations", 6),
             ("batch_extract_json", 8), ("batch_extract", 10), ("long_single_pass", 8),
             ("extract_long", 8), ("batch_extract_long", 8)]

    def cases(self, count):
        """`count` cases: every kind at least once, the rest drawn by weight."""
        kinds = [k for k, _ in self.KINDS]
        weights = [w for _, w in self.KINDS]
        plan = kinds + self.rng.choices(kinds, weights, k=max(0, count - len(kinds)))
        self.rng.shuffle(plan)
        return [self.case(k) for k in plan[:count]]
