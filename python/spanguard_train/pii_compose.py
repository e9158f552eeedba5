"""Compositional PII training documents: many cue phrases x separators x orders x shapes.

Why: the first default model learned the ~8 sentences per value kind of pii_synth.FACTS by heart
(F1 0.98 on new values in those sentences, 0.56 on held-out phrasings). Here a document is
assembled from independent parts -- a cue for the value kind drawn from a large lexicon (CUES), a
way to attach it to the value (key/value separator, sentence frame, value-first, no cue at all), a
document shape (key/value block, prose between real filler sentences, JSON/YAML/query string,
table, chat turns) and unlabelled look-alikes introduced by cues of the same style (NEG_CUES) -- so
that no fixed sentence predicts the label and the model has to use the value's shape plus the
nearest cue word.

Held-out honesty: every cue string of the held-out template families of pii_synth (see
holdout.py) is kept out: filler sentences containing one are dropped, and a generated document
containing one is regenerated. holdout.check_texts() proves it on the written file.

Values and their labels come from pii_synth (same Faker value makers and annotation convention).
"""

import json
import lzma
import os
import random
import re

from . import holdout, pii_cues_intl, pii_synth
from .pii_synth import Doc, Piece, Values, _digits, _alnum, _value

# Cue lexicon per value kind (training only). Chosen to be many and varied in wording; none is a
# held-out cue (holdout.py checks the generated text, not this list, so a slip is caught).
CUES = {
    "full_name": ["name", "full name", "customer name", "customer", "client", "account holder",
                  "cardholder", "card holder", "patient", "contact", "contact name", "employee",
                  "tenant", "sender", "recipient", "guest", "driver", "policyholder",
                  "beneficiary", "insured person", "owner", "borrower", "passenger", "student",
                  "member", "user's name", "legal name", "requester", "assignee", "attendee"],
    "first_name": ["first name", "given name", "forename", "first", "fname", "first_name",
                   "name (first)", "christian name", "firstname"],
    "middle_name": ["middle name", "middle", "middle initial name", "mname", "second given name",
                    "middle_name", "other given name"],
    "last_name": ["last name", "surname", "lname", "last", "last_name", "name (last)",
                  "lastname", "maiden name"],
    "date_of_birth": ["date of birth", "dob", "birth date", "birthdate", "birthday", "d.o.b.",
                      "birth_date", "date_of_birth", "day of birth"],
    "email": ["email", "e-mail", "email address", "mail", "e-mail address", "contact email",
              "work email", "personal email", "email_address", "reply-to", "mailbox"],
    "phone_number": ["phone", "phone number", "mobile", "mobile number", "cell", "cell phone",
                     "telephone", "contact number", "home phone", "work phone", "phone_number",
                     "landline", "whatsapp", "fax", "callback number"],
    "address": ["address", "home address", "mailing address", "postal address",
                "shipping address", "delivery address", "residential address", "street address",
                "current address", "previous address", "ship to", "address on file"],
    "street_address": ["street", "address line 1", "street address", "address1", "line 1",
                       "house and street", "street_address", "road"],
    "city": ["city", "town", "locality", "city name", "municipality", "hometown", "city/town"],
    "state_or_region": ["state", "region", "county", "state/region", "territory",
                        "state_or_region", "federal state"],
    "postal_code": ["zip", "zip code", "postcode", "postal code", "post code", "zipcode",
                    "postal_code", "postleitzahl"],
    "country": ["country", "country name", "nationality country", "land", "country_of_origin",
                "home country", "destination country"],
    "national_id_number": ["ssn", "social security number", "national insurance number",
                           "ni number", "national id number", "identity number",
                           "id card number", "citizen id", "personal id", "nin",
                           "social insurance number", "national identifier"],
    "passport_number": ["passport", "passport number", "passport no", "passport #",
                        "passport id", "travel document number", "passport_number",
                        "passport num"],
    "drivers_license_number": ["driver's license", "drivers license", "driving licence",
                               "driver licence number", "dl", "dl number", "dl no",
                               "license to drive", "driver_license", "drivers licence no"],
    "license_number": ["license", "license number", "license no", "licence no",
                       "medical license", "nursing license", "board license",
                       "practitioner license", "registration number", "license_number"],
    "tax_id": ["tax id", "tin", "ein", "vat number", "vat id", "tax identification number",
               "taxpayer id", "tax reference", "tax_id", "employer id number", "vat no"],
    "bank_account": ["account number", "bank account", "bank account number", "acct",
                     "acct no", "account no", "checking account", "savings account",
                     "bank_account", "deposit account"],
    "routing_number": ["routing number", "routing", "aba", "aba number", "aba routing",
                       "routing no", "bank routing number", "routing_number", "transit number"],
    "iban": ["iban", "iban number", "international bank account number", "bank iban",
             "iban_code", "iban no"],
    "card_number": ["card number", "card", "credit card", "debit card", "visa", "mastercard",
                    "amex", "card #", "cc number", "credit card number", "card_number",
                    "payment card"],
    "card_expiry": ["exp", "expiry", "exp date", "card expiry", "valid through", "good thru",
                    "expiry date", "mm/yy", "exp.", "card_exp"],
    "card_cvv": ["cvv", "cvc", "security code", "card security code", "cvc code", "csc",
                 "cvv code", "card_cvv", "3-digit code"],
    "username": ["username", "user name", "login", "user", "user id", "screen name",
                 "login name", "username_", "nick", "account name", "signed in as", "alias"],
    "ip_address": ["ip", "ip address", "client ip", "ip addr", "source ip", "ip_address",
                   "from ip", "host ip", "origin ip", "ipv4", "src ip"],
    "account_id": ["customer id", "account id", "member id", "client id", "user id number",
                   "customer number", "account_id", "customer_id", "member number", "cust id"],
    "sensitive_account_id": ["mrn", "medical record number", "patient id", "insurance id",
                             "insurance member id", "health insurance number", "member id (health)",
                             "medicare number", "patient number", "chart number"],
    "password": ["password", "pwd", "passcode", "pass", "pw", "login password", "new password",
                 "temporary password", "password_", "passphrase"],
    "api_key": ["api key", "api_key", "apikey", "key", "api-key", "access key", "secret api key",
                "developer key", "stripe key", "aws key"],
    "access_token": ["token", "access token", "bearer token", "bearer", "session token",
                     "access_token", "jwt", "refresh token", "personal access token"],
    "recovery_code": ["recovery code", "backup code", "2fa backup code", "recovery key",
                      "backup codes", "2fa recovery", "account recovery code", "emergency code"],
    "secret": ["client secret", "webhook secret", "secret", "app secret", "client_secret",
               "consumer secret", "hmac secret", "private secret"],
    "sensitive_date": ["diagnosis date", "admission date", "surgery date", "date of admission",
                       "discharge date", "diagnosed on", "admitted on", "hospitalised on",
                       "procedure date", "date of surgery"],
    "document_date": ["date", "document date", "issue date", "issued on", "dated", "date issued",
                      "invoice date", "statement date", "report date", "created on"],
    "expiration_date": ["expires on", "expiry date", "valid until", "expiration date",
                        "valid till", "expires", "ends on", "good until", "renewal due"],
    "transaction_date": ["transaction date", "payment date", "charged on", "paid on",
                         "purchase date", "transfer date", "date of payment", "posted on",
                         "settlement date"],
}
KINDS = list(CUES)

