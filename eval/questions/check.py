#!/usr/bin/env python3
"""Check the hand-written development questions in eval/questions/ and print their counts.

usage: python3 eval/questions/check.py [--corpus PATH]

  --corpus PATH   bbc-news.csv (default: ../shared/corpora/bbc-news/bbc-news.csv beside the repository).
                  Without it, bbc.jsonl is checked for its schema only and a line says so.

Hard checks (exit status 1 if any fails):
  - every line is a JSON object with the fields of its kind; ids are unique across the four files and carry the
    file's prefix (qs seeds.jsonl, qc seeds-casual.jsonl, qf seeds-follow-ups.jsonl, qb bbc.jsonl)
  - follow-ups (seeds-follow-ups.jsonl, and only there) give the first question of their thread as "context"
  - answerable questions: a non-empty list of short answers, each an exact substring of its article (the seed articles
    in seeds/, or the row's text in bbc-news.csv, whitespace collapsed to single spaces)
  - bbc questions: the row exists and its category is the corpus's
  - unanswerable questions: "answers" is an empty list, "kind" is on-topic or off-topic, and none of their "absent"
    terms occurs in the seeds (seed files) or in any article or seed (bbc file); a term is a string, or a list of
    strings that must not all occur in one text (["Wolong", "cost"]: no article on the reserve gives a cost)
  - no question (nor a follow-up's context) shares 6 or more consecutive words with a sentence of its article (no
    near-copies), nor with a question of ../shared/eval/dev.jsonl or dev-general.jsonl (when they are there)

Warnings (printed, never fatal): a question sharing 5 consecutive words with its article or a dev question, a bbc
answer found in more than 3 other articles, a bbc row used by more than one question or already used by
dev-general.jsonl.
"""
import collections
import csv
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SEEDS_DIR = os.path.join(REPO, "seeds")
DEFAULT_CORPUS = os.path.join(os.path.dirname(REPO), "shared", "corpora", "bbc-news", "bbc-news.csv")
DEV_FILES = [os.path.join(os.path.dirname(REPO), "shared", "eval", f) for f in ("dev.jsonl", "dev-general.jsonl")]

FILES = {"seeds.jsonl": "qs", "seeds-casual.jsonl": "qc", "seeds-follow-ups.jsonl": "qf", "bbc.jsonl": "qb"}
FOLLOW_UPS = "seeds-follow-ups.jsonl"
TYPES = {"who", "what", "when", "where", "why", "how-many", "how", "which", "yes-no", "other"}
STYLES = {"formal", "casual"}
KINDS = {"on-topic", "off-topic"}
CATEGORIES = {"business", "entertainment", "politics", "sport", "tech"}
MAX_ANSWER_WORDS = 8
COPY_ERROR, COPY_WARNING = 6, 5


def collapse(text):
    return re.sub(r"\s+", " ", text).strip()


def words(text):
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def sentences(text):
    """Rough sentence split: enough to find which sentence a question might copy."""
    return [s for s in re.split(r"(?<=[.!?\"\u201d])\s+(?=[\"\u201c(]?[A-Z0-9])", text) if s.strip()]


def longest_shared_run(a, b):
    x, y = words(a), words(b)
    best, prev = 0, [0] * (len(y) + 1)
    for i in range(1, len(x) + 1):
        cur = [0] * (len(y) + 1)
        for j in range(1, len(y) + 1):
            if x[i - 1] == y[j - 1]:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def load_seeds():
    texts = {}
    for name in sorted(os.listdir(SEEDS_DIR)):
        if name.endswith(".txt"):
            with open(os.path.join(SEEDS_DIR, name), encoding="utf-8") as f:
                texts[name] = collapse(f.read())
    return texts


def load_corpus(path):
    csv.field_size_limit(10**9)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [collapse(r["text"]) for r in rows], [r["category"] for r in rows]


def read_lines(path, errors):
    items = []
    if not os.path.exists(path):
        errors.append(f"{os.path.basename(path)}: missing")
        return items
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                q = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{os.path.basename(path)}:{n}: not JSON ({e})")
                continue
            if not isinstance(q, dict):
                errors.append(f"{os.path.basename(path)}:{n}: not a JSON object")
                continue
            q["_where"] = f"{os.path.basename(path)}:{n} ({q.get('id')})"
            items.append(q)
    return items


def is_term(t):
    return (isinstance(t, str) and t != "") or (isinstance(t, list) and len(t) > 0 and all(isinstance(x, str) and x for x in t))


