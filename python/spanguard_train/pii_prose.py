"""Synthetic free prose with people's names, addresses and phone numbers, with character-exact
spans.

Why: template, form and key/value documents (pii_synth, pii_compose) teach a model to find a value
behind a cue word ("Name:", "phone"). In running prose there is no cue word: a name is found by
its role in a sentence ("My name is Rubija", "Mayor Jane Doe said", "call me Kofi"), an address
is written over several lines or inside a sentence, and a phone number has whatever national
format its owner uses. This module writes such prose in many styles -- dialogues and transcripts,
personal and formal letters, news paragraphs, reviews, chat messages, social posts, meeting
notes, diary entries, short stories, customer-support transcripts, self-introductions,
obituaries and bios, e-mails with signatures -- with names from many cultures, addresses in ten
national conventions and phone numbers in about sixty national formats.

Annotation convention (that of pii_synth.LABELS_OF):

* a full name is {person, full_name}, a given name alone {person, first_name}, a family name
  alone {person, last_name}; a title ("Mr.", "Dr.", "Mayor", "Frau") and a possessive "'s" are
  never inside a name span ("Mrs. Okafor's" -> "Okafor");
* a phone number is phone_number (whoever owns it: a person, a shop, a bank), an e-mail address
  email, a date of birth {date_of_birth, sensitive_date};
* an address is labelled with its parts: street_address, city, state_or_region, postal_code and,
  where written, country. The whole address also carries `address`, but only when it is written
  on one line and is at most 8 words long (words as the model splits them, punctuation
  included), because 8 words is the widest span the model scores. A multi-line address block
  therefore carries only its parts; no span ever crosses a line break. An Indian or British
  block may have two street lines, each its own street_address span;
* a place is labelled (city, state_or_region, country) only as part of an address or as where a
  person lives or comes from ("I'm Ana from Porto", "Keith Brown, 52, of Leeds", "she grew up in
  Ghana"). Every other mention of a place -- a trip, an event, an office, the weather, a match --
  is unlabelled, and the prose mentions such places often so that the difference is learnable.
  (pii_synth labels any value in its city phrasings, e.g. "we met in {}"; this module's rule is
  the narrower one.)
* unlabelled look-alikes are frequent: prices, years, ages, quantities, room, order and flight
  numbers, scores, times; brands, organisations, venues, book titles and pets' names; about 15 %
  of the documents contain no PII at all.

Spans are [start, end, label] in Python str indices (code points), end exclusive, start and end
on word boundaries, with no leading or trailing punctuation ("Paris," -> "Paris"; a phone number
may start with "+" or "(").

Held out: every style has indexed template families (`FAMILIES`, and `PLAIN` for the documents
without PII); family i serves split="test" iff i % 4 == 3 (pii_synth.HOLDOUT_EVERY), else
split="train". Name strings are sliced as well: a name token belongs to the test slice iff its
CRC-32 is 7 mod 8, so test documents use names that no training document contains, and name
strings taken from the shared NER sets (WNUT-17 train, Broad Twitter Corpus a/b/e/f/g; never
their held-out dev / h parts) are used for training only. Training documents never contain a
held-out cue of pii_synth's test split (holdout.check_texts).

Record: {"text", "entities", "shape": "prose:<style>", "family": "<style>/<index>" (plain
families "<style>/n<index>"), "locale"} where locale is the name source of the first person of
the document (a Faker locale, "x_<group>" for the romanised name lists here, "ner" for names from
the NER sets, "none" for documents without people).
"""

import json
import os
import random
import re
import unicodedata
import zlib

from faker import Faker

from . import holdout, pii_synth
from .pii_synth import LABELS_OF, Doc, Piece

MAX_WIDTH = 8  # the widest span, in words, the model scores
MIN_WORDS, MAX_WORDS = 8, 120  # whitespace words per document
P_PLAIN = 0.15  # documents without PII
REFERENCE_YEAR = pii_synth.REFERENCE_DAY.year  # ages are computed against this year

# ---------------------------------------------------------------------------------------------
# Names.

# Faker locales whose names are in Latin script, with weights. GENDERED: locales whose male and
# female name lists in this Faker are reliable enough for gendered titles and pronouns (others
# get "Dr."-style titles and "they").
NAME_LOCALES = {
    "en_US": 8, "en_GB": 5, "en_AU": 1, "en_CA": 1, "en_NZ": 1, "de_DE": 4, "de_AT": 1,
    "de_CH": 1, "fr_FR": 4, "fr_CH": 1, "es_ES": 3, "es_MX": 2, "it_IT": 3, "nl_NL": 2,
    "pl_PL": 2, "pt_BR": 2, "pt_PT": 1, "sv_SE": 1, "no_NO": 1, "fi_FI": 1, "dk_DK": 1,
    "cs_CZ": 1, "hr_HR": 1, "sl_SI": 1, "hu_HU": 1, "tr_TR": 2, "id_ID": 1, "lt_LT": 1,
    "lv_LV": 1, "et_EE": 1, "ro_RO": 1, "tw_GH": 1, "en_TH": 1, "ja_JP": 2,
}
GENDERED = {"en_US", "en_GB", "en_AU", "en_CA", "en_NZ", "de_DE", "de_CH", "fr_FR", "fr_CH",
            "es_ES", "nl_NL", "pl_PL", "pt_BR", "sv_SE", "no_NO", "fi_FI", "dk_DK", "cs_CZ",
            "hr_HR", "sl_SI", "hu_HU", "tr_TR", "id_ID", "ro_RO", "ja_JP"}

# Romanised names of groups that Faker here has only in other scripts, or not at all:
# (male given names, female given names, family names; "_" joins a two-word name). Common names,
# one of many spellings.
ROMANISED = {
    "indian": (
        "Aarav Rohan Vikram Arjun Sanjay Rahul Amit Karthik Suresh Rajesh Anil Deepak Nikhil "
        "Pranav Siddharth Harish Manoj Varun Aditya Ravi Imran Gurpreet Venkat Abhishek",
        "Priya Ananya Kavya Deepika Sneha Pooja Lakshmi Meera Divya Aishwarya Shreya Nandini "
        "Anjali Sunita Radhika Isha Harpreet Swati Padma Revathi",
        "Sharma Patel Iyer Reddy Nair Gupta Singh Kumar Menon Rao Joshi Chatterjee Banerjee "
        "Desai Mehta Kapoor Pillai Verma Agarwal Mukherjee Krishnan Bhat Das Naidu Kulkarni "
        "Subramanian Chaudhary Malhotra"),
    "chinese": (
        "Wei Jun Hao Lei Ming Jian Tao Yong Bo Zhiwei Haoran Yifan Zihan Jiahao",
        "Mei Xiu Yan Jing Xinyi Yuting Fang Lan Hui Qing Ying Xiaoling Shu",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo "
        "Zheng Tang"),
    "korean": (
        "Minjun Seojun Jihoon Hyunwoo Dongha Sungmin Jaehyun Taeyang Woojin",
        "Seoyeon Jiwoo Minji Soyeon Hyejin Eunji Yuna Haeun Dahye",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin Seo Kwon"),
    "vietnamese": (
        "Minh Huy Duc Tuan Quang Long Khanh Bao Thanh",
        "Linh Thao Huong Ngoc Trang Mai Phuong Lan Hanh",
        "Nguyen Tran Le Pham Hoang Vu Dang Bui Do Ngo Duong Ly"),
    "arabic": (
        "Omar Ahmed Youssef Khalid Karim Tariq Hassan Bilal Samir Nabil Rami Faisal Hamza "
        "Mahmoud Ziad",
        "Layla Amira Fatima Noor Salma Yasmin Rania Hana Mariam Dalia Zainab Aya Huda",
        "Haddad Mansour Khalil Nasser Saleh Aziz Rahman Hamdan Farouk Qureshi Abdullah "
        "Al-Sayed El-Amin Bakr Darwish Shaheen"),
    "persian": (
        "Reza Dariush Kian Arash Babak Farhad Omid Kaveh",
        "Shirin Leila Parisa Nasrin Roya Sara Mahsa Golnar",
        "Hosseini Tehrani Karimi Rahimi Moradi Jafari Ahmadi Sadeghi Rostami Kazemi"),
    "west_african": (
        "Chinedu Emeka Oluwaseun Tunde Ifeanyi Kelechi Babatunde Obinna Kwame Kofi Musa "
        "Abdullahi Yaw Segun",
        "Ngozi Adaeze Funmilayo Chiamaka Yetunde Amaka Folake Nneka Aisha Ama Efua Bisi",
        "Okafor Adeyemi Okonkwo Balogun Eze Nwosu Obi Adebayo Olawale Chukwu Mensah Boateng "
        "Danjuma Ibrahim Owusu Asante"),
    "east_african": (
        "Juma Baraka Otieno Kamau Mwangi Tendai Tafadzwa Kipchoge Jabari",
        "Wanjiru Achieng Nyambura Amani Zawadi Rudo Nyasha Akinyi",
        "Odhiambo Njoroge Wanjala Mutua Kiprono Moyo Banda Phiri Chanda Kariuki"),
    "east_slavic": (
        "Dmitri Sergei Alexei Ivan Mikhail Oleksandr Andriy Yuri Nikolai Pavel Bohdan",
        "Olga Natalia Tatiana Svetlana Yulia Irina Oksana Anastasia Ekaterina Daria",
        "Ivanov Petrenko Smirnov Kuznetsov Popov Sokolov Kovalenko Shevchenko Volkov Morozov "
        "Bondarenko Melnyk"),
    "bosnian": (
        "Emir Adnan Haris Mirza Nikola Dragan Stefan Jasmin Senad Edin",
        "Rubija Amra Lejla Selma Jelena Milica Ajla Azra Mersiha Vesna Emina",
        "Hodžić Kovačević Begić Delić Hadžić Jovanović Petrović Mehmedović Salihović Nikolić "
        "Softić"),
    "greek": (
        "Giorgos Nikos Dimitris Kostas Yannis Christos Stavros",
        "Eleni Katerina Sofia Despina Vasiliki Ioanna",
        "Papadopoulos Georgiou Konstantinou Nikolaidis Alexiou Papadakis Oikonomou"),
    "hebrew": (
        "Noam Eitan Yosef Ariel Ido Amit Yonatan",
        "Noa Tamar Shira Yael Maya Michal Hila",
        "Cohen Levi Mizrahi Peretz Friedman Katz Biton Azoulay"),
    "filipino": (
        "Jose Jericho Paolo Rodel Jomar Carlo Rommel",
        "Maricel Kristine Rowena Angelica Lovely Jocelyn Mylene",
        "Santos Reyes Cruz Bautista Mendoza Villanueva Aquino Ramos Dela_Cruz"),
}
ROMANISED_WEIGHTS = {"indian": 4, "chinese": 3, "korean": 1, "vietnamese": 1, "arabic": 3,
                     "persian": 1, "west_african": 3, "east_african": 1, "east_slavic": 2,
                     "bosnian": 2, "greek": 1, "hebrew": 1, "filipino": 1}

# Where a name group comes from ("the|X": write "the X", label "X") and where its people mostly
# live (an address convention of ADDRESS_CONVENTIONS, or None for anywhere).
ORIGINS = {
    "en_US": (["the|United States", "the|US", "America"], "US"),
    "en_GB": (["the|UK", "England", "Scotland", "Wales", "Britain"], "UK"),
    "en_AU": (["Australia"], "AU"), "en_NZ": (["New Zealand"], "AU"),
    "en_CA": (["Canada"], "CA"), "de_DE": (["Germany"], "DE"), "de_AT": (["Austria"], "DE"),
    "de_CH": (["Switzerland"], "DE"), "fr_FR": (["France"], "FR"),
    "fr_CH": (["Switzerland"], "FR"), "es_ES": (["Spain"], "ES"), "es_MX": (["Mexico"], "US"),
    "it_IT": (["Italy"], "IT"), "nl_NL": (["the|Netherlands", "Holland"], "NL"),
    "pl_PL": (["Poland"], None), "pt_BR": (["Brazil"], None), "pt_PT": (["Portugal"], None),
    "sv_SE": (["Sweden"], None), "no_NO": (["Norway"], None), "fi_FI": (["Finland"], None),
    "dk_DK": (["Denmark"], None), "cs_CZ": (["the|Czech Republic", "Czechia"], None),
    "hr_HR": (["Croatia"], None), "sl_SI": (["Slovenia"], None), "hu_HU": (["Hungary"], None),
    "tr_TR": (["Turkey", "Türkiye"], "DE"), "id_ID": (["Indonesia"], "AU"),
    "lt_LT": (["Lithuania"], "UK"), "lv_LV": (["Latvia"], None), "et_EE": (["Estonia"], None),
    "ro_RO": (["Romania"], "IT"), "tw_GH": (["Ghana"], "UK"), "en_TH": (["Thailand"], None),
    "ja_JP": (["Japan"], None), "x_indian": (["India"], "IN"),
    "x_chinese": (["China", "Taiwan", "Singapore", "Hong Kong"], None),
    "x_korean": (["South Korea", "Korea"], None), "x_vietnamese": (["Vietnam"], None),
    "x_arabic": (["Egypt", "Jordan", "Lebanon", "Morocco", "Syria", "Iraq", "Tunisia"], None),
    "x_persian": (["Iran"], None), "x_west_african": (["Nigeria", "Ghana", "Senegal"], "UK"),
    "x_east_african": (["Kenya", "Tanzania", "Zimbabwe", "Uganda"], None),
    "x_east_slavic": (["Ukraine", "Russia", "Belarus"], "DE"),
    "x_bosnian": (["Bosnia", "Serbia", "Bosnia and Herzegovina", "Montenegro"], "DE"),
    "x_greek": (["Greece", "Cyprus"], None), "x_hebrew": (["Israel"], None),
    "x_filipino": (["the|Philippines"], "CA"),
}
NER_ORIGINS = ["the|United States", "the|UK", "Ireland", "Australia", "Canada", "South Africa"]

TITLES = {"m": ["Mr.", "Mr.", "Mr", "Dr.", "Prof."],
          "f": ["Ms.", "Mrs.", "Ms", "Mrs", "Miss", "Dr.", "Prof."],
          None: ["Dr.", "Dr.", "Prof.", "Mx."]}
# Titles in the language of a name's locale, used now and then. (Not Polish "Pan": it is the
# held-out cue "PAN" of the PII test split.)
NATIVE_TITLES = {"de": {"m": ["Herr"], "f": ["Frau"]}, "fr": {"m": ["M."], "f": ["Mme"]},
                 "es": {"m": ["Sr."], "f": ["Sra."]}, "it": {"m": ["Sig."], "f": ["Sig.ra"]},
                 "nl": {"m": ["dhr."], "f": ["mevr."]}, "pt": {"m": ["Sr."], "f": ["Sra."]}}
PRONOUNS = {"m": ("he", "him", "his"), "f": ("she", "her", "her"),
            None: ("they", "them", "their")}

# NER "person" strings that are not people's names, or that only work with a title.
NER_STOP = {
    "god", "allah", "jesus", "lord", "christ", "president", "senior", "liberal", "prince",
    "king", "queen", "mr", "mrs", "ms", "dr", "sir", "lady", "saint", "st", "the", "and", "of",
    "santa", "pope", "mom", "mum", "dad", "baby", "mama", "papa", "uncle", "aunt", "coach",
    "captain", "chief", "minister", "rt", "via", "lol", "omg", "bro", "guys", "man", "girl",
    "boy", "darling", "honey", "pm", "mp", "rip", "prof", "professor", "doctor", "miss",
    "dame", "rev", "reverend", "father", "sister", "brother", "general", "sgt", "sergeant",
    "officer", "detective", "judge", "mayor", "senator", "governor", "cllr", "councillor",
    "madam", "mister", "auntie", "granny", "grandma", "grandpa", "nan", "bishop", "emperor",
}


def _test_only(token):
    """Whether a name string belongs to the test slice (stable across runs and machines)."""
    return zlib.crc32(token.lower().encode("utf-8")) % 8 == 7


def _recase(token):
    """An NER name token as a name is usually written: 'saffron' / 'SAFFRON' -> 'Saffron',
    "o'neill" -> "O'Neill"; mixed case ('McKenzie') is kept."""
    if token.islower() or token.isupper():
        return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), token.lower())
    return token


_NER_CACHE = {}


