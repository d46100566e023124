"""Hand-made paper records in the store's record shape, for the export tests."""


def paper(arxiv_id: str | None = "2403.03853", **fields) -> dict:
    record = {
        "id": arxiv_id or "kb-1",
        "arxiv_id": arxiv_id,
        "version": 1,
        "title": "ShortGPT: Layers in Large Language Models are More Redundant Than You Expect",
        "short_name": None,
        "abstract": "Layers are redundant.",
        "authors": ["Xin Men", "Mingyu Xu", "Qingyu Zhang", "Bingning Wang"],
        "published": "2024-03-06",
        "updated": None,
        "primary_category": "cs.CL",
        "categories": ["cs.CL", "cs.LG"],
        "comment": None,
        "journal_ref": None,
        "doi": None,
        "venue": None,
        "year": 2024,
        "month": 3,
        "note": None,
        "links": [],
        "sources": ["list"],
        "tags": [],
        "url": f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
    }
    record.update(fields)
    return record


def sample_papers() -> list[dict]:
    """Five papers covering the awkward cases: markup in text, unicode, no ID, no authors, no year."""
    return [
        paper(
            tags=["model-compression/pruning", "llm"],
            venue="ACL Findings",
            note="Drops *whole* layers | see [BI] <score> & `code`_x_ \\ end",
            links=[{"kind": "code", "url": "https://github.com/example/shortgpt"}],
        ),
        paper(
            "2106.09685",
            title="LoRA: Low-Rank Adaptation of Large Language Models",
            authors=["Edward J. Hu", "José Ramírez", "Zoë van der Berg"],
            published="2021-06-17",
            year=2021,
            month=6,
            venue="ICLR",
            journal_ref="ICLR 2022",
            doi="10.48550/arXiv.2106.09685",
            tags=["peft", "model-compression"],
        ),
        paper(
            None,
            id="kb-7",
            title="A_b | c* [d] <e> `f` # g ~h~ $x$",
            authors=[],
            published=None,
            year=None,
            month=None,
            primary_category=None,
            links=[{"kind": "pdf", "url": "https://example.org/paper (v2).pdf"}],
            tags=[],
            note="multi\nline  note",
        ),
        paper(
            "2310.05015",
            title="1. Compresso — structured pruning",
            authors=["Song Guo"],
            published="2023-10-07",
            year=2023,
            month=10,
            tags=["model-compression/pruning", "model-compression/quantization/2-bit", "vision/pruning"],
            links=[
                {"kind": "code", "url": "https://github.com/example/compresso"},
                {"kind": "code", "url": "https://github.com/example/compresso-2"},
            ],
        ),
        paper(
            "2402.00001",
            title="- Dash first",
            authors=["Łukasz Kaiser", "Ana de la Cruz"],
            published="2024-02-01",
            year=2024,
            month=2,
            tags=["llm"],
        ),
    ]
