"""A deterministic synthetic awesome list of N papers, for `benchmarks/scale.py`.

The list looks like the real ones the importer reads: a `# Awesome ...` title, a few dozen topic headings
nested two levels (`## Model Compression` / `### Pruning`; headings become tags), and one bullet per paper:

    - **SparseQ: Efficient Pruning for Large Language Models**
      *Wei Zhang, Maria Rossi, Kenji Sato.*
      [[pdf](https://arxiv.org/abs/2403.01234)], [[code](https://github.com/wzhang/sparseq)] ![](https://img.shields.io/badge/ICLR2025-orange)
      We propose SparseQ, a ... method that ... Evaluated on PIQA and HellaSwag with LLaMA-2-7B.

Titles and summaries draw words from a real vocabulary (the words of `data/lists/*.txt` and the titles of
`data/metadata/papers.jsonl`, ordered by how often they occur there, plus ML terms) with a Zipf law, so
common words ("language", "models", "pruning") hit many papers and rare ones few. Made-up method names
("SparseQ") give the long tail of the index vocabulary. Exactly one paper has the word `xylophonic`; none
has `zzzzqqq`. IDs are unique new-style arXiv IDs from 2019 to 2026, more of them in later years. Authors
come from a pool of about N/10 names, so one name has a few dozen papers. Datasets and models are canonical
names from `src/llmkb/data/vocabulary.toml`, chosen by topic (PIQA is common under Pruning). About 5% of
papers also get results rows (a CSV for `llmkb import-results`). Some papers are listed under a second
heading too, as real lists do; the number of distinct papers is still exactly N.

Only the standard library is used. Change GENERATOR_VERSION whenever the output for a given N changes.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import json
import random
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

GENERATOR_VERSION = "1"
DEFAULT_SEED = 1729

ROOT = Path(__file__).resolve().parent.parent
ONE_HIT_WORD = "xylophonic"
NO_HIT_WORD = "zzzzqqq"
TYPO_QUERY = "quantisaton"  # no paper has it; the corrector should turn it into "quantization"
FORBIDDEN = frozenset({ONE_HIT_WORD, NO_HIT_WORD, TYPO_QUERY})

FIRST_YEAR, LAST_YEAR = 2019, 2026
RESULTS_SHARE = 0.05
CROSS_LIST_SHARE = 0.02

# (h2, h3 or None, words that title the topic, dataset tasks the topic evaluates on, favourite datasets,
#  relative size)
TOPICS: list[tuple[str, str | None, tuple[str, ...], tuple[str, ...], tuple[str, ...], float]] = [
    (
        "Model Compression",
        "Pruning",
        ("Pruning", "Sparsity", "Structured Pruning", "Layer Pruning"),
        ("commonsense reasoning", "language modeling"),
        ("PIQA", "HellaSwag", "WinoGrande", "WikiText-2"),
        6,
    ),
    (
        "Model Compression",
        "Quantization",
        ("Quantization", "Low-Bit Quantization", "4-Bit Quantization", "Post-Training Quantization"),
        ("language modeling", "commonsense reasoning"),
        ("WikiText-2", "C4", "PIQA", "MMLU"),
        6,
    ),
    (
        "Model Compression",
        "Knowledge Distillation",
        ("Distillation", "Knowledge Distillation", "Teacher-Student"),
        ("language understanding", "commonsense reasoning"),
        ("GLUE", "MMLU", "GSM8K"),
        3,
    ),
    (
        "Model Compression",
        "Low-Rank Decomposition",
        ("Low-Rank Decomposition", "Low-Rank", "SVD Compression"),
        ("language modeling", "commonsense reasoning"),
        ("WikiText-2", "PIQA"),
        2,
    ),
    (
        "Efficient Decoding",
        "Speculative Decoding",
        ("Speculative Decoding", "Draft Models", "Lookahead Decoding"),
        ("chat evaluation", "math reasoning", "code generation"),
        ("MT-Bench", "GSM8K", "HumanEval"),
        4,
    ),
    (
        "Efficient Decoding",
        "KV Cache Compression",
        ("KV Cache", "Cache Compression", "Token Eviction"),
        ("long context", "summarization"),
        ("LongBench", "Needle in a Haystack"),
        3,
    ),
    (
        "Efficient Decoding",
        "Early Exit",
        ("Early Exit", "Adaptive Computation", "Layer Skipping"),
        ("language understanding", "summarization"),
        ("GLUE",),
        1.5,
    ),
    (
        "Efficient Decoding",
        "Serving Systems",
        ("Serving", "Batching", "Inference Systems", "Paged Attention"),
        ("chat evaluation",),
        ("ShareGPT",),
        2,
    ),
    (
        "Retrieval-Augmented Generation",
        "Dense Retrieval",
        ("Dense Retrieval", "Retrieval", "Embeddings"),
        ("retrieval", "question answering"),
        ("MS MARCO", "Natural Questions"),
        3,
    ),
    (
        "Retrieval-Augmented Generation",
        "Reranking",
        ("Reranking", "Passage Ranking", "Re-Ranking"),
        ("retrieval", "question answering"),
        ("MS MARCO",),
        1.5,
    ),
    (
        "Retrieval-Augmented Generation",
        "Knowledge-Intensive QA",
        ("Retrieval-Augmented Generation", "Open-Domain QA", "Grounded Generation"),
        ("question answering", "reading comprehension"),
        ("Natural Questions", "TriviaQA", "HotpotQA"),
        4,
    ),
    (
        "Alignment",
        "RLHF",
        ("RLHF", "Reward Modeling", "Human Feedback"),
        ("preference alignment", "chat evaluation"),
        ("HH-RLHF", "AlpacaEval", "MT-Bench"),
        3,
    ),
    (
        "Alignment",
        "Preference Optimization",
        ("Preference Optimization", "DPO", "Direct Alignment"),
        ("preference alignment", "chat evaluation"),
        ("UltraFeedback", "AlpacaEval"),
        3,
    ),
    (
        "Alignment",
        "Instruction Tuning",
        ("Instruction Tuning", "Instruction Following", "Supervised Fine-Tuning"),
        ("instruction tuning", "instruction following"),
        ("Alpaca", "FLAN", "IFEval"),
        3,
    ),
    (
        "Alignment",
        "Safety",
        ("Safety", "Jailbreak", "Red Teaming", "Harmlessness"),
        ("truthfulness", "preference alignment"),
        ("TruthfulQA", "HH-RLHF"),
        2,
    ),
    (
        "Reasoning",
        "Chain-of-Thought",
        ("Chain-of-Thought", "Reasoning", "Self-Consistency"),
        ("math reasoning", "reasoning"),
        ("GSM8K", "MATH", "BIG-Bench Hard"),
        4,
    ),
    (
        "Reasoning",
        "Code Generation",
        ("Code Generation", "Program Synthesis", "Code"),
        ("code generation",),
        ("HumanEval", "MBPP"),
        3,
    ),
    (
        "Reasoning",
        "Tool Use and Agents",
        ("Agents", "Tool Use", "Planning", "Function Calling"),
        ("reasoning", "math reasoning"),
        ("GSM8K",),
        3,
    ),
    (
        "Long Context",
        "Positional Encoding",
        ("Positional Encoding", "Rotary Embeddings", "Length Extrapolation"),
        ("long context", "language modeling"),
        ("PG19", "Passkey Retrieval", "RULER"),
        2,
    ),
    (
        "Long Context",
        "Efficient Attention",
        ("Sparse Attention", "Linear Attention", "Efficient Attention"),
        ("long context", "language modeling"),
        ("LongBench", "WikiText-103"),
        3,
    ),
    (
        "Pre-training",
        "Data Curation",
        ("Data Curation", "Data Selection", "Deduplication"),
        ("pre-training", "multitask knowledge"),
        ("The Pile", "RedPajama", "FineWeb", "MMLU"),
        2,
    ),
    (
        "Pre-training",
        "Scaling Laws",
        ("Scaling Laws", "Compute-Optimal Training", "Scaling"),
        ("language modeling", "multitask knowledge"),
        ("The Pile", "C4"),
        1.5,
    ),
    (
        "Pre-training",
        "Mixture of Experts",
        ("Mixture of Experts", "Sparse Experts", "Expert Routing"),
        ("multitask knowledge", "language modeling"),
        ("MMLU", "The Pile"),
        2.5,
    ),
    (
        "Pre-training",
        "Tokenization",
        ("Tokenization", "Byte-Level Models", "Vocabulary"),
        ("language modeling", "machine translation"),
        ("FLORES-200",),
        1,
    ),
    (
        "Parameter-Efficient Fine-Tuning",
        "LoRA and Adapters",
        ("LoRA", "Adapters", "Low-Rank Adaptation"),
        ("language understanding", "commonsense reasoning"),
        ("GLUE", "PIQA", "MMLU"),
        4,
    ),
    (
        "Parameter-Efficient Fine-Tuning",
        "Prompt Tuning",
        ("Prompt Tuning", "Prefix Tuning", "Soft Prompts"),
        ("language understanding",),
        ("SuperGLUE", "GLUE"),
        1.5,
    ),
    (
        "Evaluation",
        "Benchmarks",
        ("Benchmark", "Evaluation", "Leaderboard"),
        ("multitask knowledge", "holistic evaluation"),
        ("MMLU", "HELM", "BIG-Bench"),
        3,
    ),
    (
        "Evaluation",
        "LLM-as-a-Judge",
        ("LLM-as-a-Judge", "Automatic Evaluation", "Judging"),
        ("chat evaluation",),
        ("MT-Bench", "Chatbot Arena", "AlpacaEval"),
        1.5,
    ),
    (
        "Evaluation",
        "Hallucination",
        ("Hallucination", "Factuality", "Faithfulness"),
        ("truthfulness", "summarization", "question answering"),
        ("TruthfulQA", "XSum"),
        2.5,
    ),
    (
        "Multilingual",
        "Machine Translation",
        ("Machine Translation", "Translation", "Low-Resource Languages"),
        ("machine translation",),
        ("WMT14 En-De", "FLORES-200"),
        2,
    ),
    (
        "Multilingual",
        "Chinese LLMs",
        ("Chinese Language Models", "Chinese", "Cross-Lingual Transfer"),
        ("multitask knowledge", "natural language inference"),
        ("C-Eval", "CMMLU", "XNLI"),
        1.5,
    ),
    (
        "Multimodal",
        "Vision-Language Models",
        ("Vision-Language Models", "Multimodal", "Visual Instruction Tuning"),
        ("question answering",),
        (),
        3,
    ),
    ("Multimodal", "Speech", ("Speech", "Audio Language Models", "Spoken Dialogue"), ("question answering",), (), 1),
    ("Surveys", None, ("Survey", "Overview", "Review"), ("holistic evaluation",), ("MMLU",), 2),
]

VENUES = ("ICLR", "NeurIPS", "ICML", "ACL", "EMNLP", "NAACL", "AAAI", "COLM", "TMLR", "COLING", "EACL")
VENUE_COLOURS = ("orange", "blue", "green", "red", "purple", "brightgreen")


def _wordlist(text: str) -> list[str]:
    return text.split()


# Words many titles share; their rank among the pool decides how often they come.
ML_TERMS = _wordlist("""
language models large efficient learning model training inference attention transformer transformers
sparse sparsity quantization pruning distillation low-rank adapter adapters decoding speculative retrieval
augmented alignment preference reward reasoning chain thought tokens token context memory cache inference
scalable robust fast accurate compact lightweight adaptive dynamic structured unstructured mixed-precision
bit integer floating hardware accelerator throughput latency serving batching scheduling parallel pipeline
tensor kernel gradient optimizer fine-tuning instruction tuning prompt prompting benchmark evaluation
hallucination factuality multilingual translation code math agent agents tool tools planning long
extrapolation positional rotary embedding embeddings compression generation generative pretrained
pre-training scaling laws mixture experts routing calibration outliers activation activations weights weight
layer layers head heads mask masking neural network networks deep understanding knowledge data dataset
benchmarks study analysis towards via beyond rethinking revisiting unified simple framework approach method
methods self supervised unsupervised contrastive semantic search dense retriever reranking question
answering dialogue chat conversational summarization vision multimodal visual speech audio safety
jailbreak red-teaming adversarial privacy federated continual lifelong curriculum synthetic feedback human
policy optimization reinforcement direct ranking judge judging consistency verification verifier search
tree graph structured decomposition factorization rank matrix sparse-attention linear state-space
recurrent convolution mamba hybrid edge mobile device on-device energy green carbon cost budget
""")

STOPWORDS = frozenset(
    _wordlist("""