def _ner_names(shared):
    """(full names as (first, last), first names, last names) from the person spans of the
    shared NER training sets; empty when the sets are not there."""
    if shared in _NER_CACHE:
        return _NER_CACHE[shared]
    files = [("ner_wnut17", "train.jsonl")] + [("ner_btc", f"{s}.jsonl") for s in "abefg"]
    token_ok = re.compile(r"^[^\W\d_][^\W\d_'\-]*(?:['\-][^\W\d_]+)*$")
    fulls, singles = set(), set()
    for folder, name in files:
        path = os.path.join(shared, "datasets", folder, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                for s, e, label in r["char_spans"]:
                    if label not in ("person", "PER"):
                        continue
                    toks = r["text"][s:e].split()
                    if not 1 <= len(toks) <= 3:
                        continue
                    if not all(token_ok.match(t) and len(t) >= 2 and t.lower() not in NER_STOP
                               and not (t.isupper() and len(t) <= 3) for t in toks):
                        continue
                    toks = [_recase(t) for t in toks]
                    if len(toks) == 1:
                        singles.add(toks[0])
                    else:
                        fulls.add((toks[0], toks[-1]))
    firsts = {f for f, _ in fulls}
    lasts = {l for _, l in fulls}
    # A lone token is a given name if it is one in a full name, a family name if it is one.
    first_pool = sorted(firsts | {t for t in singles if t in firsts and t not in lasts})
    last_pool = sorted(lasts | {t for t in singles if t in lasts and t not in firsts})
    out = (sorted(fulls), first_pool, last_pool)
    _NER_CACHE[shared] = out
    return out


_FAKERS = {}


def _faker(rng, locale):
    """The Faker of `locale`, reseeded from rng (Faker instances are built once: ~10 ms each)."""
    if locale not in _FAKERS:
        f = Faker(locale)
        # Some locales keep their name lists in sets, whose order (and so which name a seed
        # picks) changes with Python's per-process hash seed: sorted tuples make the documents
        # the same in every process.
        for provider in f.providers:
            for name in dir(provider):
                if name.startswith("__"):
                    continue
                value = getattr(provider, name, None)
                if isinstance(value, (set, frozenset)):
                    setattr(provider, name, tuple(sorted(value)))
        _FAKERS[locale] = f
    f = _FAKERS[locale]
    f.seed_instance(rng.randrange(1 << 30))
    return f


def _ascii(s):
    """A name folded to ASCII letters for an e-mail local part."""
    s = s.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l") \
        .replace("Ł", "L").replace("ı", "i").replace("đ", "d").replace("æ", "ae")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if c.isascii() and c.isalpha())


# ---------------------------------------------------------------------------------------------
# Addresses: ten national conventions. Cities are real ones (with their region and the range of
# their postal codes) or, for a quarter of the US, UK and German addresses, Faker's towns.

def _rng_digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


US_CITIES = [  # city, state abbreviation, state, first three ZIP digits
    ("Springfield", "IL", "Illinois", "627"), ("Austin", "TX", "Texas", "787"),
    ("Portland", "OR", "Oregon", "972"), ("Columbus", "OH", "Ohio", "432"),
    ("Denver", "CO", "Colorado", "802"), ("Boise", "ID", "Idaho", "837"),
    ("Madison", "WI", "Wisconsin", "537"), ("Raleigh", "NC", "North Carolina", "276"),
    ("Tucson", "AZ", "Arizona", "857"), ("Sacramento", "CA", "California", "958"),
    ("Oakland", "CA", "California", "946"), ("San Diego", "CA", "California", "921"),
    ("Seattle", "WA", "Washington", "981"), ("Spokane", "WA", "Washington", "992"),
    ("Albany", "NY", "New York", "122"), ("Brooklyn", "NY", "New York", "112"),
    ("Buffalo", "NY", "New York", "142"), ("Pittsburgh", "PA", "Pennsylvania", "152"),
    ("Philadelphia", "PA", "Pennsylvania", "191"), ("Atlanta", "GA", "Georgia", "303"),
    ("Savannah", "GA", "Georgia", "314"), ("Nashville", "TN", "Tennessee", "372"),
    ("Omaha", "NE", "Nebraska", "681"), ("Tulsa", "OK", "Oklahoma", "741"),
    ("Burlington", "VT", "Vermont", "054"), ("Portland", "ME", "Maine", "041"),
    ("Ann Arbor", "MI", "Michigan", "481"), ("Minneapolis", "MN", "Minnesota", "554"),
    ("Charleston", "SC", "South Carolina", "294"), ("Baltimore", "MD", "Maryland", "212"),
    ("Richmond", "VA", "Virginia", "232"), ("Salt Lake City", "UT", "Utah", "841"),
    ("Albuquerque", "NM", "New Mexico", "871"), ("Honolulu", "HI", "Hawaii", "968"),
    ("Anchorage", "AK", "Alaska", "995"), ("Miami", "FL", "Florida", "331"),
    ("Orlando", "FL", "Florida", "328"), ("Chicago", "IL", "Illinois", "606"),
    ("Houston", "TX", "Texas", "770"), ("Boston", "MA", "Massachusetts", "021"),
    ("Cambridge", "MA", "Massachusetts", "021"), ("Louisville", "KY", "Kentucky", "402"),
]
UK_CITIES = [  # post town, county (or None), postcode areas
    ("London", "Greater London", ["SW", "SE", "N", "NW", "E", "W", "EC", "WC"]),
    ("Manchester", "Greater Manchester", ["M"]), ("Leeds", "West Yorkshire", ["LS"]),
    ("Bristol", None, ["BS"]), ("Birmingham", "West Midlands", ["B"]),
    ("Glasgow", None, ["G"]), ("Edinburgh", "Midlothian", ["EH"]), ("Cardiff", None, ["CF"]),
    ("Sheffield", "South Yorkshire", ["S"]), ("Liverpool", "Merseyside", ["L"]),
    ("Nottingham", "Nottinghamshire", ["NG"]), ("Leicester", "Leicestershire", ["LE"]),
    ("Norwich", "Norfolk", ["NR"]), ("York", "North Yorkshire", ["YO"]),
    ("Oxford", "Oxfordshire", ["OX"]), ("Cambridge", "Cambridgeshire", ["CB"]),
    ("Brighton", "East Sussex", ["BN"]), ("Bath", "Somerset", ["BA"]),
    ("Exeter", "Devon", ["EX"]), ("Belfast", "County Antrim", ["BT"]),
    ("Aberdeen", "Aberdeenshire", ["AB"]), ("Swansea", None, ["SA"]),
    ("Reading", "Berkshire", ["RG"]), ("Canterbury", "Kent", ["CT"]),
    ("Durham", "County Durham", ["DH"]), ("Chester", "Cheshire", ["CH"]),
    ("Harrogate", "North Yorkshire", ["HG"]), ("Newcastle upon Tyne", "Tyne and Wear", ["NE"]),
]
DE_CITIES = [  # city, Land (German, English), postcode range
    ("Berlin", "Berlin", "Berlin", 10115, 14199), ("Hamburg", "Hamburg", "Hamburg", 20095, 22769),
    ("München", "Bayern", "Bavaria", 80331, 81929), ("Köln", "Nordrhein-Westfalen",
                                                      "North Rhine-Westphalia", 50667, 51149),
    ("Frankfurt am Main", "Hessen", "Hesse", 60306, 60599),
    ("Stuttgart", "Baden-Württemberg", "Baden-Württemberg", 70173, 70629),
    ("Düsseldorf", "Nordrhein-Westfalen", "North Rhine-Westphalia", 40210, 40629),
    ("Leipzig", "Sachsen", "Saxony", 4103, 4357), ("Dresden", "Sachsen", "Saxony", 1067, 1328),
    ("Hannover", "Niedersachsen", "Lower Saxony", 30159, 30669),
    ("Nürnberg", "Bayern", "Bavaria", 90402, 90491), ("Bremen", "Bremen", "Bremen", 28195, 28779),
    ("Freiburg im Breisgau", "Baden-Württemberg", "Baden-Württemberg", 79098, 79117),
    ("Heidelberg", "Baden-Württemberg", "Baden-Württemberg", 69115, 69126),
    ("Münster", "Nordrhein-Westfalen", "North Rhine-Westphalia", 48143, 48167),
    ("Bonn", "Nordrhein-Westfalen", "North Rhine-Westphalia", 53111, 53229),
    ("Mainz", "Rheinland-Pfalz", "Rhineland-Palatinate", 55116, 55131),
    ("Kiel", "Schleswig-Holstein", "Schleswig-Holstein", 24103, 24159),
    ("Rostock", "Mecklenburg-Vorpommern", "Mecklenburg-Vorpommern", 18055, 18147),
    ("Augsburg", "Bayern", "Bavaria", 86150, 86199),
    ("Regensburg", "Bayern", "Bavaria", 93047, 93059),
    ("Göttingen", "Niedersachsen", "Lower Saxony", 37073, 37085),
]
FR_CITIES = [  # city, region, postcodes
    ("Paris", "Île-de-France", [f"750{i:02d}" for i in range(1, 21)]),
    ("Lyon", "Auvergne-Rhône-Alpes", [f"6900{i}" for i in range(1, 10)]),
    ("Marseille", "Provence-Alpes-Côte d'Azur", [f"130{i:02d}" for i in range(1, 17)]),
    ("Toulouse", "Occitanie", ["31000", "31100", "31200", "31300", "31400", "31500"]),
    ("Nice", "Provence-Alpes-Côte d'Azur", ["06000", "06100", "06200", "06300"]),
    ("Nantes", "Pays de la Loire", ["44000", "44100", "44200", "44300"]),
    ("Strasbourg", "Grand Est", ["67000", "67100", "67200"]),
    ("Montpellier", "Occitanie", ["34000", "34070", "34080", "34090"]),
    ("Bordeaux", "Nouvelle-Aquitaine", ["33000", "33100", "33200", "33300", "33800"]),
    ("Lille", "Hauts-de-France", ["59000", "59160", "59260", "59800"]),
    ("Rennes", "Bretagne", ["35000", "35200", "35700"]), ("Reims", "Grand Est", ["51100"]),
    ("Grenoble", "Auvergne-Rhône-Alpes", ["38000", "38100"]),
    ("Dijon", "Bourgogne-Franche-Comté", ["21000"]),
    ("Angers", "Pays de la Loire", ["49000", "49100"]),
    ("Tours", "Centre-Val de Loire", ["37000", "37100", "37200"]),
    ("Aix-en-Provence", "Provence-Alpes-Côte d'Azur", ["13090", "13100"]),
    ("Brest", "Bretagne", ["29200"]), ("Nancy", "Grand Est", ["54000", "54100"]),
]
NL_CITIES = [  # city, province, postcode digit range
    ("Amsterdam", "Noord-Holland", 1011, 1109), ("Rotterdam", "Zuid-Holland", 3011, 3089),
    ("Utrecht", "Utrecht", 3511, 3585), ("Eindhoven", "Noord-Brabant", 5611, 5658),
    ("Groningen", "Groningen", 9711, 9747), ("Haarlem", "Noord-Holland", 2011, 2036),
    ("Leiden", "Zuid-Holland", 2311, 2334), ("Delft", "Zuid-Holland", 2611, 2629),
    ("Nijmegen", "Gelderland", 6511, 6546), ("Zwolle", "Overijssel", 8011, 8043),
    ("Maastricht", "Limburg", 6211, 6229), ("Tilburg", "Noord-Brabant", 5011, 5049),
    ("Arnhem", "Gelderland", 6811, 6846), ("Breda", "Noord-Brabant", 4811, 4839),
    ("Den Haag", "Zuid-Holland", 2511, 2597),
]
IT_CITIES = [  # city, province code, region, CAP range
    ("Roma", "RM", "Lazio", 118, 199), ("Milano", "MI", "Lombardia", 20121, 20162),
    ("Napoli", "NA", "Campania", 80121, 80147), ("Torino", "TO", "Piemonte", 10121, 10156),
    ("Firenze", "FI", "Toscana", 50121, 50145), ("Bologna", "BO", "Emilia-Romagna", 40121, 40141),
    ("Venezia", "VE", "Veneto", 30121, 30176), ("Genova", "GE", "Liguria", 16121, 16167),
    ("Palermo", "PA", "Sicilia", 90121, 90151), ("Bari", "BA", "Puglia", 70121, 70132),
    ("Verona", "VR", "Veneto", 37121, 37142), ("Padova", "PD", "Veneto", 35121, 35143),
    ("Trieste", "TS", "Friuli-Venezia Giulia", 34121, 34151),
    ("Perugia", "PG", "Umbria", 6121, 6135), ("Cagliari", "CA", "Sardegna", 9121, 9134),
    ("Bergamo", "BG", "Lombardia", 24121, 24129), ("Parma", "PR", "Emilia-Romagna", 43121, 43126),
]
ES_CITIES = [  # city, province, autonomous community, postcode range
    ("Madrid", "Madrid", "Comunidad de Madrid", 28001, 28055),
    ("Barcelona", "Barcelona", "Cataluña", 8001, 8042),
    ("Valencia", "Valencia", "Comunitat Valenciana", 46001, 46026),
    ("Sevilla", "Sevilla", "Andalucía", 41001, 41020),
    ("Zaragoza", "Zaragoza", "Aragón", 50001, 50018),
    ("Málaga", "Málaga", "Andalucía", 29001, 29018), ("Bilbao", "Bizkaia", "País Vasco", 48001,
                                                      48015),
    ("Granada", "Granada", "Andalucía", 18001, 18015),
    ("Salamanca", "Salamanca", "Castilla y León", 37001, 37008),
    ("Valladolid", "Valladolid", "Castilla y León", 47001, 47016),
    ("Alicante", "Alicante", "Comunitat Valenciana", 3001, 3016),
    ("Murcia", "Murcia", "Región de Murcia", 30001, 30012),
    ("Palma", "Illes Balears", "Illes Balears", 7001, 7015),
    ("Oviedo", "Asturias", "Asturias", 33001, 33013),
    ("San Sebastián", "Gipuzkoa", "País Vasco", 20001, 20018),
    ("Córdoba", "Córdoba", "Andalucía", 14001, 14014), ("Pamplona", "Navarra", "Navarra", 31001,
                                                          31016),
]
IN_CITIES = [  # city, state, first three PIN digits
    ("Mumbai", "Maharashtra", "400"), ("New Delhi", "Delhi", "110"),
    ("Bengaluru", "Karnataka", "560"), ("Chennai", "Tamil Nadu", "600"),
    ("Hyderabad", "Telangana", "500"), ("Kolkata", "West Bengal", "700"),
    ("Pune", "Maharashtra", "411"), ("Ahmedabad", "Gujarat", "380"),
    ("Jaipur", "Rajasthan", "302"), ("Lucknow", "Uttar Pradesh", "226"),
    ("Kochi", "Kerala", "682"), ("Chandigarh", "Punjab", "160"),
    ("Indore", "Madhya Pradesh", "452"), ("Bhopal", "Madhya Pradesh", "462"),
    ("Coimbatore", "Tamil Nadu", "641"), ("Mysuru", "Karnataka", "570"),
    ("Nagpur", "Maharashtra", "440"), ("Thiruvananthapuram", "Kerala", "695"),
    ("Visakhapatnam", "Andhra Pradesh", "530"), ("Guwahati", "Assam", "781"),
]
IN_LOCALITIES = ["Koramangala", "Indiranagar", "Andheri West", "Bandra East", "Salt Lake",
                 "Banjara Hills", "Vastrapur", "Malviya Nagar", "Kothrud", "Gomti Nagar",
                 "Anna Nagar", "Powai", "Whitefield", "Jubilee Hills", "Aundh", "Velachery",
                 "Saket", "Dwarka", "Sector 17", "Model Town", "Jayanagar", "Alwarpet"]
CA_CITIES = [  # city, province code, province, first letter of the postal code
    ("Toronto", "ON", "Ontario", "M"), ("Ottawa", "ON", "Ontario", "K"),
    ("Hamilton", "ON", "Ontario", "L"), ("Montréal", "QC", "Quebec", "H"),
    ("Montreal", "QC", "Quebec", "H"), ("Québec City", "QC", "Quebec", "G"),
    ("Vancouver", "BC", "British Columbia", "V"), ("Victoria", "BC", "British Columbia", "V"),
    ("Calgary", "AB", "Alberta", "T"), ("Edmonton", "AB", "Alberta", "T"),
    ("Winnipeg", "MB", "Manitoba", "R"), ("Halifax", "NS", "Nova Scotia", "B"),
    ("Regina", "SK", "Saskatchewan", "S"), ("Saskatoon", "SK", "Saskatchewan", "S"),
    ("St. John's", "NL", "Newfoundland and Labrador", "A"),
    ("Fredericton", "NB", "New Brunswick", "E"),
    ("Charlottetown", "PE", "Prince Edward Island", "C"), ("Whitehorse", "YT", "Yukon", "Y"),
    ("Kingston", "ON", "Ontario", "K"), ("Waterloo", "ON", "Ontario", "N"),
]
AU_CITIES = [  # suburb or city, state code, state, postcode
    ("Surry Hills", "NSW", "New South Wales", "2010"), ("Bondi", "NSW", "New South Wales", "2026"),
    ("Parramatta", "NSW", "New South Wales", "2150"), ("Newtown", "NSW", "New South Wales", "2042"),
    ("Sydney", "NSW", "New South Wales", "2000"), ("Fitzroy", "VIC", "Victoria", "3065"),
    ("Carlton", "VIC", "Victoria", "3053"), ("St Kilda", "VIC", "Victoria", "3182"),
    ("Melbourne", "VIC", "Victoria", "3000"), ("Geelong", "VIC", "Victoria", "3220"),
    ("Fortitude Valley", "QLD", "Queensland", "4006"), ("Brisbane", "QLD", "Queensland", "4000"),
    ("Southport", "QLD", "Queensland", "4215"), ("Fremantle", "WA", "Western Australia", "6160"),
    ("Perth", "WA", "Western Australia", "6000"), ("Glenelg", "SA", "South Australia", "5045"),
    ("Adelaide", "SA", "South Australia", "5000"), ("Sandy Bay", "TAS", "Tasmania", "7005"),
    ("Hobart", "TAS", "Tasmania", "7000"), ("Braddon", "ACT", "Australian Capital Territory",
                                            "2612"),
    ("Darwin", "NT", "Northern Territory", "0800"),
    ("Wollongong", "NSW", "New South Wales", "2500"),
    ("Cairns", "QLD", "Queensland", "4870"),
]

EN_STREET_NAMES = ["Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lincoln",
                   "Lake", "Hill", "Park", "Sunset", "Ridge", "River", "Church", "Highland",
                   "Jefferson", "Franklin", "Walnut", "Chestnut", "Willow", "Birch", "Mill",
                   "Station", "Victoria", "Albert", "Manor", "Orchard", "Meadow", "Windsor",
                   "York", "Castle", "Abbey", "Chapel", "Bridge", "King", "Queen", "George",
                   "Elizabeth", "Harbour", "Wattle", "Jacaranda", "Beach", "Spring", "Market"]
US_SUFFIXES = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Drive", "Lane", "Ln",
               "Boulevard", "Blvd", "Court", "Way", "Place", "Terrace", "Circle", "Parkway"]
UK_SUFFIXES = ["Road", "Street", "Lane", "Close", "Avenue", "Crescent", "Gardens", "Terrace",
               "Drive", "Way", "Grove", "Place", "Mews", "Row", "Walk", "Hill"]
AU_SUFFIXES = ["Street", "St", "Road", "Rd", "Avenue", "Parade", "Crescent", "Place", "Close",
               "Highway", "Terrace", "Esplanade"]
DE_STREET_BASES = ["Haupt", "Bahnhof", "Schul", "Garten", "Kirch", "Linden", "Berg", "Wald",
                   "Mühlen", "Rosen", "Birken", "Goethe", "Schiller", "Mozart", "Beethoven",
                   "Friedrich-Ebert-", "Kastanien", "Blumen", "Eichen", "Sonnen", "Markt"]
DE_STREET_SUFFIXES = ["straße", "str.", "weg", "allee", "platz", "gasse", "ring", "damm"]
FR_STREET_NAMES = ["Victor Hugo", "de la République", "Jean Jaurès", "des Lilas",
                   "du Général Leclerc", "de la Paix", "Pasteur", "Gambetta", "des Écoles",
                   "du Port", "Saint-Michel", "de Verdun", "Émile Zola", "des Tilleuls",
                   "de la Liberté", "Foch", "des Acacias", "du Moulin", "de Bretagne"]
# "rue" is a held-out cue of the PII test split (holdout.py), so only test documents write it.
FR_STREET_TYPES = ["avenue", "boulevard", "place", "allée", "impasse", "chemin", "quai"]
NL_STREETS = ["Keizersgracht", "Prinsengracht", "Herengracht", "Dorpsstraat", "Kerkstraat",
              "Stationsweg", "Molenweg", "Julianalaan", "Wilhelminastraat", "Oranjestraat",
              "Beatrixlaan", "Spoorstraat", "Marktplein", "Nieuwe Binnenweg", "Lindenlaan",
              "Schoolstraat", "Parallelweg", "Vondelstraat"]
IT_STREET_TYPES = ["Via", "Via", "Viale", "Piazza", "Corso", "Vicolo", "Largo"]
IT_STREET_NAMES = ["Roma", "Garibaldi", "Mazzini", "Cavour", "Dante", "Verdi",
                   "della Repubblica", "dei Mille", "XX Settembre", "Vittorio Emanuele II",
                   "San Francesco", "Marconi", "Matteotti", "Gramsci", "delle Rose", "Manzoni"]
ES_STREET_TYPES = ["Calle", "Calle", "C/", "Avenida", "Paseo", "Plaza", "Ronda", "Camino"]
ES_STREET_NAMES = ["Mayor", "de Alcalá", "Gran Vía", "de la Constitución", "del Sol", "de Goya",
                   "Real", "San Fernando", "de Colón", "de las Delicias", "del Prado", "Nueva",
                   "de Cervantes", "del Carmen", "de la Estación"]
IN_ROADS = ["MG", "Nehru", "Gandhi", "Station", "Church", "Link", "Ring", "Tilak", "Park",
            "Lake", "100 Feet", "Residency", "Hosur", "Linking"]
IN_BUILDINGS = ["Sai Residency", "Shanti Apartments", "Green Park Towers", "Lotus Enclave",
                "Prestige Heights", "Sunrise Apartments", "Ganga Niwas", "Sri Krishna Complex"]
CA_STREET_FR = ["Boulevard Saint-Laurent", "Avenue du Parc", "Chemin Sainte-Foy",
                "Avenue des Pins", "Boulevard René-Lévesque"]

COUNTRY_NAMES = {  # convention -> (how prose names the country, how an address block does)
    "US": (["the|United States", "the|US", "the|USA", "America"],
           ["USA", "United States", "United States of America"]),
    "UK": (["the|UK", "England", "Britain", "the|United Kingdom"],
           ["United Kingdom", "UK", "England"]),
    "DE": (["Germany"], ["Germany", "Deutschland"]), "FR": (["France"], ["France"]),
    "NL": (["the|Netherlands", "Holland"], ["Netherlands", "Nederland", "The Netherlands"]),
    "IT": (["Italy"], ["Italy", "Italia"]), "ES": (["Spain"], ["Spain", "España"]),
    "IN": (["India"], ["India"]), "CA": (["Canada"], ["Canada"]),
    "AU": (["Australia"], ["Australia"]),
}
CONVENTION_WEIGHTS = {"US": 5, "UK": 4, "DE": 3, "FR": 2, "NL": 1, "IT": 2, "ES": 2, "IN": 2,
                      "CA": 1, "AU": 1}


class Address:
    """One postal address. Each line and inline form is a list of segments (text, labels);
    `street` is the street line that names the road (others name a flat or a building)."""

    def __init__(self, conv, street_lines, city, region, region_prose, postcode, country_prose,
                 country_block, lines, inlines, street):
        self.conv, self.street_lines, self.city, self.street = conv, street_lines, city, street
        self.region, self.region_prose, self.postcode = region, region_prose, postcode
        self.country_prose, self.country_block = country_prose, country_block
        self.lines, self.inlines = lines, inlines


