"""Synthetic PII documents for the 42-label GLiNER2-PII taxonomy, with character-exact spans.

A document is built from *facts* (one PII value in a phrasing) arranged in a *shape* (chat, e-mail,
form, log line, JSON-ish record, support ticket, prose). Every phrasing and every form-field name
belongs to a template family with an index; `split="test"` draws only from the held-out families
(every 4th one), `split="train"` from the others, so the test set measures transfer to unseen
templates rather than memorised ones.

Annotation convention (so that overlapping label names are learnable, documented in the card): one
value may carry several labels, e.g. a full name is {person, full_name}, a card number is
{payment_card, card_number}, a password is {password, secret}; the parts of a full address are also
labelled (street_address, city, postal_code, ...). Hard negatives (order numbers, versions, log
timestamps, commit ids, ticket ids, tracking numbers, amounts) are inserted unlabelled.
"""

import datetime
import random
import string

from faker import Faker

PII_LABELS = [
    "person", "full_name", "first_name", "middle_name", "last_name", "date_of_birth", "email",
    "phone_number", "address", "street_address", "city", "state_or_region", "postal_code",
    "country", "government_id", "national_id_number", "passport_number",
    "drivers_license_number", "license_number", "tax_id", "tax_number", "bank_account",
    "account_number", "routing_number", "iban", "payment_card", "card_number", "card_expiry",
    "card_cvv", "username", "ip_address", "account_id", "sensitive_account_id", "password",
    "secret", "api_key", "access_token", "recovery_code", "sensitive_date", "document_date",
    "expiration_date", "transaction_date",
]
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR"]
HOLDOUT_EVERY = 4  # template family i is held out for test iff i % 4 == 3


class Piece:
    """A run of text; `labels` for a value, `inner` for labelled parts inside it
    (offset in the piece, text, labels)."""

    def __init__(self, text, labels=(), inner=()):
        self.text, self.labels, self.inner = text, tuple(labels), list(inner)


def _pick(rng, items, split):
    """A template family of `items` allowed in `split`."""
    idx = [i for i in range(len(items))
           if (i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1) == (split == "test")]
    if not idx:
        idx = list(range(len(items)))
    return items[rng.choice(idx)]