# Value kinds that are recognisable by shape alone, so they also appear with no cue at all.
SHAPE_KINDS = ["email", "phone_number", "ip_address", "iban", "card_number", "api_key",
               "access_token", "full_name", "address"]

# Kinds whose value alone identifies them well enough that they are also shown behind a random,
# unrelated key word (as they appear in the wild behind field names nobody anticipated): the first
# model missed e-mail addresses behind unseen field names like "Courriel".
RANDOM_CUE_KINDS = ["email", "phone_number", "ip_address", "iban", "card_number", "api_key",
                    "access_token", "username"]
P_RANDOM_CUE = 0.25
P_NO_CUE = 0.25

# Every other kind, and look-alikes too, sometimes sit behind a key the model cannot know (a
# random word, or a made-up word standing for a field name in a language or jargon it has never
# seen), so that it learns to fall back on the value's shape and on the document's structure
# instead of requiring a familiar cue. Nearly all of the second model's held-out misses were
# values behind field names it had never seen ("Applicant", "RTN", German and French keys).
P_UNKNOWN_CUE = 0.35

# A cue from the lexicon is in German, French, Spanish, Italian or Dutch this often
# (pii_cues_intl), where that language has a wording for the kind.
P_INTL_CUE = 0.3
SYLLABLES = ["ka", "ver", "sto", "mil", "tro", "be", "nu", "gal", "ri", "zen", "qua", "lo",
             "dri", "fen", "ost", "ma", "ux", "pel", "chi", "wor", "ant", "sel", "du", "rim"]

