#!/usr/bin/python3
"""Generate catalogs/nist-ai-rmf-1.0.json and catalogs/eu-ai-act-2024.json.

Usage: scripts/gen-catalogs.py REFERENCE_DIR [OUTPUT_DIR]

A maintainer's tool, not part of the build: the catalogs it writes are
committed. REFERENCE_DIR is required (there is deliberately no default
outside the repository; `make lint` checks that nothing in the build, the
tests, the demo or the benchmarks names a folder outside it) and must hold
nist-ai-rmf-1.0/ai-rmf-1.0-subcategories.csv, eu-ai-act/ai-act-articles.csv
and eu-ai-act/ai-act-annexes.csv (the Cloud Security Alliance public
dataset, see that folder's README).
OUTPUT_DIR defaults to catalogs/ in the repository root.

Standard library only. The output is deterministic: running the script twice
on the same input gives byte-identical files. Every correction applied to the
source text is listed in the catalog's "notes".
"""

import csv
import json
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(msg):
    sys.stderr.write("gen-catalogs: %s\n" % msg)
    sys.exit(1)


def read_csv(path):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        fail("cannot read %s: %s" % (path, e))


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def squash(s):
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------- NIST AI RMF

NIST_FUNCTIONS = [
    ("GOVERN", "Govern",
     "Build and sustain an organizational culture, structures, policies and "
     "accountability for managing AI risk; it underpins and runs across the "
     "other three functions."),
    ("MAP", "Map",
     "Establish the context of an AI system: its purpose, users, setting, "
     "capabilities, limits and the people it may affect, so that its risks "
     "and benefits can be identified."),
    ("MEASURE", "Measure",
     "Analyse, assess, benchmark and monitor AI risks and trustworthiness "
     "characteristics with quantitative, qualitative or mixed methods, and "
     "record the results."),
    ("MANAGE", "Manage",
     "Prioritise identified risks and act on them: decide on treatments, "
     "allocate resources, respond to and recover from incidents, and "
     "communicate, over the whole life of the system."),
]

NIST_EXPECTED = {"GOVERN": (6, 19), "MAP": (5, 18), "MEASURE": (4, 22),
                 "MANAGE": (4, 13)}

# Text missing or truncated in the CSA extraction, restored from NIST AI 100-1
# (the AI RMF Core tables; the same wording appears in NIST's AI RMF to
# ISO/IEC 42001 crosswalk kept beside the CSV).
NIST_MISSING_SUBCATEGORY = {
    "GOVERN 6.2": "Contingency processes are in place to handle failures or "
                  "incidents in third-party data or AI systems deemed to be "
                  "high-risk.",
    "MAP 4.2": "Internal risk controls for components of the AI system, "
               "including third-party AI technologies, are identified and "
               "documented.",
    "MAP 5.1": "Likelihood and magnitude of each identified impact (both "
               "potentially beneficial and harmful) based on expected use, "
               "past uses of AI systems in similar contexts, public incident "
               "reports, feedback from those external to the team that "
               "developed or deployed the AI system, or other data are "
               "identified and documented.",
    "MEASURE 3.2": "Risk tracking approaches are considered for settings "
                   "where AI risks are difficult to assess using currently "
                   "available measurement techniques or where metrics are "
                   "not yet available.",
    "MANAGE 1.1": "A determination is made as to whether the AI system "
                  "achieves its intended purposes and stated objectives and "
                  "whether its development or deployment should proceed.",
}
NIST_CATEGORY_FIX = {
    ("GOVERN 4", "Organizational teams are committed to a culture"):
        "Organizational teams are committed to a culture that considers and "
        "communicates AI risk",
}
NIST_WORD_FIX = {
    "contextspecific": "context-specific",
    "contextrelevant": "context-relevant",
}


def nist_clean(text):
    text = squash(text)
    for bad, good in NIST_WORD_FIX.items():
        text = text.replace(bad, good)
    # The source uses spaced en dashes for parenthetical phrases; the
    # extraction turned them into spaced hyphens.
    text = text.replace(" - ", " \u2013 ")
    return text