def _digits(rng, n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def _alnum(rng, n, alphabet=string.ascii_uppercase + string.digits):
    return "".join(rng.choice(alphabet) for _ in range(n))


# Dates are drawn from 60 years before to 8 years after a fixed day, not today: Faker's relative
# bounds ("-60y") would make every document depend on the day it is generated. The day is the one
# on which the shipped evaluation sets were made, and the bounds are computed as Faker computes
# "-60y" / "+8y" (365.24-day years), so those sets regenerate byte for byte.
REFERENCE_DAY = datetime.date(2026, 11, 21)
DATE_FIRST = REFERENCE_DAY + datetime.timedelta(days=-60 * 365.24)
DATE_LAST = REFERENCE_DAY + datetime.timedelta(days=8 * 365.24)


class Values:
    """PII values of one locale."""

    _fakers = {}  # locale -> Faker; building one takes ~10 ms, reseeding is free

    def __init__(self, rng, locale):
        self.rng, self.locale = rng, locale
        if locale not in Values._fakers:
            Values._fakers[locale] = Faker(locale)
        self.f = Values._fakers[locale]
        self.f.seed_instance(rng.randrange(1 << 30))

    def date(self, style=None):
        d = self.f.date_between(start_date=DATE_FIRST, end_date=DATE_LAST)
        styles = ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%B %d, %Y", "%d %B %Y",
                  "%b %d %Y"]
        return d.strftime(style or self.rng.choice(styles))

    def name_parts(self):
        return self.f.first_name(), self.f.last_name()

    def phone(self):
        return self.f.phone_number()

    def email(self, first=None, last=None):
        if first and self.rng.random() < 0.5:
            local = f"{first}.{last}".lower()
            local = "".join(c for c in local if c.isascii() and (c.isalnum() or c in "._"))
            return f"{local or 'user'}@{self.f.free_email_domain()}"
        return self.f.email()

    def street(self):
        return self.f.street_address().replace("\n", " ")

    def city(self):
        return self.f.city()

    def state(self):
        try:
            return self.f.state()
        except AttributeError:
            return self.rng.choice(["Bavaria", "Normandy", "Yorkshire", "Ontario", "Texas",
                                    "Catalonia", "Hesse", "Brittany"])

    def postcode(self):
        return self.f.postcode()

    def country(self):
        return self.rng.choice(["United States", "United Kingdom", "Germany", "France", "USA",
                                "UK", "Deutschland", "Spain", "Canada", "Italy", "Belgium",
                                "Switzerland", "Austria", "Ireland", "Netherlands"])

    def ssn(self):
        r = self.rng
        if self.locale == "en_US":
            return self.f.ssn()
        if self.locale == "en_GB":
            return f"{_alnum(r, 2, string.ascii_uppercase)} {_digits(r, 2)} {_digits(r, 2)} " \
                   f"{_digits(r, 2)} {r.choice('ABCD')}"
        if self.locale == "fr_FR":
            return f"{r.choice('12')} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)} " \
                   f"{_digits(r, 3)} {_digits(r, 3)} {_digits(r, 2)}"
        return f"{_digits(r, 2)} {_digits(r, 6)} {_alnum(r, 1, string.ascii_uppercase)} " \
               f"{_digits(r, 3)}"

    def passport(self):
        r = self.rng
        return r.choice([_alnum(r, 2, string.ascii_uppercase) + _digits(r, 7), _digits(r, 9),
                         _alnum(r, 9, "CFGHJKLMNPRTVWXYZ0123456789")])

    def drivers_license(self):
        r = self.rng
        return r.choice([_alnum(r, 1, string.ascii_uppercase) + _digits(r, 7),
                         f"{_alnum(r, 5, string.ascii_uppercase)}{_digits(r, 6)}"
                         f"{_alnum(r, 2, string.ascii_uppercase)}{_digits(r, 2)}",
                         _digits(r, 3) + "-" + _digits(r, 3) + "-" + _digits(r, 3)])

    def license(self):
        r = self.rng
        return r.choice(["RN", "MD", "LIC", "PE", "CPA", "BAR"]) + r.choice(["-", "", " "]) + \
            _digits(r, r.randint(5, 8))

    def tax_id(self):
        r = self.rng
        return r.choice([f"{_digits(r, 2)}-{_digits(r, 7)}", _digits(r, 11),
                         f"{_digits(r, 2)}/{_digits(r, 3)}/{_digits(r, 5)}",
                         f"FR{_digits(r, 11)}", f"DE{_digits(r, 9)}", f"GB{_digits(r, 9)}"])

    def bank_account(self):
        r = self.rng
        return r.choice([_digits(r, r.randint(8, 12)), f"{_digits(r, 4)}-{_digits(r, 6)}",
                         f"{_digits(r, 2)}-{_digits(r, 2)}-{_digits(r, 2)} {_digits(r, 8)}"])

    def routing(self):
        return _digits(self.rng, 9)

    def iban(self):
        iban = self.f.iban()
        if self.rng.random() < 0.4:
            iban = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
        return iban

    def card(self):
        n = self.f.credit_card_number()
        if len(n) == 16 and self.rng.random() < 0.5:
            n = " ".join(n[i:i + 4] for i in range(0, 16, 4)) if self.rng.random() < 0.7 \
                else "-".join(n[i:i + 4] for i in range(0, 16, 4))
        return n

    def card_expiry(self):
        r = self.rng
        return f"{r.randint(1, 12):02d}/{r.choice(['', '20'])}{r.randint(25, 33)}"

    def cvv(self):
        return _digits(self.rng, self.rng.choice([3, 3, 4]))

    def username(self):
        u = self.f.user_name()
        return u + (str(self.rng.randint(1, 99)) if self.rng.random() < 0.3 else "")

    def ip(self):
        return self.f.ipv4() if self.rng.random() < 0.9 else self.f.ipv4_private()

    def account_id(self):
        r = self.rng
        return r.choice(["CUST-", "ACC-", "U", "ID-", "C", "acct_", "usr_"]) + \
            _alnum(r, r.randint(5, 9), string.digits + "ABCDEF")

    def sensitive_account_id(self):
        r = self.rng
        prefix = r.choice(["MRN-", "MRN ", "HIC", "MBR-", "PAT-", "INS-"])
        return prefix + _digits(r, r.randint(6, 9))

    def password(self):
        r = self.rng
        if r.random() < 0.5:
            return self.f.password(length=r.randint(8, 14))
        return r.choice(["Summer", "Winter", "Dragon", "Monkey", "Soleil", "Sonne", "Tiger"]) + \
            _digits(r, r.randint(2, 4)) + r.choice(["!", "#", "$", "", "?"])

    def api_key(self):
        r = self.rng
        alnum = string.ascii_letters + string.digits
        return r.choice(["sk_live_", "sk-", "AKIA", "pk_test_", "api_", "key-", "AIza"]) + \
            _alnum(r, r.randint(16, 32), alnum)

    def access_token(self):
        r = self.rng
        alnum = string.ascii_letters + string.digits
        return r.choice(["ghp_", "xoxb-", "ya29.", "eyJhbGciOiJIUzI1NiJ9.", "Bearer-", "at_"]) + \
            _alnum(r, r.randint(20, 36), alnum)

    def recovery_code(self):
        r = self.rng
        a = string.ascii_lowercase + string.digits
        return r.choice([f"{_alnum(r, 4, a)}-{_alnum(r, 4, a)}",
                         f"{_alnum(r, 5, a)}-{_alnum(r, 5, a)}", _digits(r, 8)])

    def secret(self):
        r = self.rng
        return r.choice(["whsec_", "cs_", "", "shh-"]) + \
            _alnum(r, r.randint(12, 24), string.ascii_letters + string.digits)


