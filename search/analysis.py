"""Text analysis for search: the same steps turn a document into index terms and a query into
concepts to match, so that both sides always agree. Pure Python, no database.

1. Normalise: NFKC (full-width → half-width, ligatures, compatibility forms), case-fold, and
   Chinese numerals before a measure word become digits (四个 → 4个, 十二层 → 12层).
2. Split into runs: Han characters are segmented by jieba (precise mode, no HMM guessing, with
   our user dictionary of field terms); any other letters and digits form a Latin token.
3. Terms: each token (Latin ones stemmed by Snowball, "biases" → "bias"); for a Han word, the
   shorter dictionary words inside it (search mode: 旋转位置编码 → 旋转, 位置, 编码, 位置编码);
   two adjacent Latin tokens also as one ("RMS Norm", "rms-norm" → "rmsnorm", which is what
   "RMSNorm" gives); and for every run of up to four tokens that is a form in the synonym file,
   the group's canonical term (低秩适配 → "lora"). Index and query both emit the canonical term,
   so synonyms match in both directions and across languages.

A query becomes concepts: one per word the user typed (minus stop words), each a set of
alternative terms (the word, the joined compound it belongs to, its synonym group); a document
matches a concept when it contains any alternative. Ranking counts matched concepts.
"""

import logging
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SYNONYMS_FILE = DATA_DIR / "synonyms.txt"
USER_DICT_FILE = DATA_DIR / "userdict.txt"
STOPWORDS_FILE = DATA_DIR / "stopwords.txt"

# Longer "words" are noise (hashes, base64); PostgreSQL refuses lexemes over 2 KiB anyway.
MAX_TOKEN_LENGTH = 40
# How many tokens a synonym form may span ("reinforcement learning from human feedback").
MAX_FORM_TOKENS = 5
MAX_CONCEPTS = 12

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")
# What may stand between two tokens that still count as one compound: "RMS Norm", "rms-norm".
_JOINABLE_GAP = re.compile(r"[\s\-_./·]{0,3}")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS.update({"七": 7, "八": 8, "九": 9})
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MEASURE_WORDS = (
    "个|种|类|层|步|次|条|项|位|名|块|张|份|轮|倍|件|篇|维|头|卡|阶段|部分|方面|方法|大"
)
MEASURE_WORDS = frozenset(_MEASURE_WORDS.split("|"))
_CN_NUMERAL = re.compile(rf"[零〇一二两三四五六七八九十百千]+(?=(?:{_MEASURE_WORDS}))")


# Normalisation ------------------------------------------------------------------------------


def _cn_to_int(numeral: str) -> int:
    total, current = 0, 0
    for char in numeral:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        else:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
    return total + current


def _clean_char(char: str) -> str:
    # NUL, control and format characters, surrogates and private use are separators.
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return " "
    return char


def normalise(text: str) -> str:
    """NFKC, case-folded, Chinese counts as digits. Length may change: use
    `normalise_with_map` where positions matter."""
    # Control and format characters (NUL, zero-width spaces) need no cleaning: they are not
    # letters or digits, so they separate tokens like any punctuation.
    text = unicodedata.normalize("NFKC", text).casefold()
    return _CN_NUMERAL.sub(lambda m: str(_cn_to_int(m.group())), text)


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """`normalise`, character by character, with each output character's index in `text`."""
    chars: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        for out in unicodedata.normalize("NFKC", _clean_char(char)).casefold():
            chars.append(out)
            index.append(i)
    normal = "".join(chars)
    pieces, mapping, last = [], [], 0
    for match in _CN_NUMERAL.finditer(normal):
        pieces.append(normal[last : match.start()])
        mapping.extend(index[last : match.start()])
        digits = str(_cn_to_int(match.group()))
        pieces.append(digits)
        mapping.extend([index[match.start()]] * len(digits))
        last = match.end()
    pieces.append(normal[last:])
    mapping.extend(index[last:])
    return "".join(pieces), mapping


# Resources (loaded once per process) --------------------------------------------------------


def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


_stem_lock = threading.Lock()
_STEMMER = None