def _seg(text, label=None):
    return (text, (label,) if label else ())


def _street_us(rng, f):
    name = rng.choice(EN_STREET_NAMES) if rng.random() < 0.7 else f.last_name()
    s = f"{rng.randint(1, 9899)} {rng.choice(['', '', '', 'N ', 'S ', 'E ', 'W ', 'North '])}" \
        f"{name} {rng.choice(US_SUFFIXES)}"
    return s


_PLACE_RE = re.compile(r"^[^\W\d_]+(?:(?:[ '\-]|\. )[^\W\d_]+)*$")


def _make_address(rng, conv, split):
    """A random address in convention `conv` (US UK DE FR NL IT ES IN CA AU) whose every
    labelled part fits the span width."""
    for _ in range(50):
        a = _draw_address(rng, conv, split)
        parts = [t for segs in a.lines + a.inlines for t, labels in segs if labels]
        if all(_n_words(t) <= MAX_WIDTH for t in parts) and _PLACE_RE.match(a.city):
            return a
    raise RuntimeError(f"no {conv} address fits the span width")


def _draw_address(rng, conv, split):
    S = "street_address"
    if conv == "US":
        if rng.random() < 0.25:
            f = _faker(rng, "en_US")
            city, st, state, zip3 = f.city(), f.state_abbr(), None, None
            state = st
            postcode = f.zipcode()
        else:
            city, st, state, zip3 = rng.choice(US_CITIES)
            postcode = zip3 + _rng_digits(rng, 2)
            f = _faker(rng, "en_US")
        if rng.random() < 0.15:
            postcode += "-" + _rng_digits(rng, 4)
        street = _street_us(rng, f)
        unit = rng.choice([None, None, None, f"Apt {rng.randint(1, 40)}{rng.choice(['', 'B'])}",
                           f"Suite {rng.randint(100, 990)}", f"Unit {rng.randint(1, 30)}",
                           f"#{rng.randint(2, 99)}"])
        streets = [street]
        if unit and (unit[0] == "#" or rng.random() < 0.6):  # "#12" only after the street
            streets = [street + ", " + unit]
        elif unit:
            streets.append(unit)
        city_line = [_seg(city, "city"), _seg(", "), _seg(st, "state_or_region"), _seg(" "),
                     _seg(postcode, "postal_code")]
        region_prose = state if len(state) > 2 else st
        inlines = [[_seg(streets[0], S), _seg(", ")] + city_line,
                   [_seg(streets[0], S), _seg(", "), _seg(city, "city")]]
        return _address(rng, conv, streets, city, st, region_prose, postcode, [city_line],
                        inlines, streets[0])
    if conv == "UK":
        f = _faker(rng, "en_GB")
        if rng.random() < 0.25:
            city, county, areas = f.city(), rng.choice([None, "Kent", "Essex", "Devon"]), None
            area = rng.choice(["AB", "BN", "CM", "DN", "GU", "KT", "ME", "PO", "TN", "WR"])
        else:
            city, county, areas = rng.choice(UK_CITIES)
            area = rng.choice(areas)
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        district = str(rng.randint(1, 20 if len(area) == 2 else 9))
        if area in ("SW", "EC", "WC", "W") and rng.random() < 0.3:
            district = str(rng.randint(1, 2)) + rng.choice("ABCEHJKMNPRVWXY")
        postcode = f"{area}{district} {rng.randint(1, 9)}{rng.choice(letters)}" \
                   f"{rng.choice(letters)}"
        name = rng.choice(EN_STREET_NAMES) if rng.random() < 0.6 else f.last_name()
        street = f"{rng.randint(1, 240)} {name} {rng.choice(UK_SUFFIXES)}"
        streets = [street]
        r = rng.random()
        if r < 0.2:
            streets = [f"Flat {rng.randint(1, 30)}", street]
        elif r < 0.3:
            street = f"Flat {rng.randint(1, 30)}, {street}"
            streets = [street]
        elif r < 0.38:
            street = street.split(" ", 1)[1]
            streets = [f"{rng.choice(['Rose', 'Ivy', 'Orchard', 'Mill', 'Old School'])} "
                       f"{rng.choice(['Cottage', 'House', 'Lodge'])}", street]
        town = city.upper() if rng.random() < 0.3 else city
        lines = [[_seg(town, "city")]]
        if county and rng.random() < 0.4:
            lines.append([_seg(county, "state_or_region")])
        lines.append([_seg(postcode, "postal_code")])
        if rng.random() < 0.3:  # "LEEDS LS6 2AB" on one line
            lines = [[_seg(town, "city"), _seg(" "), _seg(postcode, "postal_code")]]
        inlines = [[_seg(streets[-1], S), _seg(", "), _seg(city, "city"), _seg(" "),
                    _seg(postcode, "postal_code")],
                   [_seg(streets[-1], S), _seg(", "), _seg(city, "city"), _seg(", "),
                    _seg(postcode, "postal_code")],
                   [_seg(streets[-1], S), _seg(", "), _seg(city, "city")]]
        return _address(rng, conv, streets, city, county, county, postcode, lines, inlines,
                        street)
    if conv == "DE":
        if rng.random() < 0.25:
            f = _faker(rng, "de_DE")
            city, land, land_en = f.city(), None, None
            plz = f"{rng.randint(1067, 99998):05d}"
        else:
            city, land, land_en, lo, hi = rng.choice(DE_CITIES)
            plz = f"{rng.randint(lo, hi):05d}"
        base, suffix = rng.choice(DE_STREET_BASES), rng.choice(DE_STREET_SUFFIXES)
        sname = base + suffix if not base.endswith("-") else base + "Straße"
        if rng.random() < 0.15:
            sname = f"Am {rng.choice(['Markt', 'Sonnenhang', 'Lindenhof', 'Stadtpark'])}"
        num = str(rng.randint(1, 180)) + rng.choice(["", "", "", "a", "b"])
        street = f"{sname} {num}"
        city_line = [_seg(plz, "postal_code"), _seg(" "), _seg(city, "city")]
        inlines = [[_seg(street, S), _seg(", ")] + city_line,
                   [_seg(street, S), _seg(" in "), _seg(city, "city")]]
        region = land if land and rng.random() < 0.4 else land_en
        return _address(rng, conv, [street], city, land, region, plz, [city_line], inlines[:1],
                        street)
    if conv == "FR":
        city, region, codes = rng.choice(FR_CITIES)
        cp = rng.choice(codes)
        types = FR_STREET_TYPES + (["rue", "rue", "rue"] if split == "test" else [])
        street = f"{rng.randint(1, 140)}{rng.choice(['', '', '', ' bis'])} " \
                 f"{rng.choice(types)} {rng.choice(FR_STREET_NAMES)}"
        city_up = city.upper() if rng.random() < 0.25 else city
        city_line = [_seg(cp, "postal_code"), _seg(" "), _seg(city_up, "city")]
        inlines = [[_seg(street, S), _seg(", "), _seg(cp, "postal_code"), _seg(" "),
                    _seg(city, "city")],
                   [_seg(street, S), _seg(", "), _seg(city, "city")]]
        return _address(rng, conv, [street], city, None, region, cp, [city_line], inlines,
                        street)
    if conv == "NL":
        city, prov, lo, hi = rng.choice(NL_CITIES)
        pc = f"{rng.randint(lo, hi)} {rng.choice('ABCEGHJKLMNPRTVWXZ')}" \
             f"{rng.choice('ABCEGHJKLMNPRTVWXZ')}"
        if rng.random() < 0.4:
            sname = _faker(rng, "nl_NL").street_name()
        else:
            sname = rng.choice(NL_STREETS)
        street = f"{sname} {rng.randint(1, 400)}{rng.choice(['', '', 'a', '-2', ' hs'])}"
        city_w = city.upper() if rng.random() < 0.3 else city
        city_line = [_seg(pc, "postal_code"), _seg(rng.choice([" ", "  "])),
                     _seg(city_w, "city")]
        inlines = [[_seg(street, S), _seg(", "), _seg(pc, "postal_code"), _seg(" "),
                    _seg(city, "city")],
                   [_seg(street, S), _seg(" in "), _seg(city, "city")]]
        return _address(rng, conv, [street], city, prov, prov, pc, [city_line], inlines[:1],
                        street)
    if conv == "IT":
        city, prov, region, lo, hi = rng.choice(IT_CITIES)
        cap = f"{rng.randint(lo, hi):05d}"
        num = str(rng.randint(1, 200)) + rng.choice(["", "", "", "/A", "/B"])
        sname = f"{rng.choice(IT_STREET_TYPES)} {rng.choice(IT_STREET_NAMES)}"
        street = f"{sname}{rng.choice([' ', ', '])}{num}"
        if rng.random() < 0.5:
            city_line = [_seg(cap, "postal_code"), _seg(" "), _seg(city, "city"), _seg(" "),
                         _seg(prov, "state_or_region")]
        elif rng.random() < 0.5:
            city_line = [_seg(cap, "postal_code"), _seg(" "), _seg(city, "city"), _seg(" ("),
                         _seg(prov, "state_or_region"), _seg(")")]
        else:
            city_line = [_seg(cap, "postal_code"), _seg(" "), _seg(city, "city")]
        inlines = [[_seg(street, S), _seg(", "), _seg(cap, "postal_code"), _seg(" "),
                    _seg(city, "city")],
                   [_seg(street, S), _seg(", "), _seg(city, "city")]]
        return _address(rng, conv, [street], city, prov, region, cap, [city_line], inlines,
                        street)
    if conv == "ES":
        city, prov, comm, lo, hi = rng.choice(ES_CITIES)
        cp = f"{rng.randint(lo, hi):05d}"
        street = f"{rng.choice(ES_STREET_TYPES)} {rng.choice(ES_STREET_NAMES)}" \
                 f"{rng.choice([' ', ', '])}{rng.randint(1, 150)}"
        if rng.random() < 0.5:
            street += f", {rng.randint(1, 9)}º {rng.choice(['A', 'B', 'C', 'D', 'izda', 'dcha'])}"
        lines = [[_seg(cp, "postal_code"), _seg(" "), _seg(city, "city")]]
        if rng.random() < 0.4:
            lines.append([_seg(prov if rng.random() < 0.5 else comm, "state_or_region")])
        elif rng.random() < 0.3:
            lines = [[_seg(cp, "postal_code"), _seg(" "), _seg(city, "city"), _seg(" ("),
                      _seg(prov, "state_or_region"), _seg(")")]]
        inlines = [[_seg(street, S), _seg(", "), _seg(cp, "postal_code"), _seg(" "),
                    _seg(city, "city")],
                   [_seg(street, S), _seg(", "), _seg(city, "city")]]
        return _address(rng, conv, [street], city, prov, comm, cp, lines, inlines, street)
    if conv == "IN":
        city, state, pin3 = rng.choice(IN_CITIES)
        pin = pin3 + _rng_digits(rng, 3)
        pin_w = pin if rng.random() < 0.8 else pin[:3] + " " + pin[3:]
        locality = rng.choice(IN_LOCALITIES)
        road = f"{rng.randint(1, 99)}, {rng.choice(IN_ROADS)} Road, {locality}" \
            if rng.random() < 0.6 else f"Plot No. {rng.randint(1, 300)}, {locality}"
        streets = [road]
        if rng.random() < 0.5:
            streets = [rng.choice([f"Flat {rng.randint(101, 1204)}, ",
                                   f"{rng.choice('ABCD')}-{rng.randint(1, 90)}, ",
                                   f"No. {rng.randint(1, 80)}, "]) + rng.choice(IN_BUILDINGS),
                       road]
        if rng.random() < 0.5:
            lines = [[_seg(city, "city"), _seg(", "), _seg(state, "state_or_region"),
                      _seg(" "), _seg(pin_w, "postal_code")]]
        else:
            lines = [[_seg(city, "city"), _seg(" - "), _seg(pin_w, "postal_code")],
                     [_seg(state, "state_or_region")]]
        inlines = [[_seg(road, S), _seg(", "), _seg(city, "city"), _seg(" "),
                    _seg(pin, "postal_code")],
                   [_seg(road, S), _seg(", "), _seg(city, "city")]]
        return _address(rng, conv, streets, city, state, state, pin, lines, inlines, road)
    if conv == "CA":
        city, prov, prov_full, first = rng.choice(CA_CITIES)
        letters = "ABCEGHJKLMNPRSTVWXYZ"
        pc = f"{first}{rng.randint(0, 9)}{rng.choice(letters)} {rng.randint(0, 9)}" \
             f"{rng.choice(letters)}{rng.randint(0, 9)}"
        if prov == "QC" and rng.random() < 0.5:
            fr = CA_STREET_FR + (["Rue Sherbrooke", "Rue Saint-Denis"] if split == "test" else [])
            street = f"{rng.randint(10, 9999)} {rng.choice(fr)}"
        else:
            street = _street_us(rng, _faker(rng, "en_CA"))
        if rng.random() < 0.25:
            street = f"{rng.randint(101, 2405)}-{street}"
        p = prov if rng.random() < 0.8 else prov_full
        city_line = [_seg(city, "city"), _seg(rng.choice([" ", ", "])),
                     _seg(p, "state_or_region"), _seg(rng.choice([" ", "  "])),
                     _seg(pc, "postal_code")]
        inlines = [[_seg(street, S), _seg(", ")] + city_line,
                   [_seg(street, S), _seg(", "), _seg(city, "city")]]
        return _address(rng, conv, [street], city, p, prov_full, pc, [city_line], inlines,
                        street)
    # AU
    city, st, state, pc = rng.choice(AU_CITIES)
    street = f"{rng.randint(1, 300)} {rng.choice(EN_STREET_NAMES)} {rng.choice(AU_SUFFIXES)}"
    r = rng.random()
    if r < 0.2:
        street = f"Unit {rng.randint(1, 40)}, {street}"
    elif r < 0.35:
        street = f"{rng.randint(1, 40)}/{street}"
    city_w = city.upper() if rng.random() < 0.4 else city
    city_line = [_seg(city_w, "city"), _seg(" "), _seg(st, "state_or_region"), _seg(" "),
                 _seg(pc, "postal_code")]
    inlines = [[_seg(street, S), _seg(", "), _seg(city, "city"), _seg(" "),
                _seg(st, "state_or_region"), _seg(" "), _seg(pc, "postal_code")],
               [_seg(street, S), _seg(", "), _seg(city, "city")]]
    return _address(rng, conv, [street], city, st, state, pc, [city_line], inlines, street)


def _address(rng, conv, streets, city, region, region_prose, postcode, city_lines, inlines,
             street):
    prose, block = COUNTRY_NAMES[conv]
    lines = [[_seg(s, "street_address")] for s in streets] + city_lines
    if rng.random() < 0.6:
        lines.append([_seg(rng.choice(block), "country")])
    return Address(conv, streets, city, region, region_prose, postcode, prose, block, lines,
                   inlines, street)


def _n_words(text):
    from spanguard_reference.words import split_words
    return len(split_words(text))


def _segments_piece(segments, whole_labels=()):
    """A Piece from segments; whole_labels go to the whole text."""
    text, inner = "", []
    for t, labels in segments:
        if labels:
            inner.append((len(text), t, labels))
        text += t
    return Piece(text, whole_labels, inner)


def _inline_address(rng, addr):
    """One-line address: labelled `address` too when it fits the span width (prefers a form
    that does)."""
    forms = list(addr.inlines)
    rng.shuffle(forms)
    for segs in forms:
        text = "".join(t for t, _ in segs)
        if _n_words(text) <= MAX_WIDTH:
            return _segments_piece(segs, LABELS_OF["address"])
    return _segments_piece(forms[0])


def _block_address(addr):
    """Multi-line address block: its parts only (see the module docstring)."""
    segs = []
    for i, line in enumerate(addr.lines):
        if i:
            segs.append(("\n", ()))
        segs += line
    return _segments_piece(segs)


# ---------------------------------------------------------------------------------------------
# Phone numbers: (format id, country, maker). A few formats can carry an extension.

def _phone_formats():
    def d(r, n):
        return _rng_digits(r, n)

    def nanp(r):
        return str(r.randint(201, 989)), str(r.randint(200, 999)), d(r, 4)

    def pairs(r, n):
        return " ".join(d(r, 2) for _ in range(n))

    de_area = ["30", "40", "89", "221", "69", "711", "211", "341", "351", "511", "911"]
    de_mob = ["151", "152", "157", "160", "162", "170", "171", "172", "175", "176", "177", "179"]
    in_mob = lambda r: r.choice("6789") + d(r, 4)  # noqa: E731
    fr0 = lambda r: str(r.choice([1, 2, 3, 4, 5, 6, 7, 9]))  # noqa: E731
    return [
        ("us_paren", "US", lambda r: "({}) {}-{}".format(*nanp(r))),
        ("us_dash", "US", lambda r: "{}-{}-{}".format(*nanp(r))),
        ("us_dot", "US", lambda r: "{}.{}.{}".format(*nanp(r))),
        ("us_space", "US", lambda r: "{} {} {}".format(*nanp(r))),
        ("us_intl", "US", lambda r: "+1 {} {} {}".format(*nanp(r))),
        ("us_intl_dash", "US", lambda r: "+1-{}-{}-{}".format(*nanp(r))),
        ("us_intl_paren", "US", lambda r: "+1 ({}) {}-{}".format(*nanp(r))),
        ("us_one_dash", "US", lambda r: "1-{}-{}-{}".format(*nanp(r))),
        ("us_plain", "US", lambda r: "{}{}{}".format(*nanp(r))),
        ("uk_london", "UK", lambda r: f"020 {r.choice('378')}{d(r, 3)} {d(r, 4)}"),
        ("uk_london_intl", "UK", lambda r: f"+44 20 {r.choice('378')}{d(r, 3)} {d(r, 4)}"),
        ("uk_intl_zero", "UK", lambda r: f"+44 (0)20 {r.choice('378')}{d(r, 3)} {d(r, 4)}"),
        ("uk_mobile", "UK", lambda r: f"07{d(r, 3)} {d(r, 6)}"),
        ("uk_mobile_intl", "UK", lambda r: f"+44 7{d(r, 3)} {d(r, 6)}"),
        ("uk_city", "UK", lambda r: f"01{d(r, 2)} {d(r, 3)} {d(r, 4)}"),
        ("uk_city_paren", "UK", lambda r: f"(01{d(r, 2)}) {d(r, 3)} {d(r, 4)}"),
        ("de_city", "DE", lambda r: f"0{r.choice(de_area)} {d(r, r.randint(6, 8))}"),
        ("de_intl", "DE", lambda r: f"+49 {r.choice(de_area)} {d(r, r.randint(6, 8))}"),
        ("de_intl_zero", "DE", lambda r: f"+49 (0){r.choice(de_area)} {d(r, 7)}"),
        ("de_slash", "DE", lambda r: f"0{r.choice(de_area)}/{d(r, 7)}"),
        ("de_dash", "DE", lambda r: f"0{r.choice(de_area)}-{d(r, 6)}"),
        ("de_mobile", "DE", lambda r: f"0{r.choice(de_mob)} {d(r, 7)}"),
        ("de_mobile_intl", "DE", lambda r: f"+49 {r.choice(de_mob)} {d(r, 7)}"),
        ("de_0049", "DE", lambda r: f"0049 {r.choice(de_area)} {d(r, 7)}"),
        ("fr_space", "FR", lambda r: f"0{fr0(r)} {pairs(r, 4)}"),
        ("fr_intl", "FR", lambda r: f"+33 {fr0(r)} {pairs(r, 4)}"),
        ("fr_compact", "FR", lambda r: f"0{r.choice('67')}{d(r, 8)}"),
        ("fr_dash", "FR", lambda r: f"0{fr0(r)}-" + "-".join(d(r, 2) for _ in range(4))),
        ("nl_mobile", "NL", lambda r: f"06-{d(r, 8)}"),
        ("nl_mobile_intl", "NL", lambda r: f"+31 6 {d(r, 8)}"),
        ("nl_city", "NL", lambda r: f"0{r.choice(['20', '10', '30', '70'])} {d(r, 3)} {d(r, 4)}"),
        ("nl_city_intl", "NL", lambda r: f"+31 {r.choice(['20', '10', '30'])} {d(r, 3)} "
                                         f"{d(r, 4)}"),
        ("it_city", "IT", lambda r: f"0{r.choice('26')} {d(r, 4)} {d(r, 4)}"),
        ("it_intl", "IT", lambda r: f"+39 0{r.choice('26')} {d(r, 4)} {d(r, 4)}"),
        ("it_mobile", "IT", lambda r: f"3{d(r, 2)} {d(r, 3)} {d(r, 4)}"),
        ("it_mobile_intl", "IT", lambda r: f"+39 3{d(r, 2)} {d(r, 7)}"),
        ("es_city", "ES", lambda r: f"9{d(r, 2)} {d(r, 3)} {d(r, 3)}"),
        ("es_mobile", "ES", lambda r: f"6{d(r, 2)} {d(r, 2)} {d(r, 2)} {d(r, 2)}"),
        ("es_intl", "ES", lambda r: f"+34 6{d(r, 2)} {d(r, 2)} {d(r, 2)} {d(r, 2)}"),
        ("in_mobile_intl", "IN", lambda r: f"+91 {in_mob(r)} {d(r, 5)}"),
        ("in_mobile", "IN", lambda r: f"{in_mob(r)} {d(r, 5)}"),
        ("in_mobile_zero", "IN", lambda r: f"0{in_mob(r)} {d(r, 5)}"),
        ("in_dash", "IN", lambda r: f"+91-{in_mob(r)}-{d(r, 5)}"),
        ("in_compact", "IN", lambda r: f"{in_mob(r)}{d(r, 5)}"),
        ("in_city", "IN", lambda r: f"0{r.choice(['22', '80', '11', '44'])} {d(r, 4)} "
                                    f"{d(r, 4)}"),
        ("in_city_intl", "IN", lambda r: f"+91 {r.choice(['22', '80', '11', '44'])} "
                                         f"{d(r, 4)} {d(r, 4)}"),
        ("au_city", "AU", lambda r: f"(0{r.choice('2378')}) {d(r, 4)} {d(r, 4)}"),
        ("au_city_intl", "AU", lambda r: f"+61 {r.choice('2378')} {d(r, 4)} {d(r, 4)}"),
        ("au_plain", "AU", lambda r: f"0{r.choice('2378')} {d(r, 4)} {d(r, 4)}"),
        ("au_mobile", "AU", lambda r: f"04{d(r, 2)} {d(r, 3)} {d(r, 3)}"),
        ("au_mobile_intl", "AU", lambda r: f"+61 4{d(r, 2)} {d(r, 3)} {d(r, 3)}"),
        ("br_mobile", "BR", lambda r: f"({r.randint(11, 99)}) 9{d(r, 4)}-{d(r, 4)}"),
        ("br_intl", "BR", lambda r: f"+55 {r.randint(11, 99)} 9{d(r, 4)}-{d(r, 4)}"),
        ("br_land_intl", "BR", lambda r: f"+55 ({r.randint(11, 99)}) {d(r, 4)}-{d(r, 4)}"),
        ("jp_city", "JP", lambda r: f"0{r.choice(['3', '6', '52', '92'])}-{d(r, 4)}-{d(r, 4)}"),
        ("jp_intl", "JP", lambda r: f"+81 {r.choice(['3', '6'])}-{d(r, 4)}-{d(r, 4)}"),
        ("jp_mobile", "JP", lambda r: f"0{r.choice('789')}0-{d(r, 4)}-{d(r, 4)}"),
        ("jp_mobile_intl", "JP", lambda r: f"+81 {r.choice('789')}0 {d(r, 4)} {d(r, 4)}"),
    ]