def build_nist(ref):
    path = os.path.join(ref, "nist-ai-rmf-1.0", "ai-rmf-1.0-subcategories.csv")
    rows = read_csv(path)
    if len(rows) != 72:
        fail("%s: expected 72 rows, found %d" % (path, len(rows)))
    restored, word_fixes = [], set()
    cats = {}      # category id -> text
    subs = {}      # category id -> [(id, text)]
    order = []     # category ids in order of appearance
    for r in rows:
        sid = r["subcategory_id"].strip()
        cid = r["category_id"].strip()
        m = re.fullmatch(r"(GOVERN|MAP|MEASURE|MANAGE) (\d+)\.(\d+)", sid)
        if not m or cid != "%s %s" % (m.group(1), m.group(2)):
            fail("bad identifiers %r / %r" % (sid, cid))
        if r["function"].strip().upper() != m.group(1):
            fail("%s: function %r does not match" % (sid, r["function"]))
        desc = squash(r["description"])
        if not desc:
            if sid not in NIST_MISSING_SUBCATEGORY:
                fail("%s: empty description and no restoration known" % sid)
            desc = NIST_MISSING_SUBCATEGORY[sid]
            restored.append(sid)
        for bad in NIST_WORD_FIX:
            if bad in desc:
                word_fixes.add(bad)
        ctext = squash(r["category_text"])
        ctext = NIST_CATEGORY_FIX.get((cid, ctext), ctext)
        if cid not in cats:
            cats[cid] = ctext
            order.append(cid)
            subs[cid] = []
        elif cats[cid] != ctext:
            fail("%s: inconsistent category text" % cid)
        subs[cid].append((sid, nist_clean(desc)))
    if set(restored) != set(NIST_MISSING_SUBCATEGORY):
        fail("restoration table out of date: restored %s" % sorted(restored))

    def num_key(cid):
        return int(cid.split()[1])

    reqs = []
    for fid, ftitle, fsum in NIST_FUNCTIONS:
        reqs.append({"id": fid, "kind": "function", "title": ftitle,
                     "parent": None, "summary": fsum})
        fcats = sorted([c for c in order if c.split()[0] == fid], key=num_key)
        nsub = 0
        for i, cid in enumerate(fcats, 1):
            if num_key(cid) != i:
                fail("%s: categories not numbered 1..n" % fid)
            ctext = nist_clean(cats[cid])
            reqs.append({"id": cid, "kind": "category", "title": ctext,
                         "parent": fid, "text": ctext})
            items = sorted(subs[cid], key=lambda t: int(t[0].split(".")[1]))
            for j, (sid, text) in enumerate(items, 1):
                if int(sid.split(".")[1]) != j:
                    fail("%s: subcategories not numbered 1..n" % cid)
                reqs.append({"id": sid, "kind": "subcategory", "title": text,
                             "parent": cid, "text": text})
            nsub += len(items)
        if (len(fcats), nsub) != NIST_EXPECTED[fid]:
            fail("%s: %d categories / %d subcategories, expected %s"
                 % (fid, len(fcats), nsub, NIST_EXPECTED[fid]))

    notes = (
        "Generated by scripts/gen-catalogs.py from the CSA extraction "
        "(ai-rmf-1.0-subcategories.csv). Corrections against NIST AI 100-1: "
        "empty descriptions restored for %s; category GOVERN 4 was truncated "
        "and is completed as 'Organizational teams are committed to a "
        "culture that considers and communicates AI risk'; words joined by "
        "the extraction re-hyphenated (%s); spaced hyphens used as "
        "parenthetical dashes restored to spaced en dashes as in the "
        "publication; whitespace normalised. Category texts are given, as in "
        "the publication, without a final full stop. Function summaries are "
        "our own wording; titles and text of categories and subcategories "
        "are NIST's."
        % (", ".join(restored),
           ", ".join("%s -> %s" % (b, NIST_WORD_FIX[b])
                     for b in sorted(word_fixes))))
    return {
        "aims_catalog": 1,
        "framework": "nist-ai-rmf-1.0",
        "title": "NIST Artificial Intelligence Risk Management Framework "
                 "(AI RMF 1.0)",
        "version": "1.0",
        "publisher": "NIST",
        "source": "NIST AI 100-1, Artificial Intelligence Risk Management "
                  "Framework (AI RMF 1.0), January 2023, "
                  "https://doi.org/10.6028/NIST.AI.100-1; text via the Cloud "
                  "Security Alliance public dataset "
                  "(CloudSecurityAlliance-DataSets/dataset-public-laws-"
                  "regulations-standards, commit "
                  "7d418867b0650a0982683b90af1bd0a42357a227).",
        "licence": "Public domain: work of the US Government (NIST), not "
                   "subject to copyright in the United States (17 U.S.C. "
                   "105). Function summaries are original text by the aims "
                   "project, Apache-2.0.",
        "notes": notes,
        "requirements": reqs,
    }


# ---------------------------------------------------------------- EU AI Act

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI",
         "XII", "XIII"]