# Words Snowball would fold into another group's word: "tokenizer" is not "token", a
# "retriever" is not "retrieval", "normalization" is not "normal", "sampling" (采样) is not a
# "sample" (样本). tests/search/test_synonyms.py finds such collisions among the groups.
STEM_EXCEPTIONS = {
    "tokenizer": "tokenizer",
    "tokenizers": "tokenizer",
    "tokenization": "tokenization",
    "tokenize": "tokenization",
    "tokenized": "tokenization",
    "tokenizing": "tokenization",
    "retriever": "retriever",
    "retrievers": "retriever",
    "normalization": "normalization",
    "normalisation": "normalization",
    "normalize": "normalization",
    "normalized": "normalization",
    "sample": "sample",
    "samples": "sample",
    "sampling": "sampling",
    "sampled": "sampling",
    "llms": "llm",
    "gpus": "gpu",
    "cpus": "cpu",
}


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Snowball English for ASCII words with a letter; anything else as it is."""
    global _STEMMER
    if not word.isascii() or word.isdigit():
        return word
    if word in STEM_EXCEPTIONS:
        return STEM_EXCEPTIONS[word]
    if _STEMMER is None:
        with _stem_lock:
            if _STEMMER is None:
                _STEMMER = _stemmer()
    return _STEMMER.stemWord(word)


_jieba_lock = threading.Lock()
_JIEBA = None


def _read_lines(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def jieba_tokenizer():
    """Our own jieba Tokenizer (not the global one, which other code may use), built once per
    process on first use: loading the dictionary takes about a second (its cache file is kept
    in the temporary directory), so it is lazy and guarded by a lock."""
    global _JIEBA
    if _JIEBA is None:
        with _jieba_lock:
            if _JIEBA is None:
                import jieba

                logging.getLogger("jieba").setLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.tmp_dir = tempfile.gettempdir()
                tokenizer.initialize()
                tokenizer.load_userdict(str(USER_DICT_FILE))
                for form in synonym_table().han_forms:
                    if tokenizer.FREQ.get(form, 0) == 0:
                        tokenizer.add_word(form)
                _JIEBA = tokenizer
    return _JIEBA


@dataclass
class SynonymTable:
    # key of a form (see `form_key`) → canonical terms of the groups it belongs to
    canonical: dict[str, tuple[str, ...]] = field(default_factory=dict)
    groups: list[tuple[str, ...]] = field(default_factory=list)  # keys, per group
    group_forms: list[tuple[str, ...]] = field(default_factory=list)  # normalised, as written
    group_canonical: list[str] = field(default_factory=list)
    han_forms: list[str] = field(default_factory=list)


@cache
def synonym_table() -> SynonymTable:
    """search/data/synonyms.txt: one group a line, forms separated by commas. The first form
    names the group: its key is the canonical term both documents and queries receive."""
    table = SynonymTable()
    raw_groups = [
        [form.strip() for form in line.split(",") if form.strip()]
        for line in _read_lines(SYNONYMS_FILE)
    ]
    # Han forms go into jieba's dictionary first, so that the keys below use whole words.
    for group in raw_groups:
        for form in group:
            normal = normalise(form)
            if re.fullmatch(rf"[{_HAN}]+", normal):
                table.han_forms.append(normal)
    table_keys: dict[str, list[str]] = {}
    for group in raw_groups:
        keys = [form_key(form, han_words=False) for form in group]
        keys = [k for k in keys if k]
        canonical = keys[0]
        table.groups.append(tuple(dict.fromkeys(keys)))
        table.group_forms.append(tuple(normalise(form) for form in group))
        table.group_canonical.append(canonical)
        for key in keys:
            table_keys.setdefault(key, [])
            if canonical not in table_keys[key]:
                table_keys[key].append(canonical)
    table.canonical = {k: tuple(v) for k, v in table_keys.items()}
    return table


@cache
def stopwords() -> frozenset[str]:
    words = set()
    for line in _read_lines(STOPWORDS_FILE):
        for word in line.split():
            words.add(stem(normalise(word)))
    return frozenset(words)


def form_key(form: str, *, han_words: bool = True) -> str:
    """The lookup key of a synonym form or of a run of tokens: their raw words joined without
    separators, stemmed if the result is plain ASCII ("KV-Cache" → "kvcach")."""
    words = [t.raw for t in _main_tokens(normalise(form), segment_han=han_words)]
    return _key(words)


def _key(raw_words: list[str]) -> str:
    joined = "".join(raw_words)
    return stem(joined) if joined.isascii() else joined


# Tokens ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    raw: str  # the normalised word as written
    term: str  # the index term (stemmed for Latin)
    start: int  # span in the normalised text
    end: int
    han: bool


def _main_tokens(text: str, *, segment_han: bool = True) -> list[Token]:
    tokens = []
    for match in _RUN.finditer(text):
        han, other = match.group(1), match.group(2)
        if other:
            if len(other) <= MAX_TOKEN_LENGTH:
                tokens.append(Token(other, stem(other), match.start(), match.end(), False))
            continue
        if not segment_han:
            tokens.append(Token(han, han, match.start(), match.end(), True))
            continue
        position = match.start()
        for word in jieba_tokenizer().cut(han, HMM=False):
            end = position + len(word)
            if len(word) <= MAX_TOKEN_LENGTH:
                tokens.append(Token(word, word, position, end, True))
            position = end
    return tokens


def _han_subwords(token: Token) -> list[Token]:
    """Dictionary words inside a longer Han word (jieba's search mode, for any length)."""
    word = token.raw
    if len(word) < 3:
        return []
    freq = jieba_tokenizer().FREQ
    found = []
    for size in range(2, len(word)):
        for i in range(len(word) - size + 1):
            piece = word[i : i + size]
            if freq.get(piece, 0) > 0:
                start = token.start + i
                found.append(Token(piece, piece, start, start + size, True))
    return found


def _adjacent(text: str, left: Token, right: Token) -> bool:
    return _JOINABLE_GAP.fullmatch(text, left.end, right.start) is not None


@dataclass(frozen=True)
class Term:
    term: str
    start: int
    end: int
    # index of the first and last main token it covers
    first: int
    last: int
    kind: str  # "word", "sub", "join", "count", "synonym" or "sub-synonym" (of a sub-word)


def terms(text: str) -> list[Term]:
    """Every index term of normalised `text`, in text order, with its span."""
    main = _main_tokens(text)
    table = synonym_table().canonical
    out: list[Term] = []
    seen: set[tuple[str, int, int]] = set()

    def emit(term: Term) -> None:
        # "LoRA" is both a word and its group's canonical term: one term, not two.
        key = (term.term, term.start, term.end)
        if key not in seen:
            seen.add(key)
            out.append(term)

    # Which neighbours may form a compound or a synonym form ("RMS Norm", "KV 缓存").
    adjacent = [_adjacent(text, main[i], main[i + 1]) for i in range(len(main) - 1)]
    starts = _form_starts()
    for i, token in enumerate(main):
        emit(Term(token.term, token.start, token.end, i, i, "word"))
        if token.han and len(token.raw) >= 3:
            for sub in _han_subwords(token):
                emit(Term(sub.term, sub.start, sub.end, i, i, "sub"))
                for canonical in table.get(sub.raw, ()):
                    emit(Term(canonical, sub.start, sub.end, i, i, "sub-synonym"))
        for canonical in table.get(token.term, ()):
            emit(Term(canonical, token.start, token.end, i, i, "synonym"))
        if i + 1 == len(main) or not adjacent[i]:
            continue
        following = main[i + 1]
        if token.raw.isdigit() and following.raw in MEASURE_WORDS and following.start == token.end:
            emit(Term(token.raw + following.raw, token.start, following.end, i, i + 1, "count"))
        if not token.han and not following.han:
            key = _key([token.raw, following.raw])
            emit(Term(key, token.start, following.end, i, i + 1, "join"))
        if token.raw not in starts:
            continue
        # Runs of tokens starting here that may be a synonym form of several words.
        j = i + 1
        while j < len(main) and j < i + MAX_FORM_TOKENS and adjacent[j - 1]:
            key = _key([t.raw for t in main[i : j + 1]])
            for canonical in table.get(key, ()):
                emit(Term(canonical, token.start, main[j].end, i, j, "synonym"))
            j += 1
    return out


@cache
def _form_starts() -> frozenset[str]:
    """The first words of the synonym forms that span several tokens, however jieba cuts
    them: only a run starting with one of these can be such a form."""
    starts = set()
    for forms in synonym_table().group_forms:
        for form in forms:
            for segment in (False, True):
                tokens = _main_tokens(form, segment_han=segment)
                if len(tokens) > 1:
                    starts.add(tokens[0].raw)
    return frozenset(starts)


def index_terms(text: str) -> str:
    """The analysed text stored in the index: its terms separated by spaces."""
    if not text:
        return ""
    return " ".join(t.term for t in terms(normalise(text)))


# Queries ----------------------------------------------------------------------------------


@dataclass
class Concept:
    word: str  # the normalised word the user typed
    alternatives: list[str]  # index terms, any of which matches
    weight: float = 1.0  # what matching it adds to a document's count of matched concepts
    # Or all the terms of one of these lists, anywhere in the text (a compound's parts apart).
    together: list[list[str]] = field(default_factory=list)
    # A word most documents contain: matched in titles, paths and details only, not answers.
    narrow: bool = False


@dataclass
class Query:
    text: str  # the normalised query
    concepts: list[Concept]

    @property
    def all_terms(self) -> set[str]:
        terms = {alt for c in self.concepts for alt in c.alternatives}
        return terms | {t for c in self.concepts for group in c.together for t in group}

    @property
    def all_terms_list(self) -> list[str]:
        return list(dict.fromkeys(alt for c in self.concepts for alt in c.alternatives))

    def __bool__(self) -> bool:
        return bool(self.concepts)


def analyse_query(query: str) -> Query:
    text = normalise(query)
    main = _main_tokens(text)
    stop = stopwords()
    kept = [i for i, t in enumerate(main) if t.term not in stop]
    if not kept:  # a query of stop words alone still means something ("什么是")
        kept = list(range(len(main)))
    alternatives: dict[int, list[str]] = {i: [main[i].term] for i in kept}
    for term in terms(text):
        if term.kind == "count" and term.first in alternatives:
            alternatives[term.first] = [term.term]  # "4个" only, not any 4
            continue
        if term.kind not in ("join", "synonym"):
            continue
        for i in range(term.first, term.last + 1):
            if i not in alternatives or term.term in alternatives[i]:
                continue
            if term.kind == "synonym" and term.first == term.last == i:
                # The word is a form of this group: every text containing it also holds the
                # group's term, so the group's term alone matches the same texts (and the
                # concept is counted once in the score, not once per form).
                alternatives[i] = [a for a in alternatives[i] if a != main[i].term]
            alternatives[i].append(term.term)
    concepts = []
    seen: set[tuple[str, ...]] = set()
    for i in kept:
        key = tuple(sorted(alternatives[i]))
        if key in seen:
            continue
        seen.add(key)
        concepts.append(Concept(word=main[i].raw, alternatives=alternatives[i]))
    return Query(text=text, concepts=concepts[:MAX_CONCEPTS])


def vocabulary(text: str) -> set[str]:
    """The words of `text` as typed (normalised, not stemmed) and its Latin compounds
    ("rmsnorm" from "RMS Norm"): what a "did you mean" may suggest."""
    if not text:
        return set()
    normal = normalise(text)
    main = _main_tokens(normal)
    words = {t.raw for t in main if not t.raw.isdigit()}
    for left, right in pairwise(main):
        if not left.han and not right.han and _adjacent(normal, left, right):
            words.add(left.raw + right.raw)
    return words


@cache
def synonym_words() -> frozenset[str]:
    """The Latin words of the synonym file's forms, as written ("hallucination"): known words
    of the field, for typo correction even where no title uses them."""
    words = set()
    for forms in synonym_table().group_forms:
        for form in forms:
            words.update(w for w in re.findall(r"[a-z0-9]+", form) if len(w) >= 4)
    return frozenset(words)


def split_han_word(word: str) -> list[str]:
    """A Han word cut into the longest shorter dictionary words, left to right ("注入知识" →
    注入, 知识): for a compound that no document contains as a whole."""
    freq = jieba_tokenizer().FREQ
    parts, i = [], 0
    while i < len(word):
        for size in range(min(len(word) - 1, len(word) - i), 0, -1):
            piece = word[i : i + size]
            if size == 1 or freq.get(piece, 0) > 0:
                parts.append(piece)
                i += size
                break
    return parts