def check_schema(q, file, errors):
    """Field-level checks that need no article text. Returns False when the line is too broken to go on."""
    where, is_bbc = q["_where"], file == "bbc.jsonl"
    allowed = {"id", "question", "context", "expect", "answers", "type", "style", "kind", "absent", "corpus", "row", "category", "_where"}
    for key in q:
        if key not in allowed:
            errors.append(f"{where}: unknown field {key!r}")
    if not isinstance(q.get("id"), str) or not q["id"].startswith(FILES[file]):
        errors.append(f"{where}: id must be a string starting with {FILES[file]!r}")
    if not isinstance(q.get("question"), str) or len(q["question"].strip()) < 5:
        errors.append(f"{where}: missing or too short question")
        return False
    if file == FOLLOW_UPS and (not isinstance(q.get("context"), str) or len(q["context"].strip()) < 5):
        errors.append(f"{where}: a follow-up gives the first question of its thread as context")
        return False
    if file != FOLLOW_UPS and "context" in q:
        errors.append(f"{where}: only {FOLLOW_UPS} holds follow-ups with a context")
    if q.get("type") not in TYPES:
        errors.append(f"{where}: type {q.get('type')!r} not one of {sorted(TYPES)}")
    if q.get("style") not in STYLES:
        errors.append(f"{where}: style {q.get('style')!r} not one of {sorted(STYLES)}")
    if file == "seeds.jsonl" and q.get("style") != "formal":
        errors.append(f"{where}: seeds.jsonl holds formal questions")
    if file in ("seeds-casual.jsonl", FOLLOW_UPS) and q.get("style") != "casual":
        errors.append(f"{where}: {file} holds casual questions")
    if not isinstance(q.get("answers"), list) or not all(isinstance(a, str) for a in q["answers"]):
        errors.append(f"{where}: answers must be a list of strings")
        return False
    if is_bbc and q.get("corpus") != "bbc":
        errors.append(f"{where}: corpus must be 'bbc'")
    if not is_bbc and any(k in q for k in ("corpus", "row", "category")):
        errors.append(f"{where}: seed questions carry no corpus, row or category")
    if q.get("expect") == "answer":
        if not q["answers"]:
            errors.append(f"{where}: an answerable question needs answers")
        for a in q["answers"]:
            if a != collapse(a) or not a:
                errors.append(f"{where}: answer {a!r} is empty or has stray whitespace")
            elif len(a.split()) > MAX_ANSWER_WORDS:
                errors.append(f"{where}: answer {a!r} is longer than {MAX_ANSWER_WORDS} words (give the fact, not a sentence)")
        if "kind" in q or "absent" in q:
            errors.append(f"{where}: kind and absent are for unanswerable questions")
        if is_bbc and (not isinstance(q.get("row"), int) or q.get("category") not in CATEGORIES):
            errors.append(f"{where}: an answerable bbc question needs an integer row and a category")
    elif q.get("expect") == "none":
        if q["answers"]:
            errors.append(f"{where}: an unanswerable question gives no answers")
        if q.get("kind") not in KINDS:
            errors.append(f"{where}: kind must be one of {sorted(KINDS)}")
        absent = q.get("absent", [])
        if not isinstance(absent, list) or not all(is_term(t) for t in absent):
            errors.append(f"{where}: absent must be a list of terms (a string, or a list of strings that must not meet in one text)")
        if q.get("kind") == "on-topic" and not absent:
            errors.append(f"{where}: an on-topic trap lists the terms its answer would need ('absent')")
        if is_bbc and q.get("kind") == "on-topic" and (not isinstance(q.get("row"), int) or q.get("category") not in CATEGORIES):
            errors.append(f"{where}: an on-topic bbc trap names the row and category of the story it is about")
        if is_bbc and q.get("kind") == "off-topic" and ("row" in q or "category" in q):
            errors.append(f"{where}: an off-topic question has no row or category")
    else:
        errors.append(f"{where}: expect must be 'answer' or 'none'")
        return False
    return True


def check_against_texts(q, texts, everything, errors, warnings):
    """texts: the article(s) the question is about; everything: every text an unanswerable question must miss."""
    where = q["_where"]
    for a in q["answers"]:
        if not any(a in t for t in texts):
            errors.append(f"{where}: answer {a!r} is not in its article")
    for term in q.get("absent", []):
        group = [term] if isinstance(term, str) else term
        hits = [label for label, t in everything.items() if all(g.lower() in t.lower() for g in group)]
        if hits:
            errors.append(f"{where}: absent term {term!r} occurs in {', '.join(hits[:5])}")
    asked = [q["question"]] + ([q["context"]] if "context" in q else [])
    run = max((longest_shared_run(a, s) for a in asked for t in texts for s in sentences(t)), default=0)
    if run >= COPY_ERROR:
        errors.append(f"{where}: question copies {run} consecutive words of its article")
    elif run >= COPY_WARNING:
        warnings.append(f"{where}: question shares {run} consecutive words with its article")