# ---------------------------------------------------------------------------------------------
# Facts: phrasings with one placeholder "{}" for the value. Indexed families; every 4th held out.

FACTS = {
    "full_name": ["My name is {}.", "This is {} writing.", "{} called this morning.",
                  "Please forward it to {}.", "The account holder is {}.",
                  "I spoke with {} yesterday.", "Patient: {}.", "Signed, {}",
                  "Contact person is {}.", "{} will handle the refund.",
                  "Thanks to {} for the help.", "Report filed by {}."],
    "first_name": ["Hi {},", "Thanks {}!", "Dear {},", "Hey {}, quick question.",
                   "{} said it was fine.", "Cheers, {}", "Hello {}, thanks for waiting.",
                   "Ask {} about it."],
    "last_name": ["Mr. {} will call back.", "Ms. {} approved it.", "Dr. {} is on leave.",
                  "Family name: {}", "The {} family moved.", "Mrs. {} sent the form."],
    "date_of_birth": ["I was born on {}.", "Date of birth: {}", "DOB {}",
                      "born {}", "My birthday is {}.", "birth date {}",
                      "Geburtsdatum {}", "né le {}"],
    "email": ["You can reach me at {}.", "Email: {}", "send it to {} please",
              "my email is {}", "Reply to {}.", "contact {} for details",
              "E-Mail {}", "cc {}"],
    "phone_number": ["Call me on {}.", "Phone: {}", "my number is {}", "Tel. {}",
                     "You can text {} anytime.", "mobile {}", "reach us at {}",
                     "Telefon {}"],
    "address": ["I live at {}.", "Ship it to {}.", "Address: {}", "billing address {}",
                "Our office is at {}.", "deliver to {}", "moved to {} last month",
                "Adresse: {}"],
    "street_address": ["Street: {}", "the house at {}", "Street address {}",
                       "It's on {}.", "Line 1: {}", "Strasse {}"],
    "city": ["I'm based in {}.", "City: {}", "flying out of {} tomorrow", "Town/City {}",
             "the branch in {}", "Ort: {}", "we met in {}", "Ville {}"],
    "state_or_region": ["State: {}", "in the region of {}", "County/Region {}",
                        "we moved to {} last year", "Bundesland {}", "region {}"],
    "postal_code": ["Postcode: {}", "ZIP {}", "postal code {}", "PLZ {}", "Code postal {}",
                    "zip code is {}"],
    "country": ["Country: {}", "I am a citizen of {}.", "shipping to {}",
                "Country of residence {}", "Land: {}", "Pays {}"],
    "national_id_number": ["SSN: {}", "my social security number is {}",
                           "National Insurance number {}", "national ID {}",
                           "Sozialversicherungsnummer {}", "numéro de sécurité sociale {}",
                           "ID number: {}", "social security no. {}"],
    "passport_number": ["Passport No. {}", "my passport number is {}", "passport {}",
                        "Reisepass-Nr. {}", "Passport number: {}", "passeport {}"],
    "drivers_license_number": ["Driver's license: {}", "driving licence number {}",
                               "DL# {}", "Führerschein-Nr. {}",
                               "my driver license number is {}", "permis de conduire {}"],
    "license_number": ["License no. {}", "nursing license {}", "Licence number: {}",
                       "professional licence {}", "registered under license {}",
                       "board license {}"],
    "tax_id": ["Tax ID: {}", "EIN {}", "our TIN is {}", "Steuer-ID {}",
               "tax identification number {}", "VAT number {}", "numéro fiscal {}",
               "tax number: {}"],
    "bank_account": ["Account number: {}", "my bank account is {}", "acct no. {}",
                     "Kontonummer {}", "pay into account {}", "numéro de compte {}"],
    "routing_number": ["Routing number: {}", "ABA {}", "routing no. {}",
                       "RTN {}", "bank routing {}"],
    "iban": ["IBAN: {}", "transfer to {}", "my IBAN is {}", "IBAN {}",
             "please wire to {}", "Bankverbindung {}"],
    "card_number": ["Card number: {}", "charge my card {}", "Visa {}", "card no {}",
                    "credit card {}", "Kartennummer {}", "Mastercard ending in {}",
                    "numéro de carte {}"],
    "card_expiry": ["exp {}", "Expiry: {}", "valid thru {}", "expires {}", "Ablauf {}",
                    "expiration {}"],
    "card_cvv": ["CVV {}", "security code {}", "CVC: {}", "cvv2 {}", "Prüfnummer {}"],
    "username": ["username: {}", "my login is {}", "user {}", "logged in as {}",
                 "handle {}", "Benutzername {}", "login {}", "identifiant {}"],
    "ip_address": ["from IP {}", "client_ip={}", "IP address: {}", "remote addr {}",
                   "connected from {}", "src={}"],
    "account_id": ["Customer ID: {}", "account id {}", "user_id={}", "Kundennummer {}",
                   "member ID {}", "customer number {}"],
    "sensitive_account_id": ["medical record number {}", "MRN: {}", "insurance member ID {}",
                             "health plan ID {}", "patient ID {}", "policy holder ID {}"],
    "password": ["password: {}", "my password is {}", "pwd={}", "Passwort {}",
                 "pass {}", "mot de passe {}", "the new password is {}"],
    "api_key": ["API key: {}", "api_key={}", "use key {}", "X-Api-Key: {}",
                "OPENAI_API_KEY={}", "token key {}"],
    "access_token": ["access token {}", "Authorization: Bearer {}", "access_token={}",
                     "OAuth token {}", "session token: {}", "auth token {}"],
    "recovery_code": ["recovery code {}", "backup code: {}", "2FA recovery code {}",
                      "one of my recovery codes is {}", "Wiederherstellungscode {}"],
    "secret": ["client secret {}", "webhook secret: {}", "SECRET={}", "shared secret {}",
               "signing secret {}"],
    "sensitive_date": ["diagnosed on {}", "admitted on {}", "surgery scheduled {}",
                       "date of diagnosis {}", "last treatment {}", "therapy started {}"],
    "document_date": ["Dated {}", "Issued on {}", "Date of issue: {}", "letter dated {}",
                      "Invoice date {}", "signed on {}"],
    "expiration_date": ["Expires on {}", "expiry date {}", "valid until {}",
                        "Date of expiry: {}", "contract ends {}", "gültig bis {}"],
    "transaction_date": ["payment made on {}", "transaction date {}", "charged on {}",
                         "the transfer on {}", "purchased on {}", "Buchungsdatum {}"],
}