# Annex titles as in the Official Journal (the CSV's annex_name is empty);
# each is checked against the beginning of the annex content.
EU_ANNEX_TITLES = {
    "I": "List of Union harmonisation legislation",
    "II": "List of criminal offences referred to in Article 5(1), first "
          "subparagraph, point (h)(iii)",
    "III": "High-risk AI systems referred to in Article 6(2)",
    "IV": "Technical documentation referred to in Article 11(1)",
    "V": "EU declaration of conformity",
    "VI": "Conformity assessment procedure based on internal control",
    "VII": "Conformity based on an assessment of the quality management "
           "system and an assessment of the technical documentation",
    "VIII": "Information to be submitted upon the registration of high-risk "
            "AI systems in accordance with Article 49",
    "IX": "Information to be submitted upon the registration of high-risk AI "
          "systems listed in Annex III in relation to testing in real world "
          "conditions in accordance with Article 60",
    "X": "Union legislative acts on large-scale IT systems in the area of "
         "Freedom, Security and Justice",
    "XI": "Technical documentation referred to in Article 53(1), point (a) "
          "\u2014 technical documentation for providers of general-purpose "
          "AI models",
    "XII": "Transparency information referred to in Article 53(1), point (b) "
           "\u2014 technical documentation for providers of general-purpose "
           "AI models to downstream providers that integrate the model into "
           "their AI system",
    "XIII": "Criteria for the designation of general-purpose AI models with "
            "systemic risk referred to in Article 51",
}

EU_ANNEX_III_AREAS = [
    "Biometrics",
    "Critical infrastructure",
    "Education and vocational training",
    "Employment, workers\u2019 management and access to self-employment",
    "Access to and enjoyment of essential private services and essential "
    "public services and benefits",
    "Law enforcement",
    "Migration, asylum and border control management",
    "Administration of justice and democratic processes",
]

# Words kept in capitals when a chapter title is put in sentence case.
EU_KEEP_UPPER = {"AI", "EU"}


def sentence_case(s):
    words = squash(s).split(" ")
    out = []
    for i, w in enumerate(words):
        if w in EU_KEEP_UPPER:
            out.append(w)
        elif i == 0:
            out.append(w[:1].upper() + w[1:].lower())
        else:
            out.append(w.lower())
    return " ".join(out)


def eu_clean_title(s):
    return squash(s.replace("`", ""))


def eu_clean_text(s, fixes):
    orig = s
    s = squash(s)
    # Superscript exponent lost in extraction (Article 51(2): 10^25 FLOPs).
    s2 = re.sub(r"\b10 25\b", "10^25", s)
    if s2 != s:
        fixes.add("exponent")
    s = s2
    # Spaces the extraction left inside parentheses and before punctuation
    # (around italic and footnote markup), e.g. "( OJ L 157, ... p. 24 )",
    # "mutatis mutandis ." and "the Council ( 57 ) ;".
    s2 = re.sub(r"\(\s+", "(", s)
    s2 = re.sub(r"\s+\)", ")", s2)
    s2 = re.sub(r"(?<=\S)\s+([,.;:])(?=\s|$|[\u2019\"])", r"\1", s2)
    if s2 != s:
        fixes.add("spacing")
    s = s2
    if "`" in s:
        fail("stray backtick in text: %r" % orig[:80])
    return s


def split_annex_iii(text):
    parts = []
    pos = []
    start = 0
    for n, title in enumerate(EU_ANNEX_III_AREAS, 1):
        needle = "%d. %s" % (n, title)
        i = text.find(needle, start)
        if i < 0:
            fail("Annex III: cannot find area %r" % needle)
        pos.append(i)
        start = i + len(needle)
    pos.append(len(text))
    for n in range(8):
        parts.append(text[pos[n]:pos[n + 1]].strip())
    return parts