PHONE_FORMATS = _phone_formats()
PHONES_OF = {}
for _fmt in PHONE_FORMATS:
    PHONES_OF.setdefault(_fmt[1], []).append(_fmt)
PHONES_OF["CA"] = PHONES_OF["US"]
PHONE_COUNTRY_OF_ORIGIN = {"pt_BR": "BR", "ja_JP": "JP"}
EXTENSIONS = ["ext. {}", "ext {}", "x{}", "extension {}", "Ext. {}"]


def _phone(rng, country, p_ext=0.0):
    """-> (format id, number) for `country`, sometimes with an extension if it still fits."""
    fid, _, make = rng.choice(PHONES_OF[country])
    number = make(rng)
    if rng.random() < p_ext:
        longer = number + " " + rng.choice(EXTENSIONS).format(rng.randint(2, 4999))
        if _n_words(longer) <= MAX_WIDTH:
            return fid + "+ext", longer
    return fid, number


# ---------------------------------------------------------------------------------------------
# E-mail addresses.

EMAIL_DOMAINS = {
    "US": ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com", "hotmail.com",
           "proton.me", "comcast.net"],
    "UK": ["btinternet.com", "yahoo.co.uk", "hotmail.co.uk", "gmail.com", "sky.com"],
    "DE": ["web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de"],
    "FR": ["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"],
    "NL": ["ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl"],
    "IT": ["libero.it", "virgilio.it", "gmail.com", "tiscali.it"],
    "ES": ["hotmail.es", "gmail.com", "telefonica.net", "yahoo.es"],
    "IN": ["gmail.com", "rediffmail.com", "yahoo.co.in", "outlook.com"],
    "CA": ["gmail.com", "rogers.com", "shaw.ca", "sympatico.ca"],
    "AU": ["bigpond.com", "optusnet.com.au", "gmail.com", "outlook.com"],
}


def _email(rng, first, last, conv, org_domain=None):
    f, l = _ascii(first).lower() or "info", _ascii(last).lower() or "mail"
    yy = str(rng.randint(60, 99) if rng.random() < 0.5 else rng.randint(1, 2024))
    local = rng.choice([f"{f}.{l}", f"{f}{l}", f"{f[0]}.{l}", f"{f}_{l}", f"{f}{yy}",
                        f"{l}.{f}", f"{f}-{l}", f"{f[0]}{l}{rng.randint(1, 99)}", f"{f}.{l}{yy}"])
    domain = org_domain if org_domain and rng.random() < 0.7 else \
        rng.choice(EMAIL_DOMAINS[conv])
    return f"{local}@{domain}"


# ---------------------------------------------------------------------------------------------
# Unlabelled look-alikes and context words.

PLACES = ["Lisbon", "Vienna", "Kyoto", "Boston", "Marrakesh", "Prague", "Bruges", "Seville",
          "Edinburgh", "Toronto", "Melbourne", "Mumbai", "Berlin", "Paris", "Rome", "Amsterdam",
          "Barcelona", "Dublin", "Oslo", "Istanbul", "Chicago", "Cape Town", "Nairobi",
          "Buenos Aires", "Hanoi", "Seoul", "Copenhagen", "Krakow", "Munich", "Lyon", "Porto",
          "Naples", "Budapest", "Reykjavik", "Singapore", "Sydney", "Lagos", "Manchester",
          "Glasgow", "Denver", "Austin", "Florence", "Valencia", "Athens", "Tokyo", "Montreal",
          "Leeds", "Rotterdam", "Zurich", "Hamburg", "Bangalore", "Delhi", "Cork", "Tallinn",
          "Split", "Sarajevo", "Ljubljana", "Dubrovnik", "Salzburg", "Bordeaux", "Cairo"]
LANDS = ["Japan", "Portugal", "Canada", "Iceland", "Mexico", "Norway", "Greece", "Morocco",
         "Vietnam", "Peru", "Kenya", "Italy", "Spain", "Scotland", "Chile", "Thailand", "Croatia",
         "Ireland", "Brazil", "India", "Germany", "France", "Turkey", "Egypt", "New Zealand"]
ORGS = ["Northwind Logistics", "Brightwater Energy", "Kestrel Insurance", "Harbour & Finch",
        "Alder Bank", "Bluepeak Telecom", "Meridian Health", "Copperleaf Studio",
        "Quayside Properties", "Larkspur Books", "Vantage Rail", "Oakridge Dental",
        "Sunfield Foods", "Granite Cloud", "Helios Solar", "Tidewater Travel",
        "Amazon", "IKEA", "Vodafone", "Siemens", "Deutsche Bahn", "Air France", "Tesco", "Zara",
        "Lufthansa", "Barclays", "Santander", "Infosys", "Toyota", "Carrefour", "Spotify",
        "Atlas Movers", "Riverbend Veterinary", "Pinecrest Realty", "Stonegate Legal"]
VENUES = ["the Blue Door", "Café Central", "the Olive Tree", "Harbour Kitchen", "the Red Lion",
          "Golden Dragon", "the Grand Hotel", "Casa Verde", "the Copper Kettle",
          "Bistro Nord", "the Lantern", "Sakura House", "the Old Mill", "Hotel Belvedere",
          "the Fig & Fennel", "Trattoria Sole", "the Corner Deli", "Masala Junction"]
PRODUCTS = ["air fryer", "standing desk", "Kindle", "robot vacuum", "Pixel phone",
            "espresso machine", "noise-cancelling headphones", "e-bike", "smartwatch",
            "washing machine", "gaming laptop", "baby monitor", "rice cooker", "printer"]
DISHES = ["risotto", "lamb tagine", "pad thai", "fish and chips", "ramen", "paella",
          "chicken tikka", "margherita pizza", "beef bourguignon", "falafel wrap", "tiramisu",
          "dumplings", "schnitzel", "pho"]
BOOKS = ["The Salt Road", "Winter Orchard", "A House of Small Lights", "The Ninth Harbour",
         "Paper Moons", "What the River Keeps", "The Glass Garden", "Northern Lines"]
TEAMS = ["United", "the Rovers", "City", "the Eagles", "Bayern", "the Lakers", "Ajax",
         "the Wanderers", "Celtic", "the Tigers", "Benfica", "Juventus"]
ROLES = ["Project Manager", "Head of Sales", "Customer Success Lead", "Senior Engineer",
         "Office Manager", "Marketing Director", "Account Executive", "HR Coordinator",
         "Operations Lead", "Claims Adviser", "Practice Manager", "Data Analyst",
         "Managing Director", "Lettings Negotiator", "Support Specialist"]
GIFTS = ["scarf", "book", "chocolates", "jumper", "cookbook", "tea set", "vinyl record",
         "puzzle", "plant", "candle"]
SUBJECTS = ["chemistry", "law", "nursing", "architecture", "economics", "music", "biology",
            "computer science", "history", "graphic design"]
LANGS = ["Portuguese", "Hindi", "Arabic", "Polish", "Turkish", "Swahili", "Korean", "Dutch",
         "Tagalog", "Greek", "Italian", "Urdu"]
PETS = ["Biscuit", "Pepper", "Noodle", "Mochi", "Rusty", "Ziggy", "Pickle", "Waffles", "Bean",
        "Pretzel", "Socks", "Nugget", "Tofu", "Marmalade"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _price(rng):
    cur = rng.choice(["$", "€", "£", "$", "€", "₹", "A$", "CHF "])
    whole = rng.randint(2, 900)
    if rng.random() < 0.5:
        return f"{cur}{whole}.{rng.choice(['99', '50', '00', '95', '49'])}"
    return f"{cur}{whole}"


def _money(rng):
    cur = rng.choice(["$", "€", "£"])
    return rng.choice([f"{cur}{rng.randint(1, 90)}.{rng.randint(1, 9)} million",
                       f"{cur}{rng.randint(100, 990)},000", f"{cur}{rng.randint(2, 60)}m",
                       f"{rng.randint(2, 40)} million euros", f"{cur}{rng.randint(1, 9)} billion"])


def _order(rng):
    return rng.choice([f"#{_rng_digits(rng, 5)}", f"A-{_rng_digits(rng, 5)}",
                       f"ORD-{_rng_digits(rng, 6)}", f"{_rng_digits(rng, 8)}",
                       f"{rng.choice('BKRZ')}{_rng_digits(rng, 7)}"])


def _time(rng):
    return rng.choice([f"{rng.randint(7, 11)}:{rng.choice(['00', '15', '30', '45'])}",
                       f"{rng.randint(1, 11)} {rng.choice(['am', 'pm'])}",
                       f"{rng.randint(13, 22)}:{rng.choice(['00', '30'])}", "noon",
                       f"{rng.randint(1, 11)}pm", "half past six"])


def _room(rng):
    return rng.choice([str(rng.randint(101, 950)), f"{rng.choice('ABC')}{rng.randint(1, 40)}",
                       f"{rng.randint(1, 5)}.{rng.randint(1, 30):02d}"])


def _qty(rng):
    return rng.choice([f"{rng.randint(2, 40)} kg", "two dozen", f"{rng.randint(100, 900)} g",
                       f"{rng.randint(2, 30)} boxes", f"{rng.randint(2, 12)} litres",
                       f"{rng.randint(3, 60)} copies", f"{rng.randint(2, 9)} crates"])


def _duration(rng):
    return rng.choice([f"{rng.randint(2, 5)}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
                       f"{rng.randint(2, 5)} hours and {rng.randint(2, 58)} minutes",
                       f"under {rng.randint(3, 5)} hours"])


SIMPLE_SLOTS = {
    "place": lambda r: r.choice(PLACES), "place2": lambda r: r.choice(PLACES),
    "land": lambda r: r.choice(LANDS), "venue": lambda r: r.choice(VENUES),
    "product": lambda r: r.choice(PRODUCTS), "dish": lambda r: r.choice(DISHES),
    "book": lambda r: r.choice(BOOKS), "team": lambda r: r.choice(TEAMS),
    "score": lambda r: f"{r.randint(0, 5)}-{r.randint(0, 5)}", "price": _price,
    "price2": _price, "money": _money, "year": lambda r: str(r.randint(1975, 2025)),
    "num": lambda r: str(r.randint(2, 40)), "num2": lambda r: str(r.randint(2, 40)),
    "big": lambda r: str(r.randint(120, 9000)), "qty": _qty, "room": _room, "order": _order,
    "time": _time, "weekday": lambda r: r.choice(WEEKDAYS), "month": lambda r: r.choice(MONTHS),
    "pct": lambda r: r.choice([f"{r.randint(2, 40)}%", f"{r.randint(1, 9)}.{r.randint(1, 9)}%",
                               f"{r.randint(2, 30)} percent"]),
    "flight": lambda r: f"{r.choice(['BA', 'LH', 'AF', 'KL', 'UA', 'EK', 'IB'])}"
                        f"{r.choice(['', ' '])}{r.randint(10, 2999)}",
    "version": lambda r: f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
    "duration": _duration, "role": lambda r: r.choice(ROLES), "gift": lambda r: r.choice(GIFTS),
    "subject": lambda r: r.choice(SUBJECTS), "lang": lambda r: r.choice(LANGS),
    "pet": lambda r: r.choice(PETS), "page": lambda r: str(r.randint(2, 400)),
    "floor": lambda r: r.choice(["2nd", "3rd", "4th", "5th", "ground", "top"]),
}
SIMPLE_SLOTS.update({
    "lang2": SIMPLE_SLOTS["lang"], "team2": SIMPLE_SLOTS["team"], "time2": _time,
    "sum": lambda r: f"{r.choice(['$', '£', '€'])}{r.randint(1, 40)},{r.randint(0, 999):03d}",
    "anniv": lambda r: r.choice(["25th", "40th", "50th", "60th", "65th"]),
    "quarter": lambda r: str(r.randint(1, 4)), "year2": lambda r: str(r.randint(1975, 2025)),
})

# ---------------------------------------------------------------------------------------------
# People and organisations of one document.


_NAME_RE = re.compile(r"^[^\W\d_]+(?:(?:[ '\-]|' )[^\W\d_]+)*$")


def _draw(rng, split, make, tries=60):
    """A name string from make() in the split's slice of names (see _test_only), or None."""
    for _ in range(tries):
        s = make()
        if s and _NAME_RE.match(s) and _test_only(s) == (split == "test"):
            return s
    return None


def _slice(names, split):
    return [n for n in names if _test_only(n) == (split == "test")]


class Person:
    """A person: name parts from one source, and lazily made contact details that stay the same
    for every mention in the document."""

    def __init__(self, ctx):
        rng, split = ctx.rng, ctx.split
        self.rng, self.split = rng, split
        for _ in range(20):
            if self._draw_name(ctx):
                break
        self.middle = None
        if self.middle_maker and rng.random() < 0.1:
            self.middle = _draw(rng, split, self.middle_maker)
            if self.middle in (self.first, self.last):
                self.middle = None
        origins, home = ORIGINS.get(self.group, (NER_ORIGINS, None))
        self.origin = rng.choice(origins)
        if home and rng.random() < 0.7:
            self.conv = home
        else:
            self.conv = rng.choices(list(CONVENTION_WEIGHTS),
                                    weights=list(CONVENTION_WEIGHTS.values()))[0]
        # Born 18-92 years before the reference day; the age stays consistent with it.
        age = rng.randint(18, 92)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        ref = pii_synth.REFERENCE_DAY
        year = ref.year - age - (1 if (month, day) > (ref.month, ref.day) else 0)
        self.age = age
        self.birth = (year, month, day)
        self.title = None
        self._address = self._phone = self._email = None

    def _draw_name(self, ctx):
        rng, split = ctx.rng, ctx.split
        ner = ctx.ner if split == "train" else None
        r = rng.random()
        self.middle_maker = None
        if ner and ner[0] and r < 0.15:
            fulls, firsts, lasts = ner  # training only, so only the training slice
            self.group, self.gender = "ner", None
            if rng.random() < 0.5:
                first, last = rng.choice(fulls)
                if _test_only(first) or _test_only(last):
                    return False
            else:
                first = _draw(rng, split, lambda: rng.choice(firsts))
                last = _draw(rng, split, lambda: rng.choice(lasts))
        elif r < 0.42:
            group = rng.choices(list(ROMANISED_WEIGHTS),
                                weights=list(ROMANISED_WEIGHTS.values()))[0]
            males, females, lasts = ([w.replace("_", " ") for w in x.split()]
                                     for x in ROMANISED[group])
            self.group, self.gender = "x_" + group, rng.choice("mf")
            # A small list may have no name in this split's slice: then another source.
            pool = _slice(males if self.gender == "m" else females, split)
            lasts = _slice(lasts, split)
            if not pool or not lasts:
                return False
            first, last = rng.choice(pool), rng.choice(lasts)
            self.middle_maker = lambda: rng.choice(pool)
        else:
            loc = rng.choices(list(NAME_LOCALES), weights=list(NAME_LOCALES.values()))[0]
            f = _faker(rng, loc)
            self.group = loc
            self.gender = rng.choice("mf") if loc in GENDERED else None
            if loc == "ja_JP":
                firstf = f.first_romanized_name_male if self.gender == "m" else \
                    f.first_romanized_name_female
                lastf = f.last_romanized_name
            else:
                firstf = {"m": f.first_name_male, "f": f.first_name_female,
                          None: f.first_name}[self.gender]
                lastf = f.last_name
            first = _draw(rng, split, firstf)
            last = _draw(rng, split, lastf)
            self.middle_maker = firstf
        if not first or not last or first == last:
            return False
        self.first, self.last = first, last
        return True

    def full(self):
        return " ".join(x for x in (self.first, self.middle, self.last) if x)

    def pronouns(self):
        return PRONOUNS[self.gender]

    def get_title(self):
        if self.title is None:
            rng = self.rng
            lang = self.group[:2]
            native = NATIVE_TITLES.get(lang, {}).get(self.gender)
            if native and rng.random() < 0.2:
                self.title = rng.choice(native)
            else:
                self.title = rng.choice(TITLES[self.gender])
        return self.title

    def address(self):
        if self._address is None:
            self._address = _make_address(self.rng, self.conv, self.split)
        return self._address

    def phone(self):
        if self._phone is None:
            country = self.conv
            other = PHONE_COUNTRY_OF_ORIGIN.get(self.group)
            if other and self.rng.random() < 0.6:
                country = other
            self._phone = _phone(self.rng, country, 0.04)
        return self._phone

    def email(self):
        if self._email is None:
            self._email = _email(self.rng, self.first, self.last, self.conv)
        return self._email


class Org:
    """An organisation: its name is not PII; its address, phone and e-mail are labelled like
    anyone's (as in pii_synth)."""

    def __init__(self, ctx):
        rng = ctx.rng
        self.rng, self.split = rng, ctx.split
        self.name = rng.choice(ORGS)
        slug = re.sub(r"[^a-z]", "", self.name.lower().replace("&", "and"))
        self.domain = slug + rng.choice([".com", ".co.uk", ".de", ".io", ".org", ".com"])
        self.conv = rng.choices(list(CONVENTION_WEIGHTS),
                                weights=list(CONVENTION_WEIGHTS.values()))[0]
        self._address = self._phone = None
        self.mail = rng.choice(["info", "support", "hello", "bookings", "contact", "service",
                                "accounts"]) + "@" + self.domain

    def address(self):
        if self._address is None:
            self._address = _make_address(self.rng, self.conv, self.split)
        return self._address

    def phone(self):
        if self._phone is None:
            self._phone = _phone(self.rng, self.conv, 0.25)
        return self._phone


DOB_FORMATS = ["%d %B %Y", "%B %d, %Y", "%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y",
               "-%d %B %Y", "%B -%d, %Y", "%d %b %Y", "ordinal"]


def _dob_text(rng, birth):
    import datetime
    d = datetime.date(*birth)
    fmt = rng.choice(DOB_FORMATS)
    if fmt == "ordinal":
        n = d.day
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix} of {d.strftime('%B %Y')}"
    if "-%d" in fmt:  # day without a leading zero
        return d.strftime(fmt.replace("-%d", str(d.day)))
    return d.strftime(fmt)