a an the and or of for in on to with by from at as is are be been being was were it its this that these
those we our you your they their he she his her not no but if then than so such via into over under
about between through during without within upon can may might will would should could do does did done
has have had having also more most less least very just only all any each every both other some many much
one two three new use used using based https http www com org html pdf abs github arxiv paper papers code
""")
)

FIRST_NAMES = _wordlist("""
Wei Jing Li Yan Hao Xin Yu Jun Lei Ming Tao Fang Hui Qing Jie Bo Chen Yang Zhi Ling Kenji Yuki Haruto Sakura
Takeshi Aiko Min-jun Seo-yeon Ji-ho Hyun Priya Arjun Rahul Ananya Vikram Kavya Sanjay Deepa Rohan Meera Omar
Fatima Ahmed Layla Youssef Amina Hassan Noor Maria Jose Carlos Lucia Diego Sofia Pablo Elena Javier Ana
Luca Giulia Marco Chiara Matteo Francesca Pierre Camille Louis Chloe Antoine Julie Hans Anna Lukas Lena
Felix Sophie Jonas Emma Noah Olivia Liam Ava Ethan Mia James Emily Michael Sarah David Laura Daniel Rachel
Samuel Hannah Benjamin Grace Alexander Natalia Ivan Olga Dmitri Irina Sergei Tatiana Pavel Ekaterina Mateusz
Zofia Jakub Agnieszka Lars Ingrid Erik Astrid Sven Freya Kwame Ama Chidi Ngozi Tunde Zainab Thanh Linh Minh
Huong Somchai Aroon Rizwan Ayesha Tomas Eva Mehmet Elif Burak Zeynep Nikos Eleni Dara Siobhan Aoife Cian
""")

LAST_NAMES = _wordlist("""
Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng Liang Xie Song
Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren Shen
Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Kim Lee Park Choi Jung Kang Cho
Yoon Jang Lim Sharma Patel Singh Kumar Gupta Reddy Iyer Rao Nair Mehta Joshi Chatterjee Banerjee Das Khan
Ali Hussain Rahman Haddad Nasser Mansour Garcia Rodriguez Martinez Lopez Gonzalez Hernandez Perez Sanchez
Ramirez Torres Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Martin Bernard Dubois Thomas Robert
Richard Petit Durand Leroy Moreau Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann
Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson White Harris Clark
Lewis Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson Carter Mitchell Roberts Ivanov
Petrov Smirnov Volkov Kuznetsov Popov Nowak Kowalski Wisniewski Larsen Hansen Johansson Nilsson Andersson
Mensah Okafor Adeyemi Nguyen Tran Pham Le Hoang Yilmaz Kaya Demir Papadopoulos Murphy Kelly Byrne
""")

SYLLABLES = _wordlist("""
spar quan prun dist lora flash swift mega nano micro tiny lite deep wise sage star nova vega orion atlas
hydra titan echo delta sigma omega zeta kappa gamma lambda theta apex core edge flux grid helix ion jet
kite loom mesa nexus opal pulse quill rift sol terra umbra vox wave xeno yarn zen arc bolt crisp dyna
""")
SUFFIXES = (
    "GPT",
    "LM",
    "Quant",
    "Prune",
    "Net",
    "Former",
    "Bench",
    "RAG",
    "Align",
    "Distill",
    "Spec",
    "Cache",
    "Coder",
    "Agent",
    "Mix",
    "MoE",
    "Tune",
    "Chat",
    "Eval",
    "Opt",
    "KV",
    "Sparse",
    "Attn",
    "Q",
)

TEMPLATES = (
    "{name}: {adj} {topic} for {obj}",
    "{name}: {verb} {topic} with {adj} {noun}",
    "{adj} {topic} of {obj} via {noun} {noun2}",
    "Towards {adj} {topic} in {obj}",
    "On the {noun} of {topic} for {obj}",
    "{topic} Meets {noun}: {adj} {noun2} for {obj}",
    "Rethinking {topic} for {adj} {obj}",
    "{name}: {adj} and {adj2} {topic}",
    "{verb} {obj} with {topic} and {noun} {noun2}",
    "{adj} {noun} {topic}: A {noun2} Study",
)
OBJECTS = (
    "Large Language Models",
    "LLMs",
    "Language Models",
    "Transformers",
    "Small Language Models",
    "Multilingual LLMs",
    "Code LLMs",
    "Vision-Language Models",
    "Long-Context LLMs",
    "Chat Models",
)
VERBS = (
    "Scaling",
    "Accelerating",
    "Compressing",
    "Improving",
    "Learning",
    "Boosting",
    "Unifying",
    "Revisiting",
    "Understanding",
    "Training",
    "Steering",
    "Calibrating",
    "Distilling",
    "Sparsifying",
    "Adapting",
)
SUMMARY_TEMPLATES = (
    "We propose {name}, a {adj} {noun} method that improves {noun2} of {obj}.",
    "This paper studies {topic} in {obj} and shows that {adj} {noun} matters.",
    "{name} reduces the {noun} of {obj} by combining {topic} with {noun2}.",
    "A {adj} approach to {topic} that keeps {noun} and {noun2} under a small budget.",
    "We analyse why {topic} fails on {obj} and fix it with {adj} {noun}.",
)


@dataclass
class CorpusInfo:
    """What the benchmark needs to know about a generated corpus: the queries and the expected counts."""

    size: int
    seed: int
    version: str = GENERATOR_VERSION
    one_hit_id: str = ""
    author: str = ""
    author_papers: int = 0
    show_id: str = ""
    fuzzy_title: str = ""
    fuzzy_title_id: str = ""
    since_2025: int = 0
    pruning_papers: int = 0
    pruning_piqa: int = 0
    results_rows: int = 0
    cross_listed: int = 0
    list_bytes: int = 0
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


# --- vocabulary -------------------------------------------------------------------------------------------

_URL = re.compile(r"\(?https?://\S+")
_WORD = re.compile(r"[A-Za-z][A-Za-z]+(?:-[A-Za-z]+)?")


def _source_texts(root: Path) -> Iterator[str]:
    for path in sorted((root / "data" / "lists").glob("*.txt")):
        yield path.read_text(encoding="utf-8", errors="replace")
    metadata = root / "data" / "metadata" / "papers.jsonl"
    if metadata.exists():
        for line in metadata.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line).get("title") or ""


def word_pool(root: Path = ROOT) -> list[str]:
    """Lower-case words, most frequent first: the real lists' and titles' words, then the ML terms."""
    counts: Counter[str] = Counter()
    for text in _source_texts(root):
        for word in _WORD.findall(_URL.sub(" ", text)):
            word = word.lower()
            if len(word) >= 3 and word not in STOPWORDS and word not in FORBIDDEN:
                counts[word] += 1
    for term in ML_TERMS:  # every ML term counts as seen twice, so they sit among the common words
        if term not in STOPWORDS:
            counts[term] += 2
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def zipf_cumulative(n: int, exponent: float = 1.05) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(n)))


def load_vocabulary(root: Path = ROOT) -> tuple[dict[str, dict], dict[str, dict]]:
    data = tomllib.loads((root / "src" / "llmkb" / "data" / "vocabulary.toml").read_text(encoding="utf-8"))
    return data["dataset"], data["model"]


# --- the generator ----------------------------------------------------------------------------------------


class _Sampler:
    def __init__(self, items: list[str], cumulative: list[float], rng: random.Random) -> None:
        self.items, self.cum, self.total, self.rng = items, cumulative, cumulative[-1], rng

    def __call__(self) -> str:
        return self.items[bisect.bisect(self.cum, self.rng.random() * self.total)]


def _months() -> list[tuple[int, int]]:
    return [(y, m) for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]


def _allocate(n: int, weights: list[float]) -> list[int]:
    total = sum(weights)
    counts = [int(n * w / total) for w in weights]
    for i in range(n - sum(counts)):
        counts[i % len(counts)] += 1
    return counts


class Corpus:
    """Generates the list (and results CSV) for one size; `write` streams, so 1M papers fit in little memory."""

    def __init__(self, size: int, seed: int = DEFAULT_SEED, root: Path = ROOT) -> None:
        if size < 10:
            raise ValueError("a corpus needs at least 10 papers")
        self.size, self.seed = size, seed
        self.rng = random.Random(f"llmkb-scale-{seed}-{size}")
        pool = word_pool(root)
        self.word = _Sampler(pool, zipf_cumulative(len(pool)), self.rng)
        datasets, models = load_vocabulary(root)
        self.datasets = datasets
        self.dataset_names = sorted(datasets)
        self.models = sorted(name for name, attrs in models.items() if attrs.get("size"))
        self.model = _Sampler(self.models, zipf_cumulative(len(self.models), 0.9), self.rng)
        self.by_task: dict[str, list[str]] = {}
        for name in self.dataset_names:
            self.by_task.setdefault(datasets[name].get("task", ""), []).append(name)
        self.metrics = {name: attrs.get("metric") for name, attrs in datasets.items()}
        self.authors = self._author_pool(max(200, min(100_000, size // 10)))
        self.prolific = self.authors[: max(2, len(self.authors) // 100)]
        self.months = _months()
        month_weights = [1.35 ** (y - FIRST_YEAR) for y, _ in self.months]
        self.month_cum = list(itertools.accumulate(month_weights))
        self.month_count = [0] * len(self.months)
        pick = random.Random(f"llmkb-scale-picks-{seed}-{size}")
        self.one_hit_index = pick.randrange(size)
        self.show_index = pick.randrange(size)
        self.fuzzy_index = pick.randrange(size)
        self.author_query = self.authors[len(self.authors) // 2]
        self.names_used: set[str] = set()

    def _author_pool(self, count: int) -> list[str]:
        """Distinct "First Last" names; a middle initial only once the plain combinations run short."""
        rng = random.Random(f"llmkb-scale-authors-{self.seed}")
        plain = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(plain)
        keep = min(count, int(len(plain) * 0.8))
        names = plain[:keep]
        seen = set(names)
        initials = "ABCDEFGHJKLMNPRSTVW"
        while len(names) < count:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            name = f"{first} {rng.choice(initials)}. {last}"
            if name not in seen:
                seen.add(name)
                names.append(name)
        return names

    # -- one paper --

    def _arxiv_id(self) -> tuple[str, int]:
        month = bisect.bisect(self.month_cum, self.rng.random() * self.month_cum[-1])
        count = self.month_count[month] = self.month_count[month] + 1
        if count >= 99_999:
            raise ValueError(f"too many papers for one month at size {self.size}")
        number = (count * 7919 + month * 131) % 99_999 + 1  # a bijection of 1..99998 within the month
        year, mon = self.months[month]
        return f"{year % 100:02d}{mon:02d}.{number:05d}", year

    def _name(self) -> str:
        rng = self.rng
        head = rng.choice(SYLLABLES).capitalize()
        if rng.random() < 0.5:
            head += rng.choice(SYLLABLES)
        return head + rng.choice(SUFFIXES) if rng.random() < 0.8 else head.upper()[:6]

    def _words(self) -> dict[str, str]:
        w = self.word
        return {
            "adj": w().capitalize(),
            "adj2": w().capitalize(),
            "noun": w().capitalize(),
            "noun2": w().capitalize(),
            "verb": self.rng.choice(VERBS),
            "obj": self.rng.choice(OBJECTS),
        }

    def _authors(self) -> list[str]:
        rng = self.rng
        count = rng.choice((2, 2, 3, 3, 3, 4, 4, 5, 6, 8))
        out: list[str] = []
        while len(out) < count:
            pool = self.prolific if rng.random() < 0.1 else self.authors
            name = pool[rng.randrange(len(pool))]
            if name not in out:
                out.append(name)
        return out

    def _datasets(self, topic: tuple) -> list[str]:
        rng = self.rng
        _h2, _h3, _words, tasks, favourites, _weight = topic
        roll = rng.random()
        if roll < 0.15:
            return []
        count = 1 if roll < 0.35 else rng.choice((2, 2, 3, 3, 4))
        out: list[str] = []
        for _ in range(count * 3):
            if len(out) >= count:
                break
            if favourites and rng.random() < 0.6:
                name = rng.choice(favourites)
            elif rng.random() < 0.85:
                name = rng.choice(self.by_task.get(rng.choice(tasks)) or self.dataset_names)
            else:
                name = rng.choice(self.dataset_names)
            if name not in out:
                out.append(name)
        return out

    def _summary(self, name: str, topic_word: str, datasets: list[str], models: list[str]) -> str:
        words = self._words()
        text = self.rng.choice(SUMMARY_TEMPLATES).format(
            name=name, topic=topic_word.lower(), **{k: v.lower() if k not in ("obj",) else v for k, v in words.items()}
        )
        text = text[0].upper() + text[1:]
        if datasets:
            listed = datasets[0] if len(datasets) == 1 else ", ".join(datasets[:-1]) + " and " + datasets[-1]
            text += f" Evaluated on {listed}"
            if models:
                text += " with " + (" and ".join(models))
            text += "."
        elif models:
            text += f" Experiments use {' and '.join(models)}."
        return text

    def _paper(self, index: int, topic: tuple) -> tuple[str, str, dict]:
        """(arXiv ID, the markdown bullet, facts for the info and the results CSV)."""
        rng = self.rng
        _h2, _h3, topic_words, _tasks, _fav, _w = topic
        arxiv_id, year = self._arxiv_id()
        name = self._name()
        words = self._words()
        topic_word = rng.choice(topic_words)
        title = rng.choice(TEMPLATES).format(name=name, topic=topic_word, **words)
        if index == self.one_hit_index:
            title = f"{title} with {ONE_HIT_WORD.capitalize()} Probes"
        if index == self.fuzzy_index:
            name = f"{name}{index % 97}X"  # a name no other paper has, so the fuzzy title resolves to it
            title = f"{name}: {words['adj']} {topic_word} for {words['obj']}"
        authors = self._authors()
        if index == self.show_index and self.author_query not in authors:
            authors[-1] = self.author_query
        datasets = self._datasets(topic)
        models = [self.model() for _ in range(rng.choice((0, 1, 1, 1, 2)))] if datasets or rng.random() < 0.3 else []
        models = list(dict.fromkeys(models))
        summary = self._summary(name, topic_word, datasets, models)
        links = f"[[pdf](https://arxiv.org/abs/{arxiv_id})]"
        if rng.random() < 0.45:
            owner = re.sub(r"[^a-z]", "", authors[0].split()[-1].lower()) + str(rng.randrange(100))
            links += f", [[code](https://github.com/{owner}/{name.lower()})]"
        if rng.random() < 0.5:
            venue_year = min(LAST_YEAR, year + (1 if rng.random() < 0.5 else 0))
            badge = f"{rng.choice(VENUES)}{venue_year}-{rng.choice(VENUE_COLOURS)}"
        else:
            venue_year = year
            badge = f"arXiv-{year}-b31b1b"
        links += f" ![](https://img.shields.io/badge/{badge})"
        bullet = f"- **{title}**\n  *{', '.join(authors)}.*\n  {links}\n  {summary}\n"
        facts = {"title": title, "authors": authors, "year": venue_year, "datasets": datasets, "models": models}
        return arxiv_id, bullet, facts

    def _results(self, arxiv_id: str, facts: dict, out: csv.writer) -> int:
        rows = 0
        models = facts["models"] or [self.model()]
        for dataset in facts["datasets"][:3]:
            metric = self.metrics.get(dataset)
            if not metric:
                continue
            for model in models[:2]:
                lower_is_better = metric in ("perplexity", "bits per character", "bits per byte")
                value = round(self.rng.uniform(3.0, 30.0) if lower_is_better else self.rng.uniform(25.0, 90.0), 2)
                setting = self.rng.choice(("0-shot", "5-shot", "", "few-shot"))
                out.writerow([arxiv_id, model, dataset, metric, value, setting])
                rows += 1
        return rows

    def write(self, out: TextIO, results: TextIO) -> CorpusInfo:
        info = CorpusInfo(size=self.size, seed=self.seed)
        rng = self.rng
        writer = csv.writer(results, lineterminator="\n")
        writer.writerow(["paper", "model", "dataset", "metric", "value", "setting"])
        written = 0
        out.write("# Awesome LLM Papers\n\nA synthetic reading list for the llmkb scale benchmark.\n")
        counts = _allocate(self.size, [t[5] for t in TOPICS])
        index = 0
        pending: list[str] = []  # bullets cross-listed under the next heading as well
        current_h2 = None
        for topic, count in zip(TOPICS, counts, strict=True):
            h2, h3 = topic[0], topic[1]
            if h2 != current_h2:
                written += out.write(f"\n## {h2}\n")
                current_h2 = h2
            if h3:
                written += out.write(f"\n### {h3}\n\n")
            else:
                written += out.write("\n")
            for bullet in pending:
                written += out.write(bullet)
            info.cross_listed += len(pending)
            pending = []
            for _ in range(count):
                arxiv_id, bullet, facts = self._paper(index, topic)
                written += out.write(bullet)
                if rng.random() < CROSS_LIST_SHARE:
                    pending.append(bullet)
                if rng.random() < RESULTS_SHARE:
                    info.results_rows += self._results(arxiv_id, facts, writer)
                if index == self.one_hit_index:
                    info.one_hit_id = arxiv_id
                if index == self.show_index:
                    info.show_id = arxiv_id
                if index == self.fuzzy_index:
                    info.fuzzy_title_id = arxiv_id
                    info.fuzzy_title = _misspell(facts["title"])
                if self.author_query in facts["authors"]:
                    info.author_papers += 1
                if facts["year"] >= 2025:
                    info.since_2025 += 1
                if h3 == "Pruning":
                    info.pruning_papers += 1
                    info.pruning_piqa += "PIQA" in facts["datasets"]
                index += 1
        info.author = self.author_query
        info.list_bytes = written
        return info


def _misspell(title: str) -> str:
    """The title as a user half-remembers it: lower case, no colon, two letters of the first word swapped."""
    words = title.replace(":", "").lower().split()
    first = words[0]
    if len(first) >= 4:
        words[0] = first[:1] + first[2] + first[1] + first[3:]
    return " ".join(words)


def generate(size: int, list_path: Path, results_path: Path, seed: int = DEFAULT_SEED) -> CorpusInfo:
    """Write the list and the results CSV; return what the benchmark needs to know about them."""
    corpus = Corpus(size, seed)
    with (
        open(list_path, "w", encoding="utf-8", newline="\n") as out,
        open(results_path, "w", encoding="utf-8", newline="") as results,
    ):
        info = corpus.write(out, results)
    info.list_bytes = list_path.stat().st_size
    return info


def main(argv: list[str] | None = None) -> int:
    """Run as a child of scale.py, so the harness itself stays small (a child's peak RSS starts at its
    parent's): write the list, the results CSV and the info JSON."""
    import argparse

    parser = argparse.ArgumentParser(description="Write a synthetic awesome list for the scale benchmark.")
    parser.add_argument("size", type=int)
    parser.add_argument("list", type=Path)
    parser.add_argument("results", type=Path)
    parser.add_argument("info", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    info = generate(args.size, args.list, args.results, args.seed)
    args.info.write_text(json.dumps(info.as_dict(), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