def build_eu(ref):
    apath = os.path.join(ref, "eu-ai-act", "ai-act-articles.csv")
    xpath = os.path.join(ref, "eu-ai-act", "ai-act-annexes.csv")
    arts = read_csv(apath)
    annexes = read_csv(xpath)
    if [r["article"].strip() for r in arts] != [str(i) for i in range(1, 114)]:
        fail("%s: expected articles 1..113 in order" % apath)
    if [r["annex"].strip() for r in annexes] != ROMAN:
        fail("%s: expected annexes I..XIII in order" % xpath)
    fixes = set()
    cleaned_titles = []
    reqs = []
    seen = []
    for r in arts:
        ch = r["chapter"].strip()
        if ch not in ROMAN:
            fail("Article %s: bad chapter %r" % (r["article"], ch))
        if not seen or seen[-1] != ch:
            if ch in seen:
                fail("chapter %s is not contiguous" % ch)
            seen.append(ch)
            reqs.append({"id": "Chapter " + ch, "kind": "chapter",
                         "title": sentence_case(r["chapter_name"]),
                         "parent": None, "chapter": ch})
        title = eu_clean_title(r["article_name"])
        if title != r["article_name"]:
            cleaned_titles.append(r["article"])
        reqs.append({"id": "Article " + r["article"].strip(),
                     "kind": "article", "title": title,
                     "parent": "Chapter " + ch, "chapter": ch,
                     "text": eu_clean_text(r["content"], fixes)})
    if seen != ROMAN:
        fail("chapters not I..XIII in order: %s" % seen)
    for r in annexes:
        num = r["annex"].strip()
        text = eu_clean_text(r["content"], fixes)
        title = eu_clean_title(r["annex_name"]) or EU_ANNEX_TITLES[num]
        head = "ANNEX %s %s" % (num, EU_ANNEX_TITLES[num])
        if not text.startswith(head):
            fail("Annex %s: content does not start with %r" % (num, head))
        reqs.append({"id": "Annex " + num, "kind": "annex", "title": title,
                     "parent": None, "text": text})
        if num == "III":
            for n, (atitle, atext) in enumerate(
                    zip(EU_ANNEX_III_AREAS, split_annex_iii(text)), 1):
                reqs.append({"id": "Annex III.%d" % n,
                             "kind": "annex-iii-area", "title": atitle,
                             "parent": "Annex III", "text": atext})

    notes = [
        "Generated by scripts/gen-catalogs.py from the CSA extraction of the "
        "EUR-Lex HTML (ai-act-articles.csv, ai-act-annexes.csv).",
        "Chapter titles are given in sentence case instead of the Official "
        "Journal's capitals.",
        "The sections of Chapters III and IX are not listed; articles have "
        "their chapter as parent.",
        "Annex titles are taken from the Official Journal (the extraction "
        "has no annex names) and checked against the start of each annex "
        "text; the annex text keeps its heading.",
        "Annex III areas 1-8 are cut from the Annex III text, each from its "
        "number up to the next area.",
    ]
    if cleaned_titles:
        notes.append("Stray characters removed from the titles of "
                     "Article(s) %s (a backtick after 'Subject matter')."
                     % ", ".join(cleaned_titles))
    if "exponent" in fixes:
        notes.append("Article 51(2): the superscript lost in extraction is "
                     "written as 10^25 (floating point operations).")
    if "spacing" in fixes:
        notes.append("Spaces left by the extraction inside parentheses and "
                     "before punctuation (around italics, footnote "
                     "references and OJ citations) were removed; footnote "
                     "reference markers such as (57) or (*1) are kept as "
                     "they appear, but the footnotes of the Regulation "
                     "itself are not included.")
    notes.append("Whitespace normalised. No other change to the wording.")

    return {
        "aims_catalog": 1,
        "framework": "eu-ai-act-2024",
        "title": "Regulation (EU) 2024/1689 laying down harmonised rules on "
                 "artificial intelligence (Artificial Intelligence Act)",
        "version": "2024",
        "publisher": "European Union",
        "source": "Regulation (EU) 2024/1689 of the European Parliament and "
                  "of the Council of 13 June 2024, OJ L, 2024/1689, "
                  "12.7.2024, ELI: http://data.europa.eu/eli/reg/2024/1689/oj "
                  "(CELEX 32024R1689); text via the Cloud Security Alliance "
                  "public dataset (CloudSecurityAlliance-DataSets/dataset-"
                  "public-laws-regulations-standards, commit "
                  "7d418867b0650a0982683b90af1bd0a42357a227), extracted "
                  "from EUR-Lex.",
        "licence": "\u00a9 European Union, https://eur-lex.europa.eu/. Reused "
                   "with attribution to the European Union under Commission "
                   "Decision 2011/833/EU on the reuse of Commission "
                   "documents. Only the text published in the Official "
                   "Journal of the European Union is authentic.",
        "notes": " ".join(notes),
        "requirements": reqs,
    }


def main(argv):
    if len(argv) < 2 or len(argv) > 3 or argv[1] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    ref = argv[1]
    out = argv[2] if len(argv) > 2 else os.path.join(REPO, "catalogs")
    if not os.path.isdir(ref):
        fail("reference directory not found: %s" % ref)
    os.makedirs(out, exist_ok=True)
    for name, build in (("nist-ai-rmf-1.0.json", build_nist),
                        ("eu-ai-act-2024.json", build_eu)):
        cat = build(ref)
        write_json(os.path.join(out, name), cat)
        sys.stdout.write("wrote %s (%d requirements)\n"
                         % (os.path.join(out, name), len(cat["requirements"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