# Value kind -> labels the value carries.
LABELS_OF = {
    "full_name": ["person", "full_name"], "first_name": ["person", "first_name"],
    "last_name": ["person", "last_name"], "middle_name": ["middle_name"],
    "date_of_birth": ["date_of_birth", "sensitive_date"], "email": ["email"],
    "phone_number": ["phone_number"], "address": ["address"],
    "street_address": ["street_address"], "city": ["city"],
    "state_or_region": ["state_or_region"], "postal_code": ["postal_code"],
    "country": ["country"],
    "national_id_number": ["national_id_number", "government_id"],
    "passport_number": ["passport_number", "government_id"],
    "drivers_license_number": ["drivers_license_number", "license_number", "government_id"],
    "license_number": ["license_number"], "tax_id": ["tax_id", "tax_number"],
    "bank_account": ["bank_account", "account_number"], "routing_number": ["routing_number"],
    "iban": ["iban", "bank_account"], "card_number": ["payment_card", "card_number"],
    "card_expiry": ["card_expiry"], "card_cvv": ["card_cvv"], "username": ["username"],
    "ip_address": ["ip_address"], "account_id": ["account_id"],
    "sensitive_account_id": ["sensitive_account_id"], "password": ["password", "secret"],
    "api_key": ["api_key", "secret"], "access_token": ["access_token", "secret"],
    "recovery_code": ["recovery_code", "secret"], "secret": ["secret"],
    "sensitive_date": ["sensitive_date"], "document_date": ["document_date"],
    "expiration_date": ["expiration_date"], "transaction_date": ["transaction_date"],
}