def _country_items(choice):
    """'the|United States' -> ['the ', Piece('United States', country)]."""
    if "|" in choice:
        article, name = choice.split("|")
        return [article + " ", Piece(name, LABELS_OF["country"])]
    return [Piece(choice, LABELS_OF["country"])]


class Ctx:
    """Everything one document draws from."""

    def __init__(self, rng, split, ner):
        self.rng, self.split, self.ner = rng, split, ner
        self.people = {}
        self.org = None
        self.phone_formats = []

    def person(self, key):
        if key not in self.people:
            # Two people of one document never share a given name: "Ana ... Ana" would make a
            # span's referent ambiguous.
            for _ in range(10):
                p = Person(self)
                if all(p.first != q.first and p.last != q.last for q in self.people.values()):
                    break
            self.people[key] = p
        return self.people[key]

    def get_org(self):
        if self.org is None:
            self.org = Org(self)
        return self.org

    def _phone_piece(self, fid_number):
        fid, number = fid_number
        self.phone_formats.append(fid)
        return Piece(number, LABELS_OF["phone_number"])

    def value(self, key, attr):
        """-> list of str (unlabelled text) and Piece (labelled value)."""
        rng = self.rng
        if key in SIMPLE_SLOTS and attr is None:
            return [SIMPLE_SLOTS[key](rng)]
        if key == "phone":
            country = rng.choices(list(PHONES_OF), k=1)[0]
            return [self._phone_piece(_phone(rng, country, 0.1))]
        if key == "O":
            o = self.get_org()
            if attr is None:
                return [o.name]
            if attr == "addr":
                return [_inline_address(rng, o.address())]
            if attr == "block":
                return [_block_address(o.address())]
            if attr == "phone":
                return [self._phone_piece(o.phone())]
            if attr == "email":
                return [Piece(o.mail, LABELS_OF["email"])]
            if attr == "street":
                return [Piece(o.address().street, LABELS_OF["street_address"])]
            raise KeyError(f"O.{attr}")
        p = self.person(key)
        he, him, his = p.pronouns()
        if attr is None:
            return [Piece(p.full(), LABELS_OF["full_name"])]
        if attr == "first":
            return [Piece(p.first, LABELS_OF["first_name"])]
        if attr == "last":
            return [Piece(p.last, LABELS_OF["last_name"])]
        if attr == "any":
            return self.value(key, rng.choice([None, "first"]))
        if attr == "t":
            return [p.get_title()]
        if attr == "phone":
            return [self._phone_piece(p.phone())]
        if attr == "email":
            return [Piece(p.email(), LABELS_OF["email"])]
        if attr == "dob":
            return [Piece(_dob_text(rng, p.birth), LABELS_OF["date_of_birth"])]
        if attr == "age":
            return [str(p.age)]
        a = p.address()
        if attr == "addr":
            return [_inline_address(rng, a)]
        if attr == "block":
            return [_block_address(a)]
        if attr == "street":
            return [Piece(a.street, LABELS_OF["street_address"])]
        if attr == "city":
            return [Piece(a.city, LABELS_OF["city"])]
        if attr == "zip":
            return [Piece(a.postcode, LABELS_OF["postal_code"])]
        if attr == "region":  # a country where the address has no region ("Leeds, England")
            if a.region_prose:
                return [Piece(a.region_prose, LABELS_OF["state_or_region"])]
            return [Piece(rng.choice(a.country_prose).split("|")[-1], LABELS_OF["country"])]
        if attr == "country":
            return _country_items(rng.choice(a.country_prose))
        if attr == "origin":
            return _country_items(p.origin)
        words = {"he": he, "him": him, "his": his, "He": he.capitalize(),
                 "His": his.capitalize(),
                 "hes": {"he": "he's", "she": "she's", "they": "they're"}[he],
                 "Hes": {"he": "He's", "she": "She's", "they": "They're"}[he],
                 "pron": f"{he}/{him}"}
        if attr in words:
            return [words[attr]]
        raise KeyError(f"{key}.{attr}")


# ---------------------------------------------------------------------------------------------
# Templates: "⟨a|b|c⟩" picks one alternative (innermost first), "{X}" / "{X.attr}" is a slot:
# X in P Q R S (people), O (an organisation), phone (anyone's number), a SIMPLE_SLOTS name, or
# "filler" (nothing, or an unlabelled sentence). "{X.sig}" is an e-mail signature of person X.

ALT = re.compile(r"⟨([^⟨⟩]*)⟩")
SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_]+))?\}")


def _expand(rng, template):
    while True:
        m = ALT.search(template)
        if not m:
            return template
        template = template[:m.start()] + rng.choice(m.group(1).split("|")) + \
            template[m.end():]