# Look-alikes: cue + value, never labelled. Values come from _neg_value(kind).
NEG_CUES = {
    "order": ["order number", "order", "order id", "order no", "po number", "purchase order"],
    "invoice": ["invoice", "invoice number", "invoice no", "receipt number", "bill number"],
    "ticket": ["ticket", "ticket id", "case number", "case id", "incident", "issue"],
    "version": ["version", "app version", "build", "release", "firmware", "sdk version"],
    "hash": ["commit", "request id", "trace id", "checksum", "build hash", "correlation id"],
    "tracking": ["tracking number", "tracking", "shipment", "parcel id", "consignment"],
    "amount": ["amount", "total", "price", "balance due", "fee", "subtotal", "refund amount"],
    "port": ["port", "listen port", "timeout ms", "retries", "page", "quantity", "room"],
    "sku": ["sku", "product code", "item code", "part number", "model", "batch"],
    "flight": ["flight", "train", "gate", "seat", "bus line"],
    "time": ["at", "time", "starts at", "meeting at", "uptime"],
    "error": ["error", "error code", "status", "exit code", "http status"],
}

SEPS = [": ", ": ", ":", " : ", " = ", "=", " - ", " ", " is ", " -> ", ":  ", " # "]
OPENERS = ["my", "the", "our", "your", "his", "her", "their", "the customer's", "the new",
           "updated", "please note the", "for reference, the", "here is the", "confirming the",
           "we have the", "the old", "attached is the", "she gave the", "record the", "note:"]
LINKS = ["is", "was", ":", "=", "reads", "on file is", "changed to", "-", "should be", "shows",
         "is now", "will be", "listed as", "entered as"]
ENDS = ["", ".", ".", ",", "!", " thanks.", " - please check.", " (see above).", " ok?", ";",
        " as requested.", " if that helps."]
VALUE_FIRST = ["{v} ({c})", "{v} is my {c}", "{v} - {c}", "use {v} as the {c}", "{v} = {c}",
               "{v} was the {c}", "{v} [{c}]", "{v}, the {c}"]


def _name_frames():
    """Name-specific frames (a name has no shape of its own; verbs and roles carry it)."""
    return ["{v} called", "{v} wrote", "from {v}", "thanks, {v}", "regards, {v}",
            "this is {v}", "i am {v}", "i'm {v}", "ping {v}", "{v} approved it",
            "assigned to {v}", "best, {v}", "talked to {v}", "{v} will reply",
            "according to {v}", "sent by {v}", "meet {v}", "with {v}"]


def _style_key(rng, cue):
    """A cue as a machine key: snake, camel, kebab, upper, or as written."""
    words = re.findall(r"[^\W_]+", cue.lower()) or ["field"]
    style = rng.randrange(5)
    if style == 0:
        return "_".join(words)
    if style == 1:
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style == 2:
        return "-".join(words)
    if style == 3:
        return "_".join(words).upper()
    return cue


def _case(rng, s):
    r = rng.random()
    if r < 0.55:
        return s
    if r < 0.7:
        return s.capitalize()
    if r < 0.85:
        return s.title()
    return s.upper()