# Hard negatives: look like PII, are not.
NEGATIVES = ["Order #{o} has shipped.", "running version {v}", "fixed in commit {h}",
             "ticket {t} was closed", "tracking number {k}", "total was {m}",
             "build {v} passed", "see PR #{n}", "error code {e}", "room {n}",
             "invoice {o} attached", "on port {p}", "at {tm} UTC", "release {v} notes",
             "SKU {s}", "request id {h}", "{n} items in the cart", "flight {f}"]


def _negative_fill(rng, tmpl):
    hexd = "0123456789abcdef"
    return tmpl.format(
        o=rng.choice(["", "ORD-", "A", "SO"]) + _digits(rng, rng.randint(5, 9)),
        v=f"{rng.randint(0, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}",
        h="".join(rng.choice(hexd) for _ in range(rng.choice([7, 8, 12, 40]))),
        t=rng.choice(["TKT-", "INC", "#", "JIRA-"]) + _digits(rng, rng.randint(3, 6)),
        k="1Z" + _alnum(rng, 16), m=rng.choice(["$", "€", "£"]) +
        f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}",
        n=rng.randint(2, 9999), e=f"E{rng.randint(100, 999)}", p=rng.randint(1024, 65535),
        tm=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}", s=_alnum(rng, 8),
        f=rng.choice(["LH", "BA", "AF", "UA"]) + str(rng.randint(100, 9999)))


class Doc:
    def __init__(self):
        self.text = ""
        self.spans = []  # [start, end, label]

    def add(self, piece):
        if isinstance(piece, str):
            self.text += piece
            return
        start = len(self.text)
        self.text += piece.text
        for label in piece.labels:
            self.spans.append([start, start + len(piece.text), label])
        for off, sub, labels in piece.inner:
            for label in labels:
                self.spans.append([start + off, start + off + len(sub), label])

    def add_fact(self, phrase, piece):
        before, after = phrase.split("{}", 1)
        self.add(before)
        self.add(piece)
        self.add(after)


