"""The schema, as SQLModel tables: the one source of truth for Alembic revisions.

Only write paths import this module (it pulls in SQLAlchemy and pydantic); read commands query the same
tables through plain `sqlite3`. List-valued fields (authors, categories, links, sources) are JSON arrays in
TEXT columns: they are always read and written whole, and SQLite's JSON functions reach into them when a
query needs to.

The FTS5 index (`paper_fts`, with `paper_fts_vocab`) and the triggers that keep it in sync are not
expressible here; they live in the migrations (created in `0001_initial_schema`, rebuilt with the `cjk`
column in `0003_verification_status_cjk`), and `migrations/env.py` keeps autogenerate from dropping them.
"""

from __future__ import annotations

from sqlalchemy import Index, Table, text
from sqlmodel import Field, SQLModel

PAPER_DATE_SQL = "COALESCE(published, printf('%04d-%02d', year, COALESCE(month, 1)))"
PAPER_YEAR_SQL = "COALESCE(year, CAST(substr(published, 1, 4) AS INTEGER))"


class Paper(SQLModel, table=True):
    __tablename__ = "paper"
    # Listings sort and filter on these expressions (`llmkb.store.query_sql.PAPER_DATE`, `PAPER_YEAR`); the
    # partial indexes answer `search --status/--flagged/--unverified` and `queue` without a scan.
    __table_args__ = (
        Index("ix_paper_date", text(f"({PAPER_DATE_SQL})")),
        Index("ix_paper_year_of", text(f"({PAPER_YEAR_SQL})")),
        Index("ix_paper_status", "status", "status_at", sqlite_where=text("status IS NOT NULL")),
        Index("ix_paper_flag", "flag", sqlite_where=text("flag IS NOT NULL")),
        Index("ix_paper_unverified", "id", sqlite_where=text("arxiv_id IS NOT NULL AND verified IS NULL")),
        Index("ix_paper_short_name", text("lower(short_name)")),
    )

    id: int | None = Field(default=None, primary_key=True)
    arxiv_id: str | None = Field(default=None, unique=True, index=True, description="bare ID, no version")
    arxiv_version: int | None = Field(default=None, description="latest version number known")
    title: str
    title_key: str = Field(index=True, description="normalized title, to match papers without arXiv ID")
    short_name: str | None = Field(default=None, description="name a list gives the paper, e.g. SLICEGPT")
    abstract: str | None = None
    authors: str = Field(default="[]", description="JSON array of names, in order")
    published: str | None = Field(default=None, description="ISO date of the first version")
    updated: str | None = Field(default=None, description="ISO date of the latest version")
    primary_category: str | None = None
    categories: str = Field(default="[]", description="JSON array of arXiv categories")
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    venue: str | None = None
    year: int | None = Field(default=None, index=True)
    month: int | None = None
    note: str | None = None
    links: str = Field(default="[]", description='JSON array of {"kind": "code", "url": ...}')
    sources: str = Field(default="[]", description="JSON array of where the record came from")
    list_title: str | None = Field(default=None, description="a list's own title, where it differs from arXiv's")
    flag: str | None = Field(default=None, description="why the paper needs a look: its list and arXiv disagree")
    verified: str | None = Field(default=None, description="ISO time arXiv last confirmed the record")
    status: str | None = Field(default=None, description="reading status: new, to-read, reading, read, dismissed")
    status_at: str | None = Field(default=None, description="ISO time the status was set")
    cjk: str | None = Field(default=None, description="CJK bigrams of the texts, for the full-text index")


class Tag(SQLModel, table=True):
    __tablename__ = "tag"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, description="slash-separated path, e.g. model-compression/pruning")
    papers: int = Field(
        default=0,
        sa_column_kwargs={"server_default": "0"},
        description="distinct papers tagged with this path or one below it (kept by triggers, migration 0005)",
    )


class TagAncestor(SQLModel, table=True):
    """Each tag's ancestors, itself included: every prefix of a tag path is a tag row too."""

    __tablename__ = "tag_ancestor"

    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")
    ancestor_id: int = Field(foreign_key="tag.id", primary_key=True, index=True, ondelete="CASCADE")


class PaperTag(SQLModel, table=True):
    __tablename__ = "paper_tag"

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, index=True, ondelete="CASCADE")
    source: str = Field(default="user", description="list | user | arxiv")


class Model(SQLModel, table=True):
    __tablename__ = "model"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    papers: int = Field(default=0, sa_column_kwargs={"server_default": "0"}, description="distinct papers linked")
    family: str | None = None
    size: str | None = Field(default=None, description="as usually written: 7B, 1.1B, 8x7B")
    aliases: str = Field(default="[]", description="JSON array of other spellings")
    resolved: bool = Field(default=True, description="false: kept as a list wrote it, not in the vocabulary")