def _neg_value(rng, kind):
    hexd = "0123456789abcdef"
    if kind in ("order", "invoice"):
        return rng.choice(["", "ORD-", "A", "SO", "INV-", "#"]) + _digits(rng, rng.randint(4, 10))
    if kind == "ticket":
        return rng.choice(["TKT-", "INC", "#", "JIRA-", "CS-"]) + _digits(rng, rng.randint(3, 7))
    if kind == "version":
        return rng.choice(["", "v"]) + f"{rng.randint(0, 12)}.{rng.randint(0, 30)}." \
                                       f"{rng.randint(0, 99)}"
    if kind == "hash":
        return "".join(rng.choice(hexd) for _ in range(rng.choice([7, 8, 12, 16, 32])))
    if kind == "tracking":
        return rng.choice(["1Z" + _alnum(rng, 16), _digits(rng, 12), "JD" + _digits(rng, 18)])
    if kind == "amount":
        return rng.choice(["$", "€", "£", "EUR ", "USD "]) + \
            f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}"
    if kind == "port":
        return str(rng.randint(1, 65535))
    if kind == "sku":
        return _alnum(rng, rng.randint(6, 10))
    if kind == "flight":
        return rng.choice(["LH", "BA", "AF", "UA", "ICE ", "B"]) + str(rng.randint(1, 9999))
    if kind == "time":
        return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    return rng.choice(["E", "ERR-", ""]) + str(rng.randint(100, 999))


class Filler:
    """Real sentences to surround the values: CLINC150 train queries (CC-BY 3.0; the intent
    test uses CLINC's validation split) and public-domain book sentences (Project Gutenberg,
    pretrain_text/gut_part02). Sentences containing a held-out cue are dropped."""

    def __init__(self, shared, max_book_chars=4_000_000):
        bad = holdout.cue_regex()
        self.sentences = []
        with open(os.path.join(shared, "datasets", "clinc150_oos", "full_train.jsonl"),
                  encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)["text"].strip()
                if t and not bad.search(t):
                    self.sentences.append(t)
        book = os.path.join(shared, "datasets", "pretrain_text", "gut_part02.txt.xz")
        with lzma.open(book, "rt", encoding="utf-8", errors="replace") as b:
            text = b.read(max_book_chars)
        for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
            n = len(s.split())
            if 4 <= n <= 18 and s[0].isupper() and s.isascii() and "gutenberg" not in s.lower() \
                    and not bad.search(s):
                self.sentences.append(s)
        self.words = sorted({w.lower() for s in self.sentences for w in s.split()
                             if w.isalpha() and 3 <= len(w) <= 10})

    def pick(self, rng):
        return rng.choice(self.sentences)

    def word(self, rng):
        return rng.choice(self.words)


def _made_up_word(rng):
    """A pronounceable word of 2-4 syllables, sometimes a compound joined by '-' or '.'."""
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    if rng.random() < 0.3:
        word += rng.choice(["-", "."]) + "".join(rng.choice(SYLLABLES)
                                                for _ in range(rng.randint(1, 2)))
    return word


def _unknown_cue(rng, filler):
    """A key that says nothing about the value: random filler words or a made-up word."""
    if rng.random() < 0.5:
        return _case(rng, _made_up_word(rng))
    return _case(rng, " ".join(filler.word(rng) for _ in range(rng.choice([1, 1, 2]))))


_LANGUAGES = list(pii_cues_intl.LANGUAGE_WEIGHTS)
_LANGUAGE_WEIGHTS = list(pii_cues_intl.LANGUAGE_WEIGHTS.values())


def _lexicon_or_unknown(rng, lexicon, intl, kind, p_unknown, filler):
    """With probability p_unknown a key that says nothing, else a wording of `kind` from
    `lexicon`, or P_INTL_CUE of the time from the `intl` lexicon of a random language (the
    English one where that language has no wording for the kind)."""
    if rng.random() < p_unknown:
        return _unknown_cue(rng, filler)
    if P_INTL_CUE > 0 and rng.random() < P_INTL_CUE:
        lang = rng.choices(_LANGUAGES, weights=_LANGUAGE_WEIGHTS)[0]
        wordings = intl[lang].get(kind)
        if wordings:
            return _case(rng, rng.choice(wordings))
    return _case(rng, rng.choice(lexicon[kind]))