def _value(v, kind):
    """kind -> Piece with its labels (addresses carry their labelled parts)."""
    labels = LABELS_OF[kind]
    if kind == "full_name":
        first, last = v.name_parts()
        if v.rng.random() < 0.15:
            middle = v.f.first_name()
            return Piece(f"{first} {middle} {last}", labels)
        return Piece(f"{first} {last}", labels)
    if kind == "first_name":
        return Piece(v.f.first_name(), labels)
    if kind == "last_name":
        return Piece(v.f.last_name(), labels)
    if kind == "address":
        street, city, post = v.street(), v.city(), v.postcode()
        parts = [(street, ["street_address"]), (city, ["city"]), (post, ["postal_code"])]
        seps = [", ", " "]
        if v.locale in ("de_DE", "fr_FR"):  # "Hauptstr. 5, 10115 Berlin"
            parts = [(street, ["street_address"]), (post, ["postal_code"]), (city, ["city"])]
        if v.locale == "en_US" and v.rng.random() < 0.5:
            parts = [(street, ["street_address"]), (city, ["city"]),
                     (v.state(), ["state_or_region"]), (post, ["postal_code"])]
            seps = [", ", ", ", " "]
        text, inner = "", []
        for i, (t, ls) in enumerate(parts):
            if i:
                text += seps[min(i - 1, len(seps) - 1)]
            inner.append((len(text), t, ls))
            text += t
        return Piece(text, labels, inner)
    makers = {
        "date_of_birth": v.date, "email": v.email, "phone_number": v.phone,
        "middle_name": v.f.first_name,
        "street_address": v.street, "city": v.city, "state_or_region": v.state,
        "postal_code": v.postcode, "country": v.country, "national_id_number": v.ssn,
        "passport_number": v.passport, "drivers_license_number": v.drivers_license,
        "license_number": v.license, "tax_id": v.tax_id, "bank_account": v.bank_account,
        "routing_number": v.routing, "iban": v.iban, "card_number": v.card,
        "card_expiry": v.card_expiry, "card_cvv": v.cvv, "username": v.username,
        "ip_address": v.ip, "account_id": v.account_id,
        "sensitive_account_id": v.sensitive_account_id, "password": v.password,
        "api_key": v.api_key, "access_token": v.access_token,
        "recovery_code": v.recovery_code, "secret": v.secret, "sensitive_date": v.date,
        "document_date": v.date, "expiration_date": v.date, "transaction_date": v.date,
    }
    return Piece(makers[kind](), labels)


KINDS = list(FACTS)

# Form field names per kind (families, every 4th held out).
FIELD_NAMES = {
    "full_name": ["Name", "Full name", "Customer", "Applicant", "Nom complet", "Name des Kunden"],
    "first_name": ["First name", "Given name", "Vorname", "Prénom"],
    "middle_name": ["Middle name", "Middle", "Second name", "Zweiter Vorname"],
    "last_name": ["Last name", "Surname", "Nachname", "Nom de famille"],
    "date_of_birth": ["DOB", "Date of birth", "Birth date", "Geburtsdatum"],
    "email": ["Email", "E-mail address", "Mail", "Courriel"],
    "phone_number": ["Phone", "Mobile", "Telephone", "Tel"],
    "address": ["Address", "Home address", "Mailing address", "Anschrift"],
    "street_address": ["Street", "Address line 1", "Street address", "Rue"],
    "city": ["City", "Town", "Ort", "Ville"],
    "state_or_region": ["State", "Region", "County", "Province"],
    "postal_code": ["ZIP", "Postcode", "Postal code", "PLZ"],
    "country": ["Country", "Nationality country", "Land", "Pays"],
    "national_id_number": ["SSN", "National ID", "NI number", "Social security no"],
    "passport_number": ["Passport", "Passport no", "Passport number", "Reisepass"],
    "drivers_license_number": ["Driver license", "DL number", "Driving licence", "Permis"],
    "license_number": ["License", "License no", "Professional license", "Licence"],
    "tax_id": ["Tax ID", "TIN", "EIN", "Steuernummer"],
    "bank_account": ["Account no", "Bank account", "Account number", "Konto"],
    "routing_number": ["Routing", "ABA routing", "Routing number", "RTN"],
    "iban": ["IBAN", "Bank IBAN", "IBAN number", "IBAN (EUR)"],
    "card_number": ["Card", "Card number", "Credit card", "PAN"],
    "card_expiry": ["Exp", "Expiry", "Card expiry", "Valid thru"],
    "card_cvv": ["CVV", "CVC", "Security code", "CVV2"],
    "username": ["Username", "Login", "User", "Handle"],
    "ip_address": ["IP", "IP address", "Client IP", "Remote IP"],
    "account_id": ["Customer ID", "Account ID", "Member ID", "Client no"],
    "sensitive_account_id": ["MRN", "Patient ID", "Insurance ID", "Policy holder ID"],
    "password": ["Password", "Pwd", "Passcode", "Passwort"],
    "api_key": ["API key", "Key", "Api-Key", "Secret key"],
    "access_token": ["Token", "Access token", "Bearer token", "Auth token"],
    "recovery_code": ["Recovery code", "Backup code", "2FA backup", "Reset code"],
    "secret": ["Client secret", "Webhook secret", "Shared secret", "Signing secret"],
    "sensitive_date": ["Diagnosis date", "Admission date", "Surgery date", "Treatment start"],
    "document_date": ["Date", "Issue date", "Document date", "Date of issue"],
    "expiration_date": ["Expires", "Expiry date", "Valid until", "Expiration"],
    "transaction_date": ["Transaction date", "Payment date", "Charged on", "Booking date"],
}