def check_dev_copies(by_file, errors, warnings, rows_used):
    """The shared dev questions are not to be copied: not their wording, and preferably not their articles."""
    dev = []
    for path in DEV_FILES:
        if os.path.exists(path):
            dev.extend(read_lines(path, errors))
    if not dev:
        print("dev questions: not compared (../shared/eval is not there)")
        return
    dev_rows = {d.get("row") for d in dev if isinstance(d.get("row"), int)}
    for row in sorted(set(rows_used) & dev_rows):
        warnings.append(f"row {row} is already used by dev-general.jsonl")
    for items in by_file.values():
        for q in items:
            if not isinstance(q.get("question"), str):
                continue
            asked = [q["question"]] + ([q["context"]] if isinstance(q.get("context"), str) else [])
            run, near = max(((longest_shared_run(a, d.get("question", "")), d.get("id")) for a in asked for d in dev), key=lambda x: x[0])
            if run >= COPY_ERROR:
                errors.append(f"{q['_where']}: question copies {run} consecutive words of dev question {near}")
            elif run >= COPY_WARNING:
                warnings.append(f"{q['_where']}: question shares {run} consecutive words with dev question {near}")


def main(argv):
    args = argv[1:]
    if "-h" in args or "--help" in args:
        print(__doc__)
        return 0
    corpus_path = DEFAULT_CORPUS
    if "--corpus" in args:
        i = args.index("--corpus")
        if i + 1 >= len(args):
            print("--corpus needs a path to bbc-news.csv", file=sys.stderr)
            return 2
        corpus_path = args[i + 1]
    errors, warnings = [], []
    seeds = load_seeds()
    corpus = load_corpus(corpus_path) if os.path.exists(corpus_path) else None

    by_file = {f: read_lines(os.path.join(HERE, f), errors) for f in FILES}
    ids = collections.Counter(q.get("id") for items in by_file.values() for q in items)
    for i, c in ids.items():
        if c > 1:
            errors.append(f"id {i!r} used {c} times")

    everything = {f"seed {n}": t for n, t in seeds.items()}
    if corpus:
        everything.update({f"row {i}": t for i, t in enumerate(corpus[0])})
    rows_used = collections.Counter()
    for file, items in by_file.items():
        for q in items:
            if not check_schema(q, file, errors):
                continue
            if file != "bbc.jsonl":
                check_against_texts(q, list(seeds.values()), {f"seed {n}": t for n, t in seeds.items()}, errors, warnings)
                continue
            if corpus is None:
                continue
            texts, cats = corpus
            row = q.get("row")
            if row is None:  # off-topic: nothing of its own, but its absent terms are checked against all
                check_against_texts(q, [], everything, errors, warnings)
                continue
            if not isinstance(row, int) or not 0 <= row < len(texts):
                errors.append(f"{q['_where']}: row {row!r} is not a corpus row (0..{len(texts) - 1})")
                continue
            if q.get("category") != cats[row]:
                errors.append(f"{q['_where']}: category {q.get('category')!r}, the corpus says {cats[row]!r}")
            rows_used[row] += 1
            check_against_texts(q, [texts[row]], everything, errors, warnings)
            for a in q["answers"]:
                others = sum(1 for i, t in enumerate(texts) if i != row and a in t)
                if others > 3:
                    warnings.append(f"{q['_where']}: answer {a!r} also occurs in {others} other articles")
    for row, c in rows_used.items():
        if c > 1:
            warnings.append(f"row {row} is used by {c} bbc questions")
    check_dev_copies(by_file, errors, warnings, rows_used)

    print(f"{'file':<24} {'total':>5} {'answer':>6} {'none':>5} {'on-topic':>8} {'off-topic':>9} {'casual':>6}")
    for file, items in by_file.items():
        none = [q for q in items if q.get("expect") == "none"]
        print(f"{file:<24} {len(items):>5} {len(items) - len(none):>6} {len(none):>5} "
              f"{sum(q.get('kind') == 'on-topic' for q in none):>8} {sum(q.get('kind') == 'off-topic' for q in none):>9} "
              f"{sum(q.get('style') == 'casual' for q in items):>6}")
    bbc = [q for q in by_file["bbc.jsonl"] if q.get("expect") == "answer"]
    print("bbc answerable by category:", dict(sorted(collections.Counter(q.get("category") for q in bbc).items())))
    print("types:", dict(sorted(collections.Counter(q.get("type") for items in by_file.values() for q in items).items())))
    if corpus is None:
        print(f"bbc.jsonl: schema only, {corpus_path} is not there")
    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