def _lower(s):
    """Lower case that keeps every index (a few characters lower to two code points)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


CHAT_WORDS = {"you": "u", "your": "ur", "are": "r", "please": "pls", "thanks": "thx",
              "because": "cuz", "tonight": "tonite", "i'm": "im", "don't": "dont",
              "okay": "ok", "people": "ppl", "tomorrow": "tmrw", "really": "rly",
              "what": "wat", "with": "w", "it's": "its", "that's": "thats", "see": "c"}


class Style:
    """How the literal text and the values of one document are written."""

    def __init__(self, rng, chat):
        self.rng, self.chat = rng, chat
        self.lower_names = chat and rng.random() < 0.7
        self.lower_values = chat and rng.random() < 0.4
        self.typo_rate = rng.choice([0.0, 0.03, 0.08]) if chat else 0.0
        self.abbrev = chat and rng.random() < 0.6

    def text(self, s):
        if not self.chat:
            return s
        rng = self.rng
        s = re.sub(r"[.,!?;:\"]", "", _lower(s))

        def word(m):
            w = m.group(0)
            if self.abbrev and w in CHAT_WORDS and rng.random() < 0.6:
                return CHAT_WORDS[w]
            if len(w) >= 4 and rng.random() < self.typo_rate:
                i = rng.randrange(1, len(w) - 1)
                kind = rng.randrange(3)
                if kind == 0:
                    return w[:i] + w[i + 1] + w[i] + w[i + 2:]
                if kind == 1:
                    return w[:i] + w[i + 1:]
                return w[:i] + w[i] + w[i:]
            return w
        return re.sub(r"[a-z']+", word, s)

    def piece(self, piece):
        names = {"person"} & set(piece.labels)
        if not self.chat or not (self.lower_names if names else self.lower_values):
            return piece
        return Piece(_lower(piece.text), piece.labels,
                     [(off, _lower(t), ls) for off, t, ls in piece.inner])


SIGNATURES = [
    "{X}\n{role}, {O}\n{X.phone}",
    "--\n{X}\n{role} | {O}\nMobile: {X.phone}\n{X.email}",
    "{X.first}\n\n{X} | {role}\nDirect: {X.phone}",
    "{X}\n{O}\n{O.addr}\nPhone {O.phone}",
    "{X.first}",
    "{X}\n{role}\nM {X.phone} | E {X.email}",
    "{X} ({X.pron})\n{role}, {O}",
    "{X}\n{X.email}",
]


def _render(ctx, template, style, fillers):
    rng = ctx.rng
    template = re.sub(r"\{filler\}",
                      lambda m: "" if rng.random() < 0.5 else " " + rng.choice(fillers),
                      template)
    template = re.sub(r"\{([PQRS])\.sig\}",
                      lambda m: rng.choice(SIGNATURES).replace("X", m.group(1)), template)
    text = _expand(rng, template)
    doc = Doc()
    pos = 0
    for m in SLOT.finditer(text):
        doc.add(style.text(text[pos:m.start()]))
        for item in ctx.value(m.group(1), m.group(2)):
            if isinstance(item, str):
                doc.add(_lower(item) if style.chat else item)
            else:
                doc.add(style.piece(item))
        pos = m.end()
    doc.add(style.text(text[pos:]))
    return doc


# Unlabelled sentences that {filler} may add (no PII; places, numbers and brands only).
FILLERS = [
    "The weather in {place} has been ⟨awful|glorious|strange⟩ all week.",
    "Prices at {O} went up by {pct} this spring.",
    "The trip to {place} is booked for {month}.",
    "We ordered {qty} of coffee for the office.",
    "The train to {place} leaves at {time}.",
    "⟨Our|The⟩ flight is {flight}, ⟨gate {room}|terminal {num}⟩.",
    "{team} ⟨won|lost|drew⟩ {score} on {weekday}.",
    "The new {product} cost {price}.",
    "There were {big} people at the festival in {place}.",
    "Page {page} of the report has the figures.",
    "⟨The parcel|Order {order}⟩ still hasn't arrived.",
    "⟨I|We⟩ finally finished {book}.",
    "The {place} office closes at {time} on {weekday}s.",
    "Rent went up {pct} in {year}.",
    "The {O} app crashed again after the update to version {version}.",
    "Tickets for the concert in {place} sold out in {num} minutes.",
    "The museum in {place} is free on the first {weekday} of the month.",
    "The bus from {place} was {num} minutes late.",
    "Apparently {place} had its hottest {month} on record.",
    "{O} is opening a new store near the station.",
    "Invoice {order} was paid on time.",
    "The lift on the {floor} floor is out of order again.",
    "We need {qty} of flour for the bake sale.",
    "Room {room} is booked until {time}.",
    "The {place} marathon had {big} runners this year.",
    "Flights to {land} are cheaper in {month}.",
    "Shares in {O} rose {pct} on {weekday}.",
    "The {place} office moved to the {floor} floor.",
    "⟨Someone|A neighbour⟩ left {num} boxes of apples by the door.",
    "The festival in {place} starts on {weekday} at {time}.",
]
# Styles whose documents may get unlabelled sentences before or after them (the others have a
# structure -- turns, a signature, a list -- that a loose sentence would break).
PADDED_STYLES = {"news", "story", "diary", "obituary", "intro", "social"}

STYLE_WEIGHTS = {"intro": 3, "dialogue": 2, "personal_letter": 1.5, "formal_letter": 2,
                 "news": 2, "review": 1.5, "chat": 3, "social": 1.5, "meeting_notes": 1,
                 "diary": 1, "story": 1.5, "support": 2, "obituary": 1, "email": 2}
CHAT_STYLES = {"chat"}

# Template families per style (index i is held out for test iff i % 4 == 3).
FAMILIES = {}
PLAIN = {}

FAMILIES["intro"] = [
    # 0
    "⟨Hi|Hello|Good morning⟩ everyone, my name is {P} and I ⟨work|volunteer⟩ at {O}. I have "
    "lived in {P.city} for {num} years⟨ now|⟩. ⟨Feel free to|You can⟩ ⟨email|write to⟩ me at "
    "{P.email}.",
    "I'm {P.first} from {P.city}⟨, {P.country}|⟩. I'm {P.age} and ⟨I study|I'm studying⟩ "
    "{subject} ⟨at the university here|online|part-time⟩. ⟨Nice to meet you all|Glad to be "
    "here|Looking forward to the course⟩!",
    "This is {P} speaking. ⟨I'm returning a call from|You left me a message on⟩ {weekday} "
    "⟨about the {product}|regarding my appointment⟩. ⟨You can reach me|Please call me back⟩ on "
    "{P.phone} ⟨after {time}|any time this afternoon|before {time}⟩.",
    # 3 (test)
    "Hey, call me {P.first}. ⟨Everyone does|Nobody uses my full name⟩, ⟨not even my boss|not "
    "even my mother⟩. ⟨Born and raised|Originally⟩ in {P.origin}, ⟨now|currently⟩ living in "
    "{P.city} with ⟨two cats|my partner|far too many plants⟩.",
    # 4
    "{P.first} here! ⟨New to the group|First time posting⟩. My surname is {P.last}, ⟨which "
    "nobody can spell|pronounced exactly as it's written⟩, and I moved to {P.city} in {year} "
    "⟨for work|to study|with my family⟩.",
    "Let me introduce myself: {P}, {P.age}, ⟨nurse|engineer|teacher|chef|student|translator⟩, "
    "⟨originally from|raised in⟩ {P.origin}. I speak {lang} and English, and I'm ⟨slowly|⟩ "
    "learning {lang2}.",
    "Good evening. My name is {P.t} {P.last}, and I'll be your ⟨guide|host|instructor⟩ "
    "⟨today|this week|for the evening⟩. ⟨Please|Do⟩ call me {P.first}. ⟨We leave from|We meet "
    "again at⟩ the ⟨main entrance|harbour gate|museum steps⟩ at {time}.",
    # 7 (test)
    "Hi all, I'm {P} ({P.pron}). I recently relocated to {P.city} ⟨from abroad|for work⟩ and "
    "⟨I'm looking for|would love⟩ ⟨a running group|book club recommendations|people to play "
    "chess with⟩. My email is {P.email} if you want to ⟨chat|connect⟩.",
    # 8
    "Hello, {P} ⟨here|speaking⟩, I've just joined as ⟨office manager|project lead|an "
    "intern|the new receptionist⟩. ⟨My desk is|You'll find me⟩ in room {room}, and I'm in "
    "⟨Monday to Thursday|most mornings⟩.",
    "The name's {P.last}. {P}. I run the ⟨bakery|bike shop|bookshop|hardware store⟩ on the "
    "corner and I've been here since {year}. ⟨If you need anything|Anything you need⟩, ⟨just "
    "knock|ring {P.phone}⟩.",
    "My name is {P.first}, I am {P.age} years old and I live ⟨with my family|alone|with my "
    "grandparents⟩ in {P.city}, {P.region}. ⟨My phone number is|You can text me on⟩ {P.phone}.",
    # 11 (test)
    "{P.first}? That's me. ⟨Well|Officially⟩, {P}, but only ⟨the bank|my grandmother|the tax "
    "office⟩ calls me that. I grew up in {P.city} and ⟨still live there|never really left⟩.",
    # 12
    "⟨Greetings|Hello there⟩ from {P.city}! I'm {P.first}, ⟨a retired|a part-time⟩ "
    "⟨postman|librarian|nurse|carpenter⟩ and ⟨proud grandparent|keen gardener⟩. My "
    "⟨wife|husband|partner⟩ {Q.first} talked me into joining.",
    "Short intro: I'm {P}, {role} at {O} in {place}. ⟨Before that|Previously⟩ I spent {num} "
    "years ⟨teaching|in sales|at sea⟩. ⟨Reach me|Find me⟩ at {P.email} or {P.phone}.",
    "⟨Hello|Hi⟩, this is {P.first} from {O}, I'm calling about your "
    "⟨appointment|delivery|application⟩ on {weekday}. ⟨Could you|Please⟩ call me back on "
    "{O.phone}? Thanks, bye.",
    # 15 (test)
    "Yo, name's {P.first}, {P.age}, ⟨gamer|skater|drummer⟩ from {P.city}. ⟨Add me|Hit me up⟩ "
    "if you ⟨play|want to jam⟩. Real name {P} but nobody uses it.",
    # 16
    "Good afternoon, I'm {P.t} {P}, and I'll be ⟨chairing|moderating⟩ today's panel. ⟨With "
    "me|Joining me⟩ are {Q} and {R}, ⟨both|who both⟩ ⟨travelled|flew in⟩ from {place}.",
    "Hi! My name is {P.first}.{filler} I'm {P.age}, I live in {P.country} and ⟨I love|I'm "
    "into⟩ ⟨hiking|baking|old films⟩. ⟨Write to me|Drop me a line⟩ at {P.email}.",
]
PLAIN["intro"] = [
    "Hi everyone! I'm new here and ⟨a bit shy|still figuring things out⟩. I visited {place} "
    "⟨in {month}|a while back⟩ and ⟨loved the food|still dream of the markets⟩. Looking "
    "forward to ⟨meeting you all|the next meetup⟩ on {weekday}.",
    "Good morning, I'm your ⟨driver|guide|host⟩ for today. We'll ⟨stop in|pass through⟩ "
    "{place} around {time}, and lunch is {price} per person. ⟨Any questions, just "
    "shout|Seatbelts on, please⟩.",
    "Introduce yourself ⟨below|in the comments⟩: nickname, favourite city and ⟨your favourite "
    "book|one fun fact⟩. ⟨I'll start|Mods first⟩: I have {num} ⟨cats|houseplants|bicycles⟩ "
    "and ⟨no free time|a very patient partner⟩.",
    # 3 (test)
    "Hey, new member here. Not sharing my name online, sorry. I collect ⟨vinyl|stamps|old "
    "cameras⟩ and ⟨just got back from|am planning a trip to⟩ {place}.",
    "Welcome to week {num} of the course! ⟨Today|This session⟩ we cover ⟨budgeting|public "
    "speaking|basic first aid⟩. The room is {room} and the break is at {time}.",
]

FAMILIES["dialogue"] = [
    # 0
    "A: Who did you ⟨talk to|meet⟩ at the ⟨conference|trade fair⟩ in {place}?\nB: Someone "
    "called {P}, from {O}.\nA: Did you get ⟨a number|contact details⟩?\nB: ⟨Yes|Yep⟩, "
    "{P.phone}. I'll ⟨send it over|forward it⟩.",
    "{P.first}: ⟨Are we still on for|Is it still⟩ {weekday}?\n{Q.first}: Yes! {time} at "
    "{venue}?\n{P.first}: Perfect. ⟨I'll bring|Bringing⟩ {R.first} too.\n{Q.first}: "
    "⟨Great|Lovely⟩, see you both.",
    "Interviewer: Could you state your name for the record?\n{P.t} {P.last}: {P}.\n"
    "Interviewer: And your current address?\n{P.t} {P.last}: {P.addr}.\nInterviewer: Thank "
    "you. Let's start with {weekday} evening.",
    # 3 (test)
    "Q: So how did you end up in {P.city}?\nA: My ⟨husband|partner|sister⟩ {Q.first} got a "
    "job there in {year}, and I followed.\nQ: And you still live there?\nA: ⟨Yes|Yep⟩, "
    "{P.street}, same ⟨flat|house⟩ ever since.",
    # 4
    "Caller: Hi, I'm trying to reach {P.t} {P.last}.\nReceptionist: {P.Hes} with a patient "
    "at the moment. Can I take a message?\nCaller: Please. It's {Q}⟨ again|⟩, on {Q.phone}.\n"
    "Receptionist: I'll pass it on.",
    "Mum: Did {P.first} ring you?\nMe: No, why?\nMum: {P.He} changed {P.his} number. It's "
    "{P.phone}.\nMe: ⟨Thanks|Ok⟩, saving it now.",
    "Officer: Name?\nDriver: {P}.\nOfficer: ⟨Date of birth|And your date of birth⟩?\nDriver: "
    "{P.dob}.\nOfficer: ⟨Current address|Where do you live⟩?\nDriver: {P.addr}.",
    # 7 (test)
    "{Q.first}: who's the new ⟨guy|one⟩ in accounts?\n{R.first}: {P}. Started {weekday}.\n"
    "{Q.first}: and where is {P.first} from?\n{R.first}: {P.origin}, I think. Lives in "
    "{P.city} now.",
    # 8
    "Host: Welcome back. ⟨My guest today|Joining me now⟩ is {P}, ⟨author of|who wrote⟩ "
    "{book}.\n{P.first}: Thanks for having me.\nHost: {P.first}, tell us about growing up in "
    "{P.city}.\n{P.first}: ⟨Oh, it was quiet|Well, it rained a lot⟩.",
    "Nurse: Can you confirm your full name and date of birth?\nPatient: {P}, {P.dob}.\n"
    "Nurse: And a contact number?\nPatient: {P.phone}.\nNurse: Thank you, ⟨take a seat|the "
    "doctor will call you⟩.",
    "Agent: ⟨Right|So⟩, the flat is at {P.addr}, {floor} floor.\nTenant: And the rent?\n"
    "Agent: {price} a month, bills ⟨included|not included⟩.\nTenant: Can I ⟨see it|view it⟩ "
    "on {weekday}?",
    # 11 (test)
    "A: Hey, do you have {P.first}'s new address?\nB: Sure, {P.addr}. {P.He} moved in "
    "⟨in March|a month ago⟩.\nA: Thanks, sending the invite today.",
    # 12
    "{P.t} {P.last}: ⟨Come in|Take a seat⟩. You must be {Q.first}.\n{Q.first}: Yes, {Q}. I "
    "applied for the {role} position.\n{P.t} {P.last}: ⟨Excellent|Good⟩. Tell me why {O}.",
    "Teacher: Who can tell me the capital of {land}?\n{P.first}: ⟨Me|Me, miss|Ooh, me⟩!\n"
    "Teacher: Go on, {P.first}.\n{P.first}: ⟨Is it|Erm⟩... ⟨I forgot|I know it starts with "
    "a B⟩.",
    "Judge: Please state your name.\nWitness: {P}.\nJudge: And where do you live, {P.t} "
    "{P.last}?\nWitness: In {P.city}, ⟨for twenty years|since {year}⟩.",
    # 15 (test)
    "Dispatcher: 911, what's your emergency?\nCaller: My neighbour ⟨fell|collapsed⟩! We're at "
    "{P.addr}.\nDispatcher: What's your name, ma'am?\nCaller: {P}. ⟨Please hurry|Please, "
    "quickly⟩.",
    # 16
    "Coach: Right, team sheet. {P.last} in goal, {Q.last} and {R.last} up front.\n{S.first}: "
    "And me, coach?\nCoach: Bench today, {S.first}. Kick-off at {time}.",
    "Grandma: Is that you, {P.first}?\n{P.first}: Yes, Gran. I'm calling from {Q.first}'s "
    "phone, mine is dead.\nGrandma: What's this number then?\n{P.first}: {Q.phone}. Keep it "
    "just in case.",
]
PLAIN["dialogue"] = [
    "A: Is the {place} train running on time?\nB: ⟨Delayed|Cancelled⟩ again, ⟨platform "
    "{num}|{num} minutes late⟩.\nA: Typical. I'll ⟨get a coffee|wait inside⟩.",
    "Customer: How much is the {product}?\nClerk: {price}, or {price2} ⟨with the "
    "warranty|for the bigger one⟩.\nCustomer: I'll take it, thanks.\nClerk: Receipt in the "
    "box?",
    "Q: What time does the museum in {place} close?\nA: At {time} ⟨on weekdays|except on "
    "{weekday}⟩.\nQ: And tickets?\nA: {price}, ⟨children free|students half price⟩.",
    # 3 (test)
    "A: hey did you see the match last night?\nB: {team} lost {score} again.\nA: "
    "unbelievable. maybe next season then.",
    "Pilot: ⟨Good morning|Good evening⟩, this is your captain speaking. We're cruising at "
    "{big} feet and expect to land in {place} at {time}.\nCrew: Cabin crew, prepare for "
    "landing.",
]

FAMILIES["personal_letter"] = [
    # 0
    "Dear {P.first},\n\nThank you so much for the ⟨lovely card|parcel|photos⟩. We ⟨miss "
    "you|think of you⟩ ⟨every day|often⟩ here in {Q.city}. {R.first} ⟨started school|turned "
    "{num}⟩ ⟨this month|in {month}⟩ and ⟨sends hugs|can't wait to see you⟩.\n\nWith love,\n"
    "{Q.first}",
    "Dearest {P.first},\n\nIt's been ages! I finally moved, so my new address is {Q.addr}. "
    "⟨Please|Do⟩ write to me there from now on. The ⟨garden|kitchen⟩ is tiny but ⟨I love "
    "it|it's mine⟩.\n\n⟨All my love|Love always|Hugs⟩,\n{Q.first}",
    "{P.first},\n\nI bumped into {R} at the ⟨market|station⟩ ⟨yesterday|on {weekday}⟩. Do "
    "you remember {R.him} from school? {R.He} asked for your number, so I passed on "
    "{P.phone}. Hope that's ok.\n\nYours,\n{Q.first}",
    # 3 (test)
    "Dear {P.t} {P.last},\n\nYou won't remember me, but you taught me ⟨piano|maths|French⟩ in "
    "{place} many years ago. I'm writing ⟨to say thank you|because I have just become a "
    "teacher myself⟩. If you'd like to reply, ⟨my address is|I now live at⟩ {Q.addr}.\n\n"
    "Warmly,\n{Q}",
    # 4
    "Dear Grandma,\n\nThe weather here in {P.city} is ⟨grey|lovely⟩ ⟨as usual|this month⟩. "
    "{Q.first} and I drove out to {place} ⟨at the weekend|on {weekday}⟩ and ⟨ate far too "
    "much|saw the old castle⟩. Give my love to {R.first}.\n\nLots of love,\n{P.first}",
    "To my dear friend {P.first},\n\n⟨Happy birthday!|Congratulations on the new job!⟩ "
    "{Q.first} told me you're moving to {P.city} in {month}. Send me your new address once "
    "you're settled, and ⟨we'll visit|I'll post your present⟩.\n\n⟨Fondly|Cheers|Love⟩,\n{R}",
    "Hi {P.first} and {Q.first},\n\nJust a note to say the ⟨wedding|baby⟩ photos are "
    "⟨gorgeous|wonderful⟩. ⟨Little|Baby⟩ {R.first} looks just like {Q.first}'s "
    "⟨dad|mother⟩! Call us when you can on {S.phone}.\n\nLove, {S.first} ⟨and the kids|& "
    "family⟩",
    # 7 (test)
    "Dear {P.first},\n\nI'm sorry I missed your ⟨party|call⟩. Things have been chaotic since "
    "we moved to {Q.city} last year. The kids ⟨love|finally like⟩ their new school. Phone me "
    "on {Q.phone} one evening?\n\nLove,\n{Q.first}",
    # 8
    "Dear Aunt {P.first},\n\nThank you ever so much for the {gift}. Mum says you've settled "
    "into a new place on {P.street}. Is it near the river? We hope to visit ⟨in "
    "{month}|soon⟩.\n\nLove from {Q.first}",
    "Dear {P.first},\n\nThis is {Q.first}, {R.first}'s ⟨daughter|son⟩. I'm sorting through "
    "the house and found your letters. {R.first} kept every one of them. If you would like "
    "them back, write to me at {Q.addr}.\n\nKind wishes,\n{Q}",
    "Hello {P.first}!\n\nGreetings from {place}! ⟨The hotel|The campsite⟩ is "
    "⟨noisy|perfect⟩ and ⟨{Q.first}|the dog⟩ ⟨got sunburnt|fell in the lake⟩ on day one. "
    "Back home in {Q.city} on {weekday}.\n\nX {Q.first}",
    # 11 (test)
    "My dear {P.first},\n\nYour grandfather and I are ⟨well|keeping busy⟩. The new "
    "neighbours, {R} and {S}, ⟨brought a cake|fixed our fence⟩. Our number has changed, it "
    "is now {Q.phone}.\n\nAll our love,\nGranny {Q.first}",
    # 12
    "Dear {P.first},\n\n⟨It was so good|How lovely it was⟩ to see you at {R.first}'s "
    "⟨wedding|christening⟩. As promised, here is my address: {Q.block}\n\nDo come and stay "
    "⟨any time|in {month}⟩.\n\nLove,\n{Q.first}",
    "{P.first}, my love,\n\nOnly {num} more days until you're back from {place}. {Q.first} "
    "asks about you every night. ⟨The house feels empty|The dog keeps waiting by the door⟩."
    "\n\nForever yours,\n{R.first}",
]
PLAIN["personal_letter"] = [
    "Dear friend,\n\nThe ⟨holidays|summer⟩ went by too fast. We spent {num} days in {place} "
    "and ⟨the kids|everyone⟩ loved the beach. ⟨Write soon|Hope you're well⟩.\n\nLove always",
    "Hello you,\n\n⟨Guess what|Good news⟩: I passed my driving test ⟨on the second try|at "
    "last⟩! We celebrated with ⟨cake|pizza⟩ and {num} ⟨friends|cousins⟩. Talk soon.",
    "Dear all,\n\nThank you for ⟨the flowers|your kind messages⟩ after the operation. I'm "
    "⟨home again|back on my feet⟩ and the nurse says another {num} weeks of rest. Much love.",
    # 3 (test)
    "To whoever finds this letter: I hid it in the {place} ⟨library|station⟩ in {year}. "
    "Whoever you are, I hope you're happy.",
]

FAMILIES["formal_letter"] = [
    # 0
    "{P.t} {P}\n{P.block}\n\nDear {P.t} {P.last},\n\nWe are writing to confirm that your "
    "⟨membership|policy|subscription⟩ has been renewed for another year. The annual fee of "
    "{price} will be ⟨collected|charged⟩ in {month}. If you have any questions, please call "
    "us on {O.phone}.\n\nYours sincerely,\n{Q}\n{role}, {O}",
    "{P}\n{P.block}\n\nOur reference: {order}\n\nDear {P.t} {P.last},\n\nThank you for "
    "letting us know about your move. Our records now show your address as {P.addr} and your "
    "telephone number as {P.phone}. You do not need to do anything else.\n\nKind regards,\n"
    "{Q}\n{O}",
    "{Q}\n{Q.block}\n\n{O}\n{O.block}\n\nDear Sir or Madam,\n\nI am writing to ⟨complain "
    "about|request a refund for⟩ the {product} delivered on {weekday} (order {order}). It "
    "⟨arrived damaged|stopped working after {num} days⟩. I would be grateful for a reply "
    "within {num2} days.\n\nYours faithfully,\n{Q}",
    # 3 (test)
    "{P.t} {P}\n{P.block}\n\nDear {P.t} {P.last},\n\nFurther to our telephone conversation, I "
    "enclose the ⟨signed contract|documents you requested⟩. Please return one copy to me at "
    "{Q.addr}, or email a scan to {Q.email}.\n\nWith kind regards,\n{Q}",
    # 4
    "To whom it may concern,\n\nI have known {P} ⟨for {num} years|since {year}⟩ as a "
    "colleague at {O}. {P.first} has always been ⟨reliable|thorough|a pleasure to work "
    "with⟩, and I recommend {P.him} without hesitation. I can be reached on {Q.phone} or at "
    "{Q.email}.\n\nSincerely,\n{Q.t} {Q}\n{role}",
    "Dear {P},\n\nThis letter is formal notice that the rent for {P.addr} will increase to "
    "{price} per month from {month}. The change reflects ⟨higher maintenance costs|the new "
    "insurance premium⟩.\n\nYours faithfully,\n{Q}\nfor {O}",
    "{P.t} {P}\n{P.block}\n\nDear Customer,\n\nWe noticed a change of address on your "
    "account. If you did not make this change, call us ⟨immediately|within {num} days⟩ on "
    "{O.phone}. ⟨For your security|To protect you⟩, we never request your "
    "⟨PIN|password⟩ by letter.\n\n{O} Customer Care",
    # 7 (test)
    "Dear {P.t} {P.last},\n\nWe are pleased to offer you the position of {role} at our "
    "{place} office, starting in {month}. You will report to {Q}. Please confirm by writing "
    "to {Q.email} within {num} days.\n\nYours sincerely,\n{R}\nHuman Resources, {O}",
    # 8
    "{P.t} {P}\n{P.block}\n\nDear {P.t} {P.last},\n\nYour appointment with Dr. {Q.last} is on "
    "{weekday} at {time} at our clinic, {O.addr}. ⟨If you cannot attend|To rebook⟩, call "
    "{O.phone}.\n\nYours sincerely,\nThe Appointments Team",
    "{O}\n{O.block}\n\n{P}\n{P.block}\n\nDear {P.first},\n\nWelcome to {O}! Your ⟨welcome "
    "pack|membership card⟩ is enclosed. Our front desk opens at {time} and can be reached on "
    "{O.phone}.\n\nBest wishes,\n{Q}",
    "Dear {P.t} {P.last},\n\nRe: ⟨Planning application|Parking permit⟩ for {P.addr}\n\nWe "
    "have ⟨approved|received⟩ your application and will write again within {num} working "
    "days. The fee of {price} ⟨has been paid|is now due⟩.\n\nYours sincerely,\n{Q}\n"
    "Planning Officer",
    # 11 (test)
    "{P}\n{P.block}\n\nDear {P.t} {P.last},\n\nYour new card will arrive within {num} days "
    "at the address above. Questions? Call {O.phone}, or write to {O.email}.\n\nSincerely,\n"
    "{Q}\n{role}, {O}",
    # 12
    "{O}\n{O.block}\n{O.phone}\n\n{P.t} {P}\n{P.block}\n\nDear {P.t} {P.last},\n\nThank you "
    "for your ⟨enquiry|order⟩ of {weekday}. ⟨Please find our quote enclosed|Your goods will "
    "ship within {num} days⟩.\n\nYours sincerely,\n{Q}",
    "Dear {P.t} {P.last},\n\nI am writing on behalf of my ⟨mother|father|client⟩, {Q}, "
    "of {Q.addr}, who ⟨has asked me|is unable⟩ to deal with the account. Please send all "
    "correspondence to me at {P.email}.\n\nYours faithfully,\n{P}",
    "{P}\n{P.block}\n\nDear Resident,\n\nWork on the ⟨water main|pavement⟩ outside your home "
    "starts on {weekday} and lasts about {num} days. For questions call {O.phone}.\n\n"
    "{O}",
    # 15 (test)
    "Dear {P.t} {P.last},\n\nWe have received your claim ({order}) for the ⟨storm|water⟩ "
    "damage at {P.addr}. An assessor, {Q}, will call you on {P.phone} to arrange a "
    "visit.\n\nKind regards,\n{O} Claims",
]
PLAIN["formal_letter"] = [
    "Dear Sir or Madam,\n\nI am writing ⟨regarding|about⟩ the ⟨planning application|road "
    "closure⟩ near {place} station. The proposed ⟨building|car park⟩ would add {num} "
    "⟨floors|spaces⟩ and ⟨block the light|increase traffic⟩.\n\nYours faithfully,\nA "
    "concerned resident",
    "Dear Customer,\n\nOur prices will change from {month}. The standard plan will cost "
    "{price} per month and the premium plan {price2}.\n\nKind regards,\nCustomer Services",
    "To whom it may concern,\n\nThis is to confirm that the ⟨meeting room|hall⟩ has been "
    "booked for {num} guests on {weekday} from {time}. The fee is {price}.\n\nRegards,\n"
    "The Events Team",
    # 3 (test)
    "Dear Members,\n\nThe annual general meeting will take place in {place} on {weekday} at "
    "{time}. Please bring your membership card.\n\nThe Committee",
]

FAMILIES["news"] = [
    # 0
    "Mayor {P} said on {weekday} that the city ⟨would spend|plans to invest⟩ {money} on "
    "⟨new bike lanes|school repairs|flood defences⟩. \"⟨We have listened|This is long "
    "overdue⟩,\" {P.last} told reporters ⟨outside City Hall|at a press conference⟩.",
    "{P}, {P.age}, of {P.city}, has been named the winner of the ⟨regional|national⟩ "
    "⟨baking|chess|poetry⟩ ⟨contest|championship⟩. {P.last} ⟨beat|edged out⟩ {num} other "
    "⟨finalists|entrants⟩ at the event in {place} on Saturday.",
    "Police in {place} are ⟨appealing for witnesses|searching for a driver⟩ after ⟨a "
    "collision|a break-in⟩ on {weekday} night. Anyone with information should call "
    "⟨Detective|Sergeant|Constable⟩ {P} on {P.phone}.",
    # 3 (test)
    "{O} has ⟨appointed|named⟩ {P} as its new chief executive, ⟨replacing|succeeding⟩ {Q}, "
    "who retires in {month}. {P.last}, who joined the company in {year}, said the priority "
    "was ⟨growth in {land}|cutting costs⟩.",
    # 4
    "A ⟨retired teacher|local nurse|grandparent⟩ from {P.city} has raised {sum} for ⟨the "
    "children's hospital|flood victims⟩ by ⟨walking|cycling⟩ {big} miles. {P} said the "
    "support had been ⟨overwhelming|amazing⟩.",
    "Firefighters were called to a house on {P.addr} late on {weekday}. The owner, {P}, "
    "⟨escaped unhurt|was treated for smoke inhalation⟩. ⟨A neighbour raised the "
    "alarm|Neighbours said the fire started in the kitchen⟩.",
    "{team} coach {P} praised ⟨the fans|the young players⟩ after the {score} ⟨win|draw⟩ in "
    "{place}. \"⟨We were unlucky|The lads gave everything|We'll take that⟩,\" {P.last} said.",
    # 7 (test)
    "Dr. {P}, a researcher at the University of {place}, presented a study on ⟨sleep|air "
    "pollution⟩ this week. Co-author {Q} said the findings surprised the team.",
    # 8
    "Judge {P} sentenced {Q}, {Q.age}, of {Q.city}, to {num} months in prison for "
    "⟨fraud|burglary|dangerous driving⟩. {Q.last} had ⟨admitted|denied⟩ the charges.",
    "A {P.city} couple, {P} and {Q}, ⟨celebrated|marked⟩ their {anniv} wedding anniversary "
    "⟨on {weekday}|this weekend⟩. They met ⟨at a dance|on a train⟩ in {place} in {year}.",
    "Speaking in parliament, Minister {P} ⟨announced|promised⟩ {money} for ⟨rural "
    "broadband|new hospitals⟩. Opposition leader {Q} called the plan \"⟨a gimmick|too little, "
    "too late⟩\", and {Q.last}'s party ⟨demanded|called for⟩ a vote.",
    # 11 (test)
    "Tributes have been paid to {P}, {P.age}, a ⟨postman|shopkeeper|lollipop lady⟩ from "
    "{P.city} who died on {weekday}. \"{P.first} knew everyone,\" said {Q}, a neighbour.",
    # 12
    "The ⟨award|prize⟩ for ⟨young scientist|volunteer⟩ of the year went to {P}, a "
    "⟨student|teenager⟩ from {P.city}, {P.region}. {P.first} built a ⟨water filter|solar "
    "charger⟩ costing just {price}.",
    "Police are concerned for {P}, {P.age}, who was last seen near {P.street} on {weekday}. "
    "Anyone who sees {P.first} should call {phone}.",
    "{P} ⟨scored twice|scored the winner⟩ as {team} beat {team2} {score}. Manager {Q.last} "
    "said {P.last} had been \"⟨outstanding|unplayable⟩\".",
    # 15 (test)
    "Residents of {P.city} will vote on {weekday} on the new ⟨stadium|bypass⟩. Local "
    "campaigner {P} ⟨called it a waste|welcomed the plan⟩; council leader {Q.last} declined "
    "to comment.",
    # 16
    "{P}, the ⟨chef|owner⟩ of {venue} in {place}, has won a Michelin star. \"⟨I still can't "
    "believe it|This is for my team⟩,\" said {P.first}, who opened the restaurant in {year}.",
    "A hiker from {P.city}, {P}, {P.age}, was ⟨rescued|airlifted⟩ after ⟨falling|getting "
    "lost⟩ near {place}. {P.last} thanked the rescue team.",
]
PLAIN["news"] = [
    "The council in {place} ⟨approved|rejected⟩ a {money} budget on {weekday}. The plan "
    "includes {num} new ⟨buses|homes|classrooms⟩ and ⟨a {pct} rise|a freeze⟩ in ⟨parking "
    "fees|council tax⟩.",
    "Shares in {O} ⟨rose|fell⟩ {pct} after the company reported ⟨record|weak⟩ sales of "
    "{money} for the ⟨quarter|year⟩. ⟨Analysts|Investors⟩ had expected ⟨more|less⟩.",
    "Heavy rain ⟨flooded|closed⟩ roads ⟨across|around⟩ {place} on {weekday}, and {num} "
    "flights were cancelled. Forecasters expect ⟨more storms|drier weather⟩ by {weekday}.",
    # 3 (test)
    "Tourist numbers in {place} ⟨hit a record|fell sharply⟩ in {year}, with {big} visitors in "
    "{month} alone, the tourism board said.",
    "{team} beat {team2} {score} in front of {big} fans in {place}. The result lifts them to "
    "⟨third|fifth|second⟩ in the table.",
]

FAMILIES["review"] = [
    # 0
    "⟨Fantastic|Great|Lovely⟩ ⟨dinner|lunch⟩ at {venue}! The {dish} was ⟨perfect|divine⟩ and "
    "our waiter, {P.first}, ⟨was so attentive|made great recommendations⟩. {price} for two "
    "⟨with wine|including dessert⟩. ⟨Will be back|Highly recommend⟩.\n— {Q}, {Q.city}",
    "Bought the {product} in {month}. ⟨Battery life|Build quality⟩ is "
    "⟨excellent|disappointing⟩, but the ⟨app|manual⟩ ⟨is confusing|could be better⟩. "
    "⟨4|3|5⟩ stars.\nReviewed by {P}⟨ from {P.city}|⟩",
    "Stayed {num} nights at {venue} in {place}. Room {room} ⟨had a view of|faced⟩ the "
    "⟨harbour|old town⟩. ⟨Special thanks to|Shout out to⟩ {P.first} at reception ⟨who "
    "upgraded us|for the restaurant tips⟩! – {Q.first}",
    # 3 (test)
    "{P.t} {P.last} from {O} ⟨fixed our boiler|repaired the roof⟩ ⟨in an hour|the same day⟩ "
    "and only charged {price}. Honest and tidy. Call {P.phone} and ask for {P.first}, you "
    "won't regret it.",
    # 4
    "⟨Terrible|Awful|Disappointing⟩ service. We waited {num} minutes and the manager, {P}, "
    "⟨didn't even apologise|blamed the kitchen⟩. ⟨Avoid|Never again⟩.\n{Q.first} from "
    "{Q.city}",
    "Dr. {P.last} has been our family ⟨doctor|dentist⟩ for {num} years: ⟨gentle|patient⟩ and "
    "⟨thorough|honest⟩. The ⟨practice|clinic⟩ is now at {O.addr}, ⟨parking is easy|close to "
    "the station⟩. Posted by {Q}",
    "Book review: {book} by {P} is ⟨a gripping|an uneven⟩ ⟨debut|novel⟩ set in {place}. The "
    "narrator, {R.first}, ⟨returns home|inherits a farm⟩ after ⟨a divorce|{num} years "
    "abroad⟩. Reviewed by {Q}.",
    # 7 (test)
    "Our tour guide {P.first} made the history of {place} come alive. The whole afternoon "
    "flew by! Booked through {O} for {price} each. Recommend asking for {P.first} by name. — "
    "{Q.first} & {R.first}",
    # 8
    "⟨Five stars|5/5⟩ for {P} and the team at {O}. Our move to {Q.city} went "
    "⟨smoothly|perfectly⟩ and nothing broke. – {Q}",
    "Honest review of {venue}: the {dish} was ⟨cold|bland⟩, the ⟨wine|coffee⟩ was "
    "⟨great|overpriced⟩ at {price}, and {P.first} behind the bar ⟨saved the evening|was "
    "lovely⟩. ⟨3|2⟩ stars. ({Q.first}, {Q.age})",
    "Highly recommend {P} as a ⟨piano|maths|driving⟩ teacher! My ⟨son|daughter⟩ {R.first} "
    "⟨passed|improved⟩ in {num} ⟨weeks|months⟩. {P.first} ⟨teaches from home|comes to you⟩ "
    "in {P.city}; ⟨text|call⟩ {P.phone}. — {Q.first}",
    # 11 (test)
    "Ordered a {product} from {O}. It ⟨arrived|came⟩ in {num} days and works fine, but the "
    "box said it was for {R} at a completely different address. Weird. — {Q}, {Q.country}",
    # 12
    "⟨Wonderful|Amazing⟩ ⟨wedding photographer|florist|caterer⟩! {P} ⟨understood exactly "
    "what we wanted|stayed calm all day⟩. Book {P.him} at {P.email} before {P.hes} fully "
    "booked. – {Q.first} and {R.first}",
    "The B&B run by {P.first} and {Q.first} in {place} is ⟨a gem|spotless⟩. Breakfast at "
    "{time}, homemade {dish} at night, {price} per room. Highly recommended.",
    "Cleaner {P.first} came ⟨every week|twice a month⟩ for {num} months: always on time, "
    "never missed a corner. Reach {P.him} on {P.phone}. — {Q}, {Q.city}",
    # 15 (test)
    "Mechanic review: {P} at {O} told me the truth about my car and saved me {price}. The "
    "garage is at {O.addr}. — {Q.first}",
]
PLAIN["review"] = [
    "⟨Nice|Cosy⟩ place but ⟨overpriced|too loud⟩. The {dish} was {price} and ⟨tiny|cold⟩. "
    "Service ⟨slow|friendly enough⟩. ⟨3|2⟩ stars.",
    "The {product} does what it says. Setup took {num} minutes, ⟨battery lasts|it runs⟩ "
    "about {num2} hours. Worth {price}? ⟨Probably|Just about⟩.",
    "Hotel near {place} station: clean rooms, ⟨thin walls|great breakfast⟩, {price} a night. "
    "Room {room} ⟨was quiet|faced the road⟩.",
    # 3 (test)
    "Hey, don't bother with the {product}. Mine broke after {num} weeks and the refund took "
    "a month.",
]

FAMILIES["chat"] = [
    # 0
    "omg {P.first} just texted\nparty moved to {Q.first}'s place\naddress is {Q.addr}",
    "can you send me {P.first}'s number? my phone got wiped\n{P.phone} i think\nthanks!!",
    "landed!! on the bus home to {P.city} now\ntell {Q.first} i'll be there by {time}",
    # 3 (test)
    "hey {P.first} did {Q.first} ever pay you back the {price}?\nno. classic {Q.first}",
    # 4
    "by the way my new number is {P.phone}, save it\nold one is dead\nit's {P.first} btw",
    "lol {P} from ⟨school|uni|work⟩ just ⟨followed|added⟩ me\nthe one who lives in "
    "{P.city}?\nyes that one",
    "wait is {P.first} the one who lives on {P.street}\nyes, next to the ⟨bakery|park⟩\nok "
    "see you there at {time}",
    # 7 (test)
    "plz tell {P.first} i said thx\nand that my email is {Q.email}\nsure",
    # 8
    "just met {P.first} from {P.city} at the ⟨gym|bar|bus stop⟩\nso nice\ngoing for "
    "⟨coffee|drinks⟩ {weekday}",
    "mum says {P.first} moved to {P.country}!!\nwhat?? when\n{month} apparently, new number "
    "is {P.phone}",
    "where are you\nstuck in traffic near {place}\n{Q.first} is waiting outside {venue}, "
    "call {Q.him} on {Q.phone}",
    # 11 (test)
    "yo its {P.first}, new phone\nwho's this?\n{P}, from {Q.first}'s ⟨party|wedding⟩ lol",
    # 12
    "did you get the parcel\nno, it went to {P.addr} again\nthat's your old place right\n"
    "yes!!",
    "good morning!! {P.first} and {Q.first} are coming for dinner {weekday}\nshould i make "
    "{dish}\nyes and buy wine",
    "is {P.last} your landlord too??\nyes why\n{P.last} wants {price} for the boiler, the "
    "number is {P.phone}",
    # 15 (test)
    "ok so {P.first} and {Q.first} broke up\nNO\nyes. {Q.first} is staying at {R.first}'s in "
    "{R.city} for now",
    # 16
    "pick me up? i'm at {P.first}'s\nwhere's that\n{P.addr}, the blue door",
    "u coming to {R.first}'s thing tonight\nmaybe, is {S.first} going\nyes with {P} lol",
]
PLAIN["chat"] = [
    "running late, the train is stuck outside {place}\nsave me a seat\nok will do",
    "anyone want pizza? {price} each\nme!\nme too, extra cheese",
    "that match {score} lol\nthe ref was blind\nnext week then",
    # 3 (test)
    "hey can't find my keys again\ncheck the fridge\nfound them. in the fridge",
    "meeting moved to {time}\nroom {room}\nok thanks, bringing snacks",
]

FAMILIES["social"] = [
    # 0
    "⟨Huge|Big⟩ congrats to {P} on finishing the {place} marathon in {duration}! ⟨So proud "
    "of you|Absolute legend⟩ #running",
    "LOST DOG in {P.city}! ⟨Brown|Black⟩ ⟨spaniel|terrier⟩ called {pet}, ⟨very friendly|a bit "
    "shy⟩. Last seen near {P.street} on {weekday}. If found please call {P.phone}. Thank "
    "you!!",
    "Happy birthday to my ⟨amazing|beautiful|favourite⟩ ⟨sister|brother|cousin|best friend⟩ "
    "{P.first}! ⟨Love you loads|Cheers to {num} more years⟩ ❤️",
    # 3 (test)
    "Selling my {product}, barely used, {price}. Pickup in {P.city} or DM. ⟨Serious buyers "
    "only|No time wasters⟩, text {P.phone}.",
    # 4
    "Thanks {P.first} and {Q.first} for ⟨an amazing weekend|hosting us⟩ in {place}! "
    "⟨Already miss you both|Best trip ever⟩ 🌊",
    "RIP {P}, the kindest ⟨neighbour|teacher|coach⟩ on our street. {P.first} taught half the "
    "kids in {P.city} ⟨to swim|to ride a bike⟩. Thinking of {Q.first} and the family.",
    "Just got the keys to our first home on {P.street}!! Housewarming {weekday} from {time}, "
    "message {Q.first} or me for details 🏡",
    # 7 (test)
    "PSA: someone calling themselves {P} is ⟨selling fake tickets|collecting fake donations⟩ "
    "around {place}. Do NOT send money to {P.email}. Please share.",
    # 8
    "Shoutout to {P.first} at the {place} branch of {O} for ⟨sorting out|fixing⟩ my "
    "⟨phone|laptop⟩ in ten minutes. ⟨Legend|Hero⟩!",
    "Proud ⟨mum|dad⟩ moment: {P.first} got into ⟨university|medical school|the orchestra⟩! "
    "So much hard work. ⟨Starts|Begins⟩ in {month} 🎓",
    "Does anyone in {P.city} know a good ⟨plumber|dentist|vet⟩? ⟨We just moved|New in "
    "town⟩ and ⟨the boiler died|our cat needs shots⟩. Thanks! {P.first}",
    # 11 (test)
    "Welcome to the world, {P}! Born {P.dob}, ⟨3.4 kg|7 lb 2 oz⟩ of pure joy. Mum and baby "
    "doing well 💕",
    # 12
    "Throwback to {year} with {P.first}, {Q.first} and {R.first} in {place}. ⟨Same "
    "faces|Less hair⟩, same jokes 😂",
    "FOUND: a wallet belonging to {P} on the {num} bus this morning. {P.first}, message me "
    "or collect it from {O.addr}.",
    "Our ⟨street party|bake sale⟩ raised {sum} for the school! Special thanks to {P} and "
    "{Q.first} who ⟨organised everything|baked {num} cakes⟩.",
    # 15 (test)
    "Moving day! Goodbye {place}, hello {P.city}. New address for the Christmas cards: "
    "{P.addr}",
    # 16
    "Congratulations {P.t} {P.last} on {anniv} ⟨years|birthday⟩! The whole of {Q.city} "
    "came out to celebrate, well, {Q.first} and I did.",
]
PLAIN["social"] = [
    "Sunset over {place} tonight 😍 no filter needed #travel",
    "Anyone else's ⟨train|bus⟩ cancelled again? {num} minutes on the platform in the rain.",
    "{team} {score}!!! What a game. Drinks are on me at {venue}.",
    # 3 (test)
    "Hot take: the {product} is overrated. {price} for that? Hey, prove me wrong.",
    "New recipe: {dish} in {num} minutes, feeds {num2}. Link in bio.",
]

FAMILIES["meeting_notes"] = [
    # 0
    "Meeting notes, {weekday}\nAttendees: {P}, {Q}, {R.first}\n- Budget for {year}: {money} "
    "approved\n- {Q.first} to ⟨send|circulate⟩ the draft by {weekday}\n- Next meeting in room "
    "{room} at {time}",
    "Action items:\n1. {P.first} to call the supplier in {place} about order {order}\n2. "
    "{Q.t} {Q.last} to ⟨review|sign off⟩ the contract\n3. Everyone to submit expenses by the "
    "end of the month",
    "Minutes of the ⟨residents'|tenants'⟩ association\nPresent: {P}, {Q}, {R}\nApologies: "
    "{S}\n{P.first} reported that the ⟨lift|boiler|entry phone⟩ at {P.street} ⟨is still "
    "broken|was repaired on {weekday}⟩. {Q.last} will write to the landlord.",
    # 3 (test)
    "Call with {O}\nTheir contact is {P} ({P.email}). They want ⟨a quote|the revised plan⟩ "
    "by {weekday}. Budget around {money}. {Q.first} to follow up.",
    # 4
    "Standup, {weekday}\n{P.first}: finished the ⟨migration|release⟩, version {version} is "
    "out\n{Q.first}: blocked on ⟨access|review⟩ from {R.first}\n{R.first}: ⟨out sick|on "
    "leave⟩ until {weekday}",
    "Interview notes: candidate {P}\nLives in {P.city}, available from {month}. "
    "⟨Strong|Weak⟩ on ⟨SQL|design|planning⟩, ⟨great|average⟩ communicator. References: {Q} "
    "({Q.phone}).",
    "Board meeting, Q{quarter} {year}\nChair: {P.t} {P}\n- Revenue {money} (up {pct})\n- "
    "{Q.last} presented the {place} expansion\n- Vote: {num} for, {num2} against",
    # 7 (test)
    "Notes from the ⟨PTA|club⟩ meeting\nTreasurer {P} reports {sum} in the account. {Q.first} "
    "volunteers for the raffle. Next time at {R.first}'s house, {R.addr}.",
    # 8
    "Parent-teacher meeting, {weekday}\nPupil: {P}\nTeacher: {Q.t} {Q.last}\n{P.first} "
    "⟨is doing well|needs support⟩ in {subject}. Parent contact: {R.phone}.",
    "Site visit, {weekday}\nAddress: {P.addr}\nOwner: {P}, on site from {time}.\nIssues: "
    "⟨damp in the cellar|cracked tiles|{num} broken windows⟩.\nQuote to follow from "
    "{Q.first}.",
    "Team lunch planning\n{P.first} books {venue} for {num} people, {weekday} at {time}.\n"
    "{Q.first} collects {price} each.\n{R} is vegetarian.",
    # 11 (test)
    "Retro, sprint {num}\nWent well: {P.first}'s demo, the {place} client call.\nTo improve: "
    "handover between {Q.first} and {R.first}.\nAction: {S} owns the checklist.",
    # 12
    "Committee meeting\nChair: {P}\nSecretary: {Q}\nThe hall on {O.street} is booked for "
    "{month}. {R.first} will collect {sum} in deposits.",
    "1:1 {P.first} / {Q.first}\n- {P.first} wants to move to the {place} team\n- ⟨Holiday|"
    "Leave⟩ approved for {month}\n- Follow-up in {num} weeks",
    "Handover notes\nPatient {P}, {P.age}, bed {room}. ⟨Stable overnight|Slept well⟩. "
    "Daughter {Q.first} visiting at {time}, her number is {Q.phone}.",
    # 15 (test)
    "Kick-off with {O}\nOn their side: {P} (lead) and {Q}. On ours: {R.first}.\nDeadline "
    "{month}, budget {money}.",
]
PLAIN["meeting_notes"] = [
    "Meeting notes, {weekday}\n- Budget for {year}: {money}\n- Office move to {place} "
    "⟨postponed|confirmed⟩\n- Next meeting in room {room} at {time}",
    "Action items\n1. Update the {product} manual to version {version}\n2. Order {qty} of "
    "paper\n3. Book the {place} venue for {month}",
    "Standup\n- release {version} is out\n- {num} bugs left, {num2} critical\n- demo at {time}",
    # 3 (test)
    "Minutes: quorum reached ({num} members). Motion to raise fees by {pct} passed. Meeting "
    "closed at {time}.",
]

FAMILIES["diary"] = [
    # 0
    "Dear diary, today {P.first} finally ⟨called|texted⟩ me back. We're meeting at {venue} "
    "on {weekday} at {time}. ⟨I'm so nervous|Fingers crossed⟩.",
    "{weekday}. ⟨Rain again|Sunny for once⟩. Walked to {Q.first}'s ⟨flat|house⟩ on "
    "{Q.street} and we ⟨baked bread|watched films⟩ ⟨all afternoon|until {time}⟩. Mum rang "
    "twice.",
    "Couldn't sleep. Kept thinking about what {P.t} {P.last} said ⟨at work|in the meeting⟩. "
    "{num} days until ⟨the holiday|my exam|the move⟩.",
    # 3 (test)
    "We moved to {P.city} today. The removal men were ⟨late|brilliant⟩ and {Q.first} cried "
    "when the van left. New neighbour {R.first} brought ⟨soup|flowers⟩.",
    # 4
    "Note to self: {P.first}'s ⟨birthday|anniversary⟩ is next week, ⟨buy|order⟩ a {gift}. "
    "Also ring {Q} back on {Q.phone} ⟨about the car|about the flat⟩.",
    "Long day. {P} from ⟨the bank|HR|the council⟩ ⟨called|emailed⟩ about ⟨the loan|my "
    "contract|the parking permit⟩. Need to send everything to {O.addr} by {weekday}.",
    "First night in the new place at {P.addr}. ⟨Boxes everywhere|No curtains yet⟩. "
    "{Q.first} fell asleep on the sofa at {time}.",
    # 7 (test)
    "{month}, {weekday}. Lunch with {P.first} and {P.his} sister {Q.first}. {Q.first} lives "
    "in {Q.city} now and works at {O}. I ate too much {dish}.",
    # 8
    "Grandpa {P.first} turned {P.age} today. We drove over to the house on {P.street} for "
    "the party; {Q.first} made {dish} and {R.first} ⟨cried|sang⟩.",
    "Met {P.first}'s parents at last. {P.first}'s dad, {Q}, would not stop talking about "
    "{team}. They live in {Q.city}, ⟨right by the sea|an hour from here⟩.",
    "{weekday}, {time}. On the train to {place} for the conference. The person next to me "
    "introduced themselves as {P.first} and ⟨works for {O}|sells solar panels⟩.",
    # 11 (test)
    "Last day of term. {P.t} {P.last} gave us all ⟨sweets|certificates⟩. {Q.first} is "
    "moving to {Q.country} in the summer and I will miss {Q.him} so much.",
    # 12
    "Tried the new ⟨yoga|pottery|salsa⟩ class. The teacher, {P.first}, ⟨is strict but "
    "funny|talks too much⟩. {price} a session. {Q.first} says we should go again.",
    "{weekday}. Rang the plumber, {P}, on {P.phone}. {P.first} can't come until {weekday}. "
    "Bucket under the sink again.",
    "Dreamt about {P.first} again, the ⟨boy|girl|kid⟩ from primary school who lived at "
    "{P.addr}. I wonder where {P.he} ended up.",
    # 15 (test)
    "Sorted out the address book today. {P} has a new number ({P.phone}) and {Q.first} "
    "finally has an email: {Q.email}.",
]
PLAIN["diary"] = [
    "{weekday}. ⟨Rain|Sun⟩ all day. Finished {book} and started ⟨knitting|a puzzle⟩. "
    "{num} pages to go.",
    "Gym at {time}, then groceries: {price} for ⟨three bags|almost nothing⟩. Bed early.",
    "Booked the trip to {place} for {month}! {price2} for the flights. Can't wait.",
    # 3 (test)
    "Nothing happened today. Tea, rain, {team} lost {score}. Tomorrow will be better.",
]

FAMILIES["story"] = [
    # 0
    "{P.first} had never seen the sea. The morning the letter arrived, {P.first} read it "
    "twice and ⟨put it away|laughed out loud⟩. It was signed ⟨simply|only⟩ {Q}, and it asked "
    "{P.him} to come to {place} ⟨before the winter|by the end of {month}⟩.",
    "\"You're late,\" said {P.first}. {Q.first} ⟨shrugged|sighed⟩ and sat down. \"The bus "
    "⟨broke down|never came⟩.\" \"It always does,\" said {P.first}, and poured the tea.",
    "Old {P.t} {P.last} lived alone at {P.addr}, and every ⟨morning|evening⟩ at {time} "
    "{P.he} ⟨fed the pigeons|walked to the post office⟩. Nobody on the street knew {P.his} "
    "first name was {P.first}.",
    # 3 (test)
    "The detective, {P}, studied the card: {Q}, {Q.phone}, and an address in {place} that "
    "no longer existed. \"Someone,\" {P.last} muttered, \"wants us looking the wrong way.\"",
    # 4
    "When {P} ⟨retired|turned {P.age}⟩, the first thing {P.first} did was ⟨sell the "
    "shop|buy a boat⟩ and settle in {P.city}. {Q.first}, the ⟨granddaughter|grandson|"
    "neighbour's kid⟩, ⟨visited every summer|wrote every week⟩.",
    "The phone rang at {time}. \"Is this {P.first}?\" a voice asked. \"Who's calling?\" \"My "
    "name is {Q}. I think I have your ⟨dog|wallet|suitcase⟩.\"",
    "{P.first} and {Q.first} met ⟨on a train to|at a wedding in⟩ {place}. {Q.first} wrote a "
    "number, {Q.phone}, on a napkin, and {P.first} kept it for {num} years.",
    # 7 (test)
    "Nobody in {P.city} remembered {P} until the ⟨painting|letter⟩ turned up at auction. Then "
    "everyone remembered: the red coat, the dog called {pet}, the house on {P.street}.",
    # 8
    "Everyone in the valley knew Doctor {P.last}. Half the babies born there since {year} "
    "had been delivered by {P.him}, and not one family had ever received a bill.",
    "The note on the door said: Back at {time}. {P}. {Q.first} waited on the step, "
    "⟨counting cars|reading the same page⟩, until the light went out across the street.",
    "{P.first} ⟨unfolded|smoothed⟩ the map. \"The farm is here, past {place}.\" {Q.first} "
    "frowned. \"And {R.first}?\" \"{R.first} stays with {S.first}. It's safer.\"",
    # 11 (test)
    "Last year, on the night of the storm, {P.first} knocked on our door at {P.addr}... no, "
    "that was the year before. {Q.first} always corrects me.",
    # 12
    "They called her the Queen of {place}, but her name was {P}, and she sold ⟨fish|flowers⟩ "
    "at the market for {num} years. {Q.first} ⟨inherited|took over⟩ the stall.",
    "\"State your name,\" said the guard. \"{P},\" said {P.first}. \"And your business in "
    "{place}?\" \"Visiting my ⟨brother|sister⟩, {Q}.\"",
    "{P.first} kept only one letter.{filler} It was from {Q}, and on the back was the return "
    "address:\n{Q.block}\n{P.first} read it until the paper went soft.",
    # 15 (test)
    "Captain {P.last} stood on the deck. \"{Q.first}, take the wheel.\" {Q.last} hesitated "
    "only a moment before {Q.first} obeyed.",
]
PLAIN["story"] = [
    "The old man ⟨fed the pigeons|watched the trains⟩ every morning at {time}. Nobody knew "
    "where he came from, and he never said.",
    "Rain fell on {place} for {num} days. On the {num2}th, the river rose over the bridge "
    "and the bakery ⟨closed|gave away all its bread⟩.",
    "The key didn't fit. She tried it again, then turned and walked back down the {num} "
    "steps into the street.",
    # 3 (test)
    "The ship left {place} at dawn with {big} passengers and {qty} of flour, and it was "
    "never seen again.",
]

FAMILIES["support"] = [
    # 0
    "Agent: Thank you for calling {O}, my name is {P.first}. How can I help you today?\n"
    "Customer: Hi, my parcel never arrived. Order {order}.\nAgent: I'm sorry about that. Can "
    "I have the name on the account?\nCustomer: {Q}.\nAgent: And the delivery address?\n"
    "Customer: {Q.addr}.",
    "[{time}] {O} Support: Hi, you're chatting with {P.first}. What can I do for you?\n"
    "[{time}] You: I need to update my phone number.\n[{time}] {O} Support: Sure. What's the "
    "new number?\n[{time}] You: {Q.phone}",
    "Agent: For security, can you confirm your date of birth?\nCaller: {P.dob}.\nAgent: "
    "Thank you, {P.t} {P.last}. And the first line of your address?\nCaller: {P.street}.\n"
    "Agent: Great, you're verified.",
    # 3 (test)
    "Bot: Hi! What's your name?\nUser: {P.first}\nBot: Thanks {P.first}! What's the email "
    "on your account?\nUser: {P.email}\nBot: Got it. An agent will join shortly.",
    # 4
    "Customer: I'm calling on behalf of my ⟨mother|father⟩, {P}. Phone calls are hard "
    "for {P.him} these days.\nAgent: No problem. Is {P.first} the account holder?\nCustomer: "
    "Yes. Please send letters to {P.addr}.",
    "Agent ({P.first}): ⟨Hello|Good afternoon⟩, {O} ⟨billing|accounts⟩, how can I help?\n"
    "Customer: Hi, this is {Q}. I was charged {price} twice.\nAgent ({P.first}): I can see "
    "that, {Q.t} {Q.last}. I'll refund it today.",
    "Ticket {order}\nFrom: {P}\nMessage: my {product} arrived broken. please call me on "
    "{P.phone} or reply to {P.email}. I live at {P.addr}, please send the courier there.",
    # 7 (test)
    "Agent: I'll transfer you to my colleague {Q.first} in ⟨billing|returns⟩.\n{Q.first}: "
    "Hi, {Q.first} here. Who am I speaking with?\nCaller: {P}, account {order}.\n"
    "{Q.first}: Thanks, {P.first}, one moment.",
    # 8
    "Caller: My name's {P.first}, I'm ringing about the ⟨boiler|leak⟩ at my flat.\nAgent: "
    "What's the address, {P.first}?\nCaller: {P.addr}.\nAgent: We'll send an engineer on "
    "{weekday} between {time} and {time2}.",
    "You: Hi, can you change the delivery name to {P}?\n{O}: Of course. Is the address "
    "still {P.addr}?\nYou: Yes, and the phone is {P.phone}.\n{O}: Done! Anything else?",
    "Agent: Is there a number we can reach you on if we get cut off?\nCaller: ⟨My "
    "mobile|My cell|The landline⟩, {P.phone}.\nAgent: Thanks, {P.first}. And your postcode?\n"
    "Caller: {P.zip}.",
    # 11 (test)
    "Customer: The courier left my parcel with someone called {R}.\nAgent: I see it was "
    "signed for at {P.addr}. Is that your address, {P.t} {P.last}?\nCustomer: No, mine is "
    "{P.street}!",
    # 12
    "Live chat\n{P.first} (agent): Thanks for waiting! Could I take your full name?\nGuest: "
    "{Q}\n{P.first} (agent): And the postcode of the billing property?\nGuest: {Q.zip}",
    "Agent: You're through to {O}, this is {P}.\nCaller: Hello, I'm phoning for my "
    "neighbour, {Q}. {Q.first} is in hospital and the ⟨heating|internet⟩ is off.\nAgent: "
    "Let's sort that out.",
    "Email to support\nHello, I moved from {P.street} to {P.addr}, please update my account "
    "and send the new card there. Thanks, {P}",
    # 15 (test)
    "Agent: Could you spell your last name?\nCaller: {P.last}. First name {P.first}.\n"
    "Agent: Thank you. And a number in case we're cut off?\nCaller: {P.phone}.",
    # 16
    "Operator: Taxi to where?\nCaller: {P.addr}, please.\nOperator: Name for the "
    "booking?\nCaller: {P.first}. Number {P.phone}.\nOperator: Car in {num} minutes.",
]
PLAIN["support"] = [
    "Agent: Thank you for calling, how can I help?\nCustomer: My {product} won't turn on.\n"
    "Agent: Have you tried holding the button for {num} seconds?\nCustomer: Oh. It works now.",
    "Bot: Order {order} is out for delivery and should arrive by {time}.\nUser: great "
    "thanks\nBot: Anything else?",
    "Customer: I was charged {price} instead of {price2}.\nAgent: I'm sorry, I've refunded "
    "the difference; it takes {num} days.",
    # 3 (test)
    "Agent: Your ticket {order} is closed. Please rate our service from 1 to {num}.\nUser: "
    "{num2}",
]

FAMILIES["obituary"] = [
    # 0
    "{P}, a ⟨beloved|devoted⟩ ⟨parent|teacher|friend⟩, passed away peacefully on {weekday} "
    "at the age of {P.age}. Born on {P.dob}, {P.first} spent ⟨{num} years|most of a "
    "lifetime⟩ ⟨working as a nurse|running the family farm⟩. {P.first} is survived by {Q} "
    "and {R}.",
    "{P} (born {P.dob}) is ⟨an architect|a novelist|a cellist|a chef⟩ based in {P.city}. "
    "{P.last} studied {subject} and has ⟨published|written⟩ {num} books.",
    "About the speaker: {P.t} {P} leads the ⟨data|design|research⟩ team at {O}. Before that, "
    "{P.last} spent {num} years in {place} working on ⟨climate models|payment systems⟩. "
    "Contact: {P.email}",
    # 3 (test)
    "In loving memory of {P}, who ⟨died|passed away⟩ at home in {P.city} on {weekday}, aged "
    "{P.age}. Loving ⟨husband|wife|partner⟩ of {Q}. No flowers, please.",
    # 4
    "{P} was born on {P.dob} and grew up in {P.city}, where {P.he} ⟨learned to sail|worked "
    "in {P.his} parents' shop⟩. After {num} years at {O}, {P.last} retired in {year}.",
    "Funeral notice: {P}, late of {P.addr}, died ⟨peacefully|suddenly⟩ aged {P.age}. Service "
    "at the ⟨crematorium|parish church|chapel⟩ on {weekday} at {time}. Enquiries to {Q} on "
    "{Q.phone}.",
    "Author bio: {P} grew up in {P.origin} and now lives in {P.city} with {P.his} "
    "⟨partner|family|two dogs⟩. {book} is {P.his} ⟨first|third⟩ novel.",
    # 7 (test)
    "Staff profile: {P}, {role}. {P.first} joined {O} in {year} and looks after our clients "
    "in {place}. Direct line: {P.phone}.",
    # 8
    "{P}, who was born on {P.dob}, celebrated another birthday ⟨with|surrounded by⟩ {num} "
    "grandchildren at home in {P.city}. {P.first} credits ⟨daily walks|a glass of wine⟩.",
    "Remembering {P.first}: the ⟨funniest|kindest⟩ person I knew. We shared a flat on "
    "{P.street} ⟨in our twenties|for {num} years⟩, and {P.first} never once ⟨paid the gas "
    "bill|did the dishes⟩. Rest easy, {P.last}.",
    "{P.t} {P} ({P.age}) is the new head of {subject} at {O}. {P.last} ⟨previously "
    "taught|spent a decade⟩ in {place} and lives in {P.city}.",
    # 11 (test)
    "Our founder, {P}, started {O} in a garage in {P.city} in {year} with {sum} and a "
    "borrowed van. Today the company employs {big} people.",
    # 12
    "{P} ({P.dob} – {month} {year}) ⟨taught music|ran the village shop⟩ for {num} years. "
    "{P.first} leaves {Q}, {R.first} and {S.first}.",
    "Meet our volunteer of the month: {P.first}!{filler} {P.first} has ⟨driven|walked⟩ "
    "{big} miles for the ⟨food bank|hospice⟩. Want to join {P.him}? Email {O.email}.",
    "Conference bio: {P} is ⟨a professor|an engineer|a designer⟩ at {O}. Originally from "
    "{P.origin}, {P.first} now lives in {P.region}.",
    # 15 (test)
    "With great sadness we announce the death of {P} of {P.city}, beloved ⟨mother|father⟩ "
    "of {Q.first} and {R.first}. Born {P.dob}. Forever missed.",
]
PLAIN["obituary"] = [
    "The company was founded in {year} in {place} and now has {big} employees in {num} "
    "countries.",
    "A memorial service will be held at the ⟨chapel|town hall⟩ on {weekday} at {time}. "
    "Donations to the hospice in lieu of flowers.",
    "The festival, first held in {place} in {year}, ⟨draws|attracts⟩ {big} visitors every "
    "{month}.",
    # 3 (test)
    "Founded in {year}, the choir has performed in {place}, {place2} and {num} other cities.",
]

FAMILIES["email"] = [
    # 0
    "Hi {P.first},\n\nThanks for the ⟨workshop|call⟩ yesterday. As promised, I'm attaching "
    "the slides. {R.first} will send the invoice ⟨next week|on {weekday}⟩.\n\nBest,\n{Q.sig}",
    "Hello {P.t} {P.last},\n\nI hope you're well. Just confirming our meeting on {weekday} "
    "at {time} at our office, {O.addr}. ⟨If anything changes|If you're running late⟩, call "
    "me on {Q.phone}.\n\nKind regards,\n{Q.sig}",
    "Dear all,\n\nPlease welcome {P}, who joins us as {role} from {month}. {P.first} will "
    "sit in room {room}; {P.his} email is {P.email}.\n\nThanks,\n{Q.sig}",
    # 3 (test)
    "Hi {P.first},\n\nQuick question about the {place} project: can {Q} join the call? "
    "{Q.first}'s number is {Q.phone}.\n\nCheers,\n{R.sig}",
    # 4
    "Hi team,\n\n{P.first} is off sick today, so {Q.first} will cover the {time} call. "
    "Customers can reach the desk on {O.phone}.\n\nThanks,\n{R.first}",
    "Hi {P.first},\n\nGreat to meet you at the ⟨fair|conference⟩ in {place}! As discussed, my "
    "colleague {Q} handles ⟨partnerships|orders⟩ in your region. {Q.first}'s email is "
    "{Q.email}.\n\nCheers,\n{R.sig}",
    "Dear {P.first},\n\nYour order {order} has shipped to {P.addr}. ⟨Questions?|Need help?⟩ "
    "Reply to this email or call {O.phone}.\n\nThe {O} team",
    # 7 (test)
    "Hi {P.first},\n\nI'm out of the office until {weekday}. For urgent matters please "
    "contact {Q} on {Q.phone} or {Q.email}.\n\n{P.sig}",
    # 8
    "Hi {P.first},\n\nJust a reminder that the ⟨rent|deposit⟩ of {price} is due on "
    "{weekday}. Details are in the lease. Any problems, ring me on {Q.phone}.\n\n{Q}",
    "Hello,\n\nI'm {P}, ⟨a freelance|an independent⟩ ⟨designer|translator|photographer⟩ "
    "based in {P.city}. I'd love to ⟨work with|pitch an idea to⟩ {O}. ⟨My portfolio is "
    "attached|Samples attached⟩.\n\nBest wishes,\n{P.sig}",
    "Hi {P.first},\n\nFYI {Q} from {O} rang while you were out. {Q.first} wants you to call "
    "back on {Q.phone} before {time}.\n\n{R.first}",
    # 11 (test)
    "Dear {P.t} {P.last},\n\nThank you for your application. We'd like to invite you to an "
    "interview on {weekday} at {time} at {O.addr}. Please ask for {Q} at reception.\n\n"
    "{Q.sig}",
    # 12
    "Hi {P.first} and {Q.first},\n\nLovely to see you both. Here's the address for the "
    "party: {R.addr}. Parking on the street after {time}.\n\nSee you,\n{R.first}",
    "Dear {P},\n\nYour booking at {venue} in {place} is confirmed for {num} guests on "
    "{weekday}. The guest phone on file is {P.phone}.\n\nKind regards,\n{O}",
    "Hi {P.first},\n\nMy new address, for the records: {Q.block}\n\nAnd my mobile is now "
    "{Q.phone}.\n\nThanks,\n{Q.first}",
    # 15 (test)
    "Hi {P.first},\n\nForwarding this from {Q}: the invoice should go to {O.block}\n\nRegards,"
    "\n{R.sig}",
]
PLAIN["email"] = [
    "Hi all,\n\nThe office will be closed on {weekday} for maintenance. The {place} branch "
    "stays open until {time}.\n\nThanks",
    "Hello,\n\nAttached is invoice {order} for {price}. Payment is due within {num} days.\n\n"
    "Accounts Team",
    "Hi team,\n\nRelease {version} goes out at {time}. {num} fixes, {num2} new features.\n\n"
    "Cheers",
    # 3 (test)
    "Hi,\n\nReminder: the {place} offsite is on {weekday}. Bus leaves at {time}, bring "
    "snacks for {num} people.\n\nThanks",
]


# ---------------------------------------------------------------------------------------------
# Documents.

STYLES = list(STYLE_WEIGHTS)


def _allowed(n, split):
    """Family indices of `split` among n families."""
    hold = pii_synth.HOLDOUT_EVERY
    return [i for i in range(n) if (i % hold == hold - 1) == (split == "test")]


def _problem(rec, split):
    """Why a generated document is unusable, or None."""
    from spanguard_reference.words import apply_end_of_text_rule, split_words
    text = rec["text"]
    if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
        return "length"
    words = split_words(apply_end_of_text_rule(text))
    starts = {w.start: i for i, w in enumerate(words)}
    ends = {w.end: i for i, w in enumerate(words)}
    for s, e, label in rec["entities"]:
        span = text[s:e]
        if s not in starts or e not in ends:
            return "boundary"
        if ends[e] - starts[s] + 1 > MAX_WIDTH:
            return "width"
        if span != span.strip() or "\n" in span or not span[-1].isalnum():
            return "edge"
        if not (span[0].isalnum() or (label == "phone_number" and span[0] in "+(")):
            return "edge"
    if split == "train" and holdout.cue_regex().search(text):
        return "held-out cue"
    return None


def _make(rng, split, ner):
    style = rng.choices(STYLES, weights=[STYLE_WEIGHTS[s] for s in STYLES])[0]
    plain = rng.random() < P_PLAIN
    families = (PLAIN if plain else FAMILIES)[style]
    idx = rng.choice(_allowed(len(families), split))
    for _ in range(30):
        template = families[idx]
        if style in PADDED_STYLES:
            if rng.random() < 0.15:
                template = rng.choice(FILLERS) + " " + template
            if rng.random() < 0.3:
                template += "".join(" " + rng.choice(FILLERS) for _ in range(rng.randint(1, 3)))
        ctx = Ctx(rng, split, ner)
        doc = _render(ctx, template, Style(rng, style in CHAT_STYLES), FILLERS)
        spans = sorted({(s, e, l) for s, e, l in doc.spans})
        first = next(iter(ctx.people.values()), None)
        rec = {"text": doc.text, "entities": [list(x) for x in spans],
               "shape": "prose:" + style, "family": f"{style}/{'n' if plain else ''}{idx}",
               "locale": first.group if first else "none"}
        if _problem(rec, split) is None:
            return rec
    return None


def make_documents(n, seed, split, shared="/work/shared"):
    """n prose documents of `split` ("train" or "test"), deterministic for `seed`. `shared` is
    where the NER sets that supply extra training names are (skipped when absent)."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be train or test, not {split!r}")
    rng = random.Random(seed)
    ner = _ner_names(shared) if split == "train" else None
    out = []
    while len(out) < n:
        rec = _make(rng, split, ner)
        if rec is not None:
            out.append(rec)
    return out