def _form_kinds(rng, n):
    kinds = list(FIELD_NAMES)
    # Coherent groups make forms look real; random extras keep every kind frequent.
    groups = [["first_name", "middle_name", "last_name", "date_of_birth"],
              ["full_name", "email", "phone_number"],
              ["street_address", "city", "state_or_region", "postal_code", "country"],
              ["card_number", "card_expiry", "card_cvv"],
              ["bank_account", "routing_number"], ["username", "password", "recovery_code"],
              ["passport_number", "expiration_date", "document_date"]]
    out = list(rng.choice(groups))
    while len(out) < n:
        k = rng.choice(kinds)
        if k not in out:
            out.append(k)
    return out[:max(n, 2)]


def _fact_kinds(rng, n):
    return [rng.choice(KINDS) for _ in range(n)]


def _maybe_negative(rng, doc, sep, p=0.35):
    if rng.random() < p:
        doc.add(sep)
        doc.add(_negative_fill(rng, rng.choice(NEGATIVES)))


def shape_prose(rng, v, split, doc):
    for i, kind in enumerate(_fact_kinds(rng, rng.randint(1, 4))):
        if i:
            doc.add(" ")
        doc.add_fact(_pick(rng, FACTS[kind], split), _value(v, kind))
        _maybe_negative(rng, doc, " ", 0.25)


def shape_chat(rng, v, split, doc):
    doc.add(rng.choice(["hey ", "hi, ", "", "hello! ", "ok so ", "yo ", "Bonjour, ",
                        "Hallo, "]))
    for i, kind in enumerate(_fact_kinds(rng, rng.randint(1, 3))):
        if i:
            doc.add(rng.choice([" and ", ". ", " - ", ", also "]))
        phrase = _pick(rng, FACTS[kind], split)
        if rng.random() < 0.5:
            phrase = phrase[0].lower() + phrase[1:]
        doc.add_fact(phrase, _value(v, kind))
    _maybe_negative(rng, doc, " btw ", 0.3)
    doc.add(rng.choice(["", " thx", " :)", " pls help", "?"]))


def shape_email(rng, v, split, doc):
    first, last = v.name_parts()
    doc.add(rng.choice(["Subject: ", "Re: ", "Fwd: "]))
    doc.add(rng.choice(["account update", "your request", "refund", "new details",
                        "documents", "Anfrage", "mise à jour"]))
    doc.add("\n")
    doc.add(rng.choice(["Hi ", "Dear ", "Hello ", "Bonjour ", "Hallo "]))
    doc.add(Piece(first, LABELS_OF["first_name"]))
    doc.add(",\n")
    for i, kind in enumerate(_fact_kinds(rng, rng.randint(1, 3))):
        if i:
            doc.add(" ")
        doc.add_fact(_pick(rng, FACTS[kind], split), _value(v, kind))
    _maybe_negative(rng, doc, " Ref: ", 0.4)
    doc.add(rng.choice(["\nBest regards,\n", "\nThanks,\n", "\nCheers,\n", "\nCordialement,\n"]))
    doc.add(_value(v, "full_name"))


def shape_form(rng, v, split, doc):
    sep = rng.choice(["\n", " | ", "; ", "\n"])
    colon = rng.choice([": ", ": ", " = ", " - "])
    for i, kind in enumerate(_form_kinds(rng, rng.randint(2, 5))):
        if i:
            doc.add(sep)
        doc.add(_pick(rng, FIELD_NAMES[kind], split))
        doc.add(colon)
        doc.add(_value(v, kind))
    _maybe_negative(rng, doc, sep, 0.3)