class Dataset(SQLModel, table=True):
    __tablename__ = "dataset"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    papers: int = Field(default=0, sa_column_kwargs={"server_default": "0"}, description="distinct papers linked")
    task: str | None = None
    usual_metric: str | None = None
    aliases: str = Field(default="[]")
    resolved: bool = Field(default=True)


class Metric(SQLModel, table=True):
    __tablename__ = "metric"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    papers: int = Field(default=0, sa_column_kwargs={"server_default": "0"}, description="distinct papers linked")
    higher_is_better: bool = True
    aliases: str = Field(default="[]")


class PaperDataset(SQLModel, table=True):
    __tablename__ = "paper_dataset"
    # (dataset_id, paper_id) answers "which papers use this dataset" and per-dataset paper counts from the
    # index alone; the primary key, which starts with paper_id, answers "which datasets does this paper use"
    __table_args__ = (Index("ix_paper_dataset_dataset_id_paper_id", "dataset_id", "paper_id"),)

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    dataset_id: int = Field(foreign_key="dataset.id", primary_key=True, ondelete="CASCADE")
    role: str = Field(
        default="evaluation", primary_key=True, description="evaluation | calibration | fine-tuning | pre-training"
    )
    source: str = Field(default="user", primary_key=True, description="list | user | text")


class PaperModel(SQLModel, table=True):
    __tablename__ = "paper_model"
    __table_args__ = (Index("ix_paper_model_model_id_paper_id", "model_id", "paper_id"),)

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    model_id: int = Field(foreign_key="model.id", primary_key=True, ondelete="CASCADE")
    role: str = Field(default="uses", primary_key=True, description="uses | proposes")
    source: str = Field(default="user", primary_key=True, description="list | user | text")


class Result(SQLModel, table=True):
    __tablename__ = "result"
    __table_args__ = (Index("ix_result_metric_id_paper_id", "metric_id", "paper_id"),)

    id: int | None = Field(default=None, primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", index=True, ondelete="CASCADE")
    dataset_id: int = Field(foreign_key="dataset.id", index=True, ondelete="CASCADE")
    model_id: int | None = Field(default=None, foreign_key="model.id", ondelete="CASCADE")
    metric_id: int = Field(foreign_key="metric.id", ondelete="CASCADE")
    value: float
    setting: str | None = Field(default=None, description="e.g. 0-shot, 5-shot")
    source: str = Field(default="user")


class ArxivRecord(SQLModel, table=True):
    """What arXiv answered about an ID, kept so that checking a list again (`llmkb lint`) asks nothing.

    A cache, not the knowledge base: papers are not added by it. `found` false records that arXiv has no
    paper with this ID.
    """

    __tablename__ = "arxiv_record"

    arxiv_id: str = Field(primary_key=True, description="bare ID, no version")
    found: bool = True
    version: int | None = None
    title: str | None = None
    authors: str = Field(default="[]", description="JSON array of names, in order")
    published: str | None = None
    updated: str | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    fetched_at: str = Field(description="ISO time of the answer")


class Watch(SQLModel, table=True):
    """A saved arXiv query (`llmkb watch add`): what it asks, the tags it gives, how far it has read."""

    __tablename__ = "watch"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    query: str = Field(description="arXiv query syntax: ti:, abs:, au:, cat:, AND/OR/ANDNOT")
    categories: str = Field(default="[]", description="JSON array of arXiv categories it is limited to")
    tags: str = Field(default="[]", description="JSON array of tag paths given to what it brings in")
    created: str
    last_run: str | None = Field(default=None, description="ISO time of the last run that finished")
    seen_until: str | None = Field(
        default=None, description="submission time up to which every paper has been read (resume point)"
    )


class WatchPaper(SQLModel, table=True):
    """Which watch brought in which paper, when, and whether the reader dismissed it for that watch."""

    __tablename__ = "watch_paper"
    __table_args__ = (Index("ix_watch_paper_found_at", "watch_id", "found_at"),)

    watch_id: int = Field(foreign_key="watch.id", primary_key=True, ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", primary_key=True, index=True, ondelete="CASCADE")
    found_at: str = Field(description="ISO time the watch first brought the paper in")
    dismissed: bool = False


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table, for statements that need none of the ORM. (SQLModel gives every table
    model a `__table__` but does not declare it, so a type checker cannot see it.)"""
    name = model.__tablename__
    assert isinstance(name, str), "every table model here names its table"
    return SQLModel.metadata.tables[name]