def _cue(rng, kind, filler):
    """A cue for `kind`: from the lexicon, or sometimes a key that says nothing about it
    (more often for RANDOM_CUE_KINDS, whose values identify themselves)."""
    p = P_RANDOM_CUE if kind in RANDOM_CUE_KINDS else P_UNKNOWN_CUE
    return _lexicon_or_unknown(rng, CUES, pii_cues_intl.CUES, kind, p, filler)


def _attach(rng, doc, v, kind, filler):
    """Adds one value of `kind` with a cue in a random arrangement."""
    piece = _value(v, kind)
    cue = _cue(rng, kind, filler)
    r = rng.random()
    if kind in SHAPE_KINDS and r > 1.0 - P_NO_CUE:
        doc.add(piece)
        return
    if kind in ("full_name", "first_name", "last_name") and r < 0.3:
        frame = rng.choice(_name_frames())
    elif r < 0.45:
        frame = cue + rng.choice(SEPS) + "{v}"
    elif r < 0.8:
        frame = " ".join(x for x in (rng.choice(OPENERS), cue, rng.choice(LINKS)) if x) + \
            " {v}" + rng.choice(ENDS)
    else:
        frame = rng.choice(VALUE_FIRST).replace("{c}", cue)
    before, after = frame.split("{v}", 1)
    doc.add(before)
    doc.add(piece)
    doc.add(after)


def _neg_cue(rng, kind, filler):
    """A cue for a look-alike of `kind`: its own lexicon, or sometimes a key that says nothing."""
    return _lexicon_or_unknown(rng, NEG_CUES, pii_cues_intl.NEG_CUES, kind, P_UNKNOWN_CUE,
                               filler)


def _attach_negative(rng, doc, filler):
    kind = rng.choice(list(NEG_CUES))
    cue = _neg_cue(rng, kind, filler)
    doc.add(cue + rng.choice(SEPS) + _neg_value(rng, kind))


def _kinds(rng, n):
    return [rng.choice(KINDS) for _ in range(n)]


def shape_kv(rng, v, filler, doc):
    sep = rng.choice(["\n", " | ", "; ", ", ", " / ", "\t", "\n", " "])
    items = [("v", k) for k in _kinds(rng, rng.randint(2, 6))]
    items += [("n", None)] * rng.choice([0, 0, 1, 2])
    rng.shuffle(items)
    if rng.random() < 0.3:
        doc.add(rng.choice(["Details", "Customer record", "Form", "Profile", "Update",
                            "Account", "KYC", "Booking"]) + rng.choice([":\n", " - ", ": "]))
    for i, (t, k) in enumerate(items):
        if i:
            doc.add(sep)
        if t == "n":
            _attach_negative(rng, doc, filler)
        else:
            piece = _value(v, k)
            doc.add(_cue(rng, k, filler) + rng.choice(SEPS[:8]))
            doc.add(piece)


def shape_prose(rng, v, filler, doc):
    parts = ["f"] * rng.randint(1, 3) + ["v"] * rng.randint(1, 4) + ["n"] * rng.choice([0, 1])
    rng.shuffle(parts)
    for i, p in enumerate(parts):
        if i:
            doc.add(rng.choice([" ", " ", ". ", ", and ", "\n", " - "]))
        if p == "f":
            doc.add(filler.pick(rng))
        elif p == "n":
            _attach_negative(rng, doc, filler)
        else:
            _attach(rng, doc, v, rng.choice(KINDS), filler)