def shape_log(rng, v, split, doc):
    ts = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:" \
         f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
    doc.add(ts + " " + rng.choice(["INFO", "WARN", "ERROR", "DEBUG"]) + " ")
    doc.add(rng.choice(["auth", "api", "billing", "login", "gateway"]) + ": ")
    doc.add(rng.choice(["login failed", "request ok", "token refreshed", "payment declined",
                        "user created"]))
    keys = {"username": "user", "ip_address": "ip", "email": "email", "account_id": "uid",
            "api_key": "key", "access_token": "token", "password": "password",
            "card_number": "card", "phone_number": "phone", "secret": "secret"}
    kinds = rng.sample(list(keys), rng.randint(1, 3))
    for kind in kinds:
        doc.add(" " + keys[kind] + "=")
        doc.add(_value(v, kind))
    _maybe_negative(rng, doc, " ", 0.6)


def shape_json(rng, v, split, doc):
    kinds = _form_kinds(rng, rng.randint(2, 4))
    doc.add("{")
    for i, kind in enumerate(kinds):
        if i:
            doc.add(", ")
        key = _pick(rng, FIELD_NAMES[kind], split).lower().replace(" ", "_")
        doc.add(f'"{key}": "')
        doc.add(_value(v, kind))
        doc.add('"')
    if rng.random() < 0.5:
        doc.add(f', "version": "{rng.randint(0, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"')
    doc.add("}")


def shape_ticket(rng, v, split, doc):
    doc.add(f"Ticket #{_digits(rng, rng.randint(4, 6))} - ")
    doc.add(rng.choice(["Priority: high. ", "Status: open. ", "", "Category: billing. "]))
    doc.add(rng.choice(["Customer: ", "Reporter: ", "From: "]))
    doc.add(_value(v, "full_name"))
    doc.add(". ")
    for i, kind in enumerate(_fact_kinds(rng, rng.randint(1, 3))):
        if i:
            doc.add(" ")
        doc.add_fact(_pick(rng, FACTS[kind], split), _value(v, kind))
    _maybe_negative(rng, doc, " ", 0.5)


def shape_negative_only(rng, v, split, doc):
    """No PII at all: only look-alikes, so the model learns to stay silent."""
    for i in range(rng.randint(1, 3)):
        if i:
            doc.add(rng.choice([" ", ". ", "; "]))
        doc.add(_negative_fill(rng, rng.choice(NEGATIVES)))


SHAPES = {"prose": shape_prose, "chat": shape_chat, "email": shape_email, "form": shape_form,
          "log": shape_log, "json": shape_json, "ticket": shape_ticket,
          "negative": shape_negative_only}
SHAPE_WEIGHTS = {"prose": 3, "chat": 3, "email": 2, "form": 3, "log": 2, "json": 2, "ticket": 2,
                 "negative": 1}


def _fits(doc, max_width):
    """Every labelled span starts and ends on word boundaries and is at most max_width words."""
    from spanguard_reference.words import apply_end_of_text_rule, split_words
    words = split_words(apply_end_of_text_rule(doc["text"]))
    starts = {w.start: i for i, w in enumerate(words)}
    ends = {w.end: i for i, w in enumerate(words)}
    for s, e, _ in doc["entities"]:
        if s not in starts or e not in ends or ends[e] - starts[s] + 1 > max_width:
            return False
    return True


def make_document(rng, split, max_width=8):
    for _ in range(50):
        doc = _make_document(rng, split)
        if _fits(doc, max_width):
            return doc
    raise RuntimeError("could not generate a document whose spans fit the span grid")


def _make_document(rng, split):
    locale = rng.choice(LOCALES)
    v = Values(rng, locale)
    shape = rng.choices(list(SHAPE_WEIGHTS), weights=list(SHAPE_WEIGHTS.values()))[0]
    doc = Doc()
    SHAPES[shape](rng, v, split, doc)
    spans = sorted({(s, e, l) for s, e, l in doc.spans})
    return {"text": doc.text, "entities": [list(x) for x in spans], "shape": shape,
            "locale": locale}


def make_documents(n, seed, split):
    rng = random.Random(seed)
    return [make_document(rng, split) for _ in range(n)]
