"""The held-out cue strings of the PII test split, and the check that training text avoids them.

pii_synth holds out every HOLDOUT_EVERY-th phrasing family (FACTS) and form field name
(FIELD_NAMES) of each value kind for the test split (eval/pii_test.jsonl). A *held-out cue* is
the literal text on either side of the placeholder of such a phrasing ("Reisepass-Nr.", "letter
dated", "about it") and each held-out field name, as written and as the JSON key pii_synth makes
of it ("policy_holder_id"). Matching is case-insensitive and on word boundaries.

A few held-out cues are also words of *training* families of the original generator (e.g. the
held-out field name "Handle" vs the training phrasing "handle {}"); the test set cannot be
separated from those by text, so they are exempt (`ambiguous()`), and listed in the model card.
Every other held-out cue must never occur in training text: generators reject documents that
contain one, and check_texts() verifies a finished file.
"""

import functools
import re

from . import pii_synth


def _is_held_out(i):
    return i % pii_synth.HOLDOUT_EVERY == pii_synth.HOLDOUT_EVERY - 1


def _cue_parts(template):
    out = []
    for side in template.split("{}"):
        s = side.strip().strip(".,:;!?=").strip()
        if any(c.isalpha() for c in s):
            out.append(s)
    return out


def _families(held_out):
    """-> list of cue strings of the held-out (True) or training (False) families."""
    cues = []
    for templates in pii_synth.FACTS.values():
        for i, t in enumerate(templates):
            if _is_held_out(i) == held_out:
                cues += _cue_parts(t)
    for names in pii_synth.FIELD_NAMES.values():
        for i, n in enumerate(names):
            if _is_held_out(i) == held_out:
                cues.append(n)
                if held_out:
                    cues.append(n.lower().replace(" ", "_"))
    return sorted(set(cues), key=str.lower)


def _pattern(cue):
    return r"(?<!\w)" + re.escape(cue) + r"(?!\w)"


def _any_of(cues):
    """One case-insensitive regex matching any of `cues` as whole words (longest first)."""
    cues = sorted(cues, key=len, reverse=True)
    return re.compile("|".join(_pattern(c) for c in cues), re.IGNORECASE)


def held_out_cues():
    return _families(True)


@functools.lru_cache(maxsize=None)
def ambiguous():
    """Held-out cues that also occur in a training family's text (exempt, see above)."""
    train_text = "\n".join(_families(False))
    return tuple(c for c in held_out_cues()
                 if re.search(_pattern(c), train_text, re.IGNORECASE))


@functools.lru_cache(maxsize=None)
def cue_regex():
    """One compiled regex matching any non-exempt held-out cue."""
    return _any_of(c for c in held_out_cues() if c not in ambiguous())


def check_texts(texts):
    """-> [(index, matched cue text)] for every text containing a non-exempt held-out cue."""
    bad = cue_regex()
    out = []
    for i, t in enumerate(texts):
        m = bad.search(t)
        if m:
            out.append((i, m.group(0)))
    return out


# The held-out cues written in German or French (the others are English), so that results can be
# reported separately for documents whose held-out keys are in a language the training keys
# rarely use. Case-insensitive like every cue here.
GERMAN_OR_FRENCH = ("Adresse", "Anschrift", "Courriel", "Führerschein-Nr", "Geburtsdatum",
                    "identifiant", "Konto", "Kontonummer", "Kundennummer", "Nom de famille",
                    "nom_de_famille", "numéro de carte", "né le", "Passwort", "Pays", "Permis",
                    "PLZ", "Prénom", "Reisepass", "Reisepass-Nr", "Rue", "Steuer-ID",
                    "Steuernummer", "Telefon", "Ville", "Zweiter Vorname", "zweiter_vorname")


@functools.lru_cache(maxsize=None)
def german_or_french_regex():
    """Matches any held-out cue of GERMAN_OR_FRENCH (exempt ones included)."""
    return _any_of(GERMAN_OR_FRENCH)