def shape_struct(rng, v, filler, doc):
    """JSON, YAML-ish, query string or XML-ish record with machine-style keys."""
    kinds = _kinds(rng, rng.randint(2, 5))
    style = rng.choice(["json", "json", "yaml", "query", "xml"])
    negs = rng.random() < 0.4
    entries = [(k, _style_key(rng, _cue(rng, k, filler))) for k in kinds]
    if negs:
        nk = rng.choice(list(NEG_CUES))
        entries.insert(rng.randrange(len(entries) + 1),
                       (None, _style_key(rng, _neg_cue(rng, nk, filler)), nk))
    open_, close, join = {"json": ("{", "}", ", "), "yaml": ("", "", "\n"),
                          "query": ("", "", "&"), "xml": ("", "", " ")}[style]
    doc.add(open_)
    for i, e in enumerate(entries):
        if i:
            doc.add(join)
        key = e[1]
        value = Piece(_neg_value(rng, e[2])) if e[0] is None else _value(v, e[0])
        if style == "json":
            doc.add(f'"{key}": "')
            doc.add(value)
            doc.add('"')
        elif style == "yaml":
            doc.add(f"{key}: ")
            doc.add(value)
        elif style == "query":
            doc.add(f"{key}=")
            doc.add(value)
        else:
            tag = re.sub(r"\W", "_", key)
            doc.add(f"<{tag}>")
            doc.add(value)
            doc.add(f"</{tag}>")
    doc.add(close)


def shape_table(rng, v, filler, doc):
    kinds = _kinds(rng, rng.randint(2, 4))
    sep = rng.choice([" | ", ",", "\t", " ; "])
    doc.add(sep.join(_cue(rng, k, filler) for k in kinds) + "\n")
    for i, k in enumerate(kinds):
        if i:
            doc.add(sep)
        doc.add(_value(v, k))


def shape_chat(rng, v, filler, doc):
    who = rng.choice([("user", "agent"), ("customer", "support"), ("me", "bot"), ("Q", "A")])
    for t in range(rng.randint(2, 4)):
        if t:
            doc.add("\n")
        doc.add(who[t % 2] + ": ")
        r = rng.random()
        if r < 0.35:
            doc.add(filler.pick(rng))
        elif r < 0.45:
            _attach_negative(rng, doc, filler)
        else:
            _attach(rng, doc, v, rng.choice(KINDS), filler)
            if rng.random() < 0.3:
                doc.add(" " + filler.pick(rng))


def shape_bare(rng, v, filler, doc):
    """Shape-recognisable values with no cue inside real sentences."""
    s = filler.pick(rng).rstrip(".?!")
    doc.add(s + rng.choice([" ", ": ", " - ", ", "]))
    doc.add(_value(v, rng.choice(SHAPE_KINDS)))
    doc.add(rng.choice(["", ".", " " + filler.pick(rng)]))


SHAPES = {"kv": shape_kv, "prose": shape_prose, "struct": shape_struct, "table": shape_table,
          "chat": shape_chat, "bare": shape_bare}
SHAPE_WEIGHTS = {"kv": 4, "prose": 4, "struct": 3, "table": 1, "chat": 2, "bare": 1}
MAX_WORDS = 70


def _make(rng, filler):
    locale = rng.choice(pii_synth.LOCALES)
    v = Values(rng, locale)
    shape = rng.choices(list(SHAPE_WEIGHTS), weights=list(SHAPE_WEIGHTS.values()))[0]
    doc = Doc()
    SHAPES[shape](rng, v, filler, doc)
    spans = sorted({(s, e, l) for s, e, l in doc.spans})
    return {"text": doc.text, "entities": [list(x) for x in spans], "shape": "c_" + shape,
            "locale": locale}


def make_document(rng, filler, max_width=8):
    """One compositional training document whose spans fit the span grid, free of held-out
    cues and at most MAX_WORDS whitespace words."""
    bad = holdout.cue_regex()
    for _ in range(100):
        d = _make(rng, filler)
        if len(d["text"].split()) <= MAX_WORDS and not bad.search(d["text"]) and \
                pii_synth._fits(d, max_width):
            return d
    raise RuntimeError("could not generate a compositional document that fits")


def make_documents(n, seed, shared, p_compose=0.7):
    """n training documents: a fraction p_compose compositional, the rest from pii_synth's
    training template families (which are the test's shapes with other phrasings)."""
    rng = random.Random(seed)
    filler = Filler(shared)
    bad = holdout.cue_regex()
    out = []
    while len(out) < n:
        if rng.random() < p_compose:
            out.append(make_document(rng, filler))
        else:
            d = pii_synth.make_document(rng, "train")
            if not bad.search(d["text"]):
                out.append(d)
    return out
