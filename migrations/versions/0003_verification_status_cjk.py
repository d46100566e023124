"""What arXiv confirmed, reading status, CJK search, and indexes so no listing reads every paper.

Revision ID: 0003
Revises: 0002

- paper.list_title, flag, verified: a list's own title where arXiv's differs, why a paper needs a look,
  and when arXiv last confirmed the record (`search --flagged`, `refresh --unverified`).
- paper.status, status_at: reading status (`mark`, `queue`, `search --status`).
- paper.cjk and a `cjk` column in the full-text index: CJK runs as character pairs, so "模型" finds
  "大模型综述". The index is rebuilt with the new column; its triggers are the same as in 0001 plus it.
- Expression indexes on the date and year every listing sorts and filters by, partial indexes on status,
  flag and unverified papers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PAPER_DATE_SQL = "COALESCE(published, printf('%04d-%02d', year, COALESCE(month, 1)))"
PAPER_YEAR_SQL = "COALESCE(year, CAST(substr(published, 1, 4) AS INTEGER))"

_AUTHORS = "(SELECT group_concat(value, ', ') FROM json_each({row}.authors))"
_TAGS = "(SELECT group_concat(t.name, ' ') FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.paper_id = {pid})"

_DROP_FTS = [
    "DROP TRIGGER IF EXISTS tag_fts_rename",
    "DROP TRIGGER IF EXISTS paper_tag_fts_delete",
    "DROP TRIGGER IF EXISTS paper_tag_fts_insert",
    "DROP TRIGGER IF EXISTS paper_fts_delete",
    "DROP TRIGGER IF EXISTS paper_fts_update",
    "DROP TRIGGER IF EXISTS paper_fts_insert",
    "DROP TABLE IF EXISTS paper_fts_vocab",
    "DROP TABLE IF EXISTS paper_fts",
]


def _fts(columns: list[str]) -> list[str]:
    """The index over `columns` (a prefix of title, short_name, abstract, authors, note, tags, cjk)."""
    values = {
        "title": "new.title",
        "short_name": "new.short_name",
        "abstract": "new.abstract",
        "authors": _AUTHORS.format(row="new"),
        "note": "new.note",
        "tags": _TAGS.format(pid="new.id"),
        "cjk": "new.cjk",
    }
    paper_columns = [c for c in columns if c != "tags"]
    updates = ", ".join(f"{c} = {values[c]}" for c in paper_columns)
    return [
        f"""CREATE VIRTUAL TABLE paper_fts USING fts5(
            {", ".join(columns)},
            tokenize = 'unicode61 remove_diacritics 2'
        )""",
        "CREATE VIRTUAL TABLE paper_fts_vocab USING fts5vocab(paper_fts, row)",
        f"""CREATE TRIGGER paper_fts_insert AFTER INSERT ON paper BEGIN
            INSERT INTO paper_fts(rowid, {", ".join(columns)})
            VALUES (new.id, {", ".join(values[c] for c in columns)});
        END""",
        f"""CREATE TRIGGER paper_fts_update AFTER UPDATE OF {", ".join(paper_columns)} ON paper
        BEGIN
            UPDATE paper_fts SET {updates} WHERE rowid = new.id;
        END""",
        "CREATE TRIGGER paper_fts_delete AFTER DELETE ON paper BEGIN DELETE FROM paper_fts WHERE rowid = old.id; END",
        f"""CREATE TRIGGER paper_tag_fts_insert AFTER INSERT ON paper_tag BEGIN
            UPDATE paper_fts SET tags = {_TAGS.format(pid="new.paper_id")} WHERE rowid = new.paper_id;
        END""",
        f"""CREATE TRIGGER paper_tag_fts_delete AFTER DELETE ON paper_tag BEGIN
            UPDATE paper_fts SET tags = {_TAGS.format(pid="old.paper_id")} WHERE rowid = old.paper_id;
        END""",
        f"""CREATE TRIGGER tag_fts_rename AFTER UPDATE OF name ON tag BEGIN
            UPDATE paper_fts SET tags = {_TAGS.format(pid="paper_fts.rowid")}
            WHERE rowid IN (SELECT paper_id FROM paper_tag WHERE tag_id = new.id);
        END""",
    ]


def _fill_fts(columns: list[str]) -> str:
    select = {
        "title": "p.title",
        "short_name": "p.short_name",
        "abstract": "p.abstract",
        "authors": _AUTHORS.format(row="p"),
        "note": "p.note",
        "tags": _TAGS.format(pid="p.id"),
        "cjk": "p.cjk",
    }
    return (
        f"INSERT INTO paper_fts(rowid, {', '.join(columns)}) "
        f"SELECT p.id, {', '.join(select[c] for c in columns)} FROM paper p"
    )


OLD_COLUMNS = ["title", "short_name", "abstract", "authors", "note", "tags"]
NEW_COLUMNS = [*OLD_COLUMNS, "cjk"]


def upgrade() -> None:
    for name in ("list_title", "flag", "verified", "status", "status_at", "cjk"):
        op.add_column("paper", sa.Column(name, sa.String(), nullable=True))
    _fill_cjk()
    for statement in _DROP_FTS:
        op.execute(statement)
    for statement in _fts(NEW_COLUMNS):
        op.execute(statement)
    op.execute(_fill_fts(NEW_COLUMNS))
    op.execute(f"CREATE INDEX ix_paper_date ON paper ({PAPER_DATE_SQL})")
    op.execute(f"CREATE INDEX ix_paper_year_of ON paper ({PAPER_YEAR_SQL})")
    op.execute("CREATE INDEX ix_paper_status ON paper (status, status_at) WHERE status IS NOT NULL")
    op.execute("CREATE INDEX ix_paper_flag ON paper (flag) WHERE flag IS NOT NULL")
    op.execute("CREATE INDEX ix_paper_unverified ON paper (id) WHERE arxiv_id IS NOT NULL AND verified IS NULL")


def _fill_cjk() -> None:
    """The CJK pairs of papers already stored (few have any: only rows with non-ASCII text are read)."""
    from llmkb.fts import cjk_terms

    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, title, short_name, abstract, note FROM paper "
            "WHERE title GLOB '*[^ -~]*' OR note GLOB '*[^ -~]*' OR abstract GLOB '*[^ -~]*'"
        )
    ).fetchall()
    for pid, *texts in rows:
        terms = cjk_terms(*texts)
        if terms:
            bind.execute(sa.text("UPDATE paper SET cjk = :cjk WHERE id = :id"), {"cjk": terms, "id": pid})


def downgrade() -> None:
    for index in ("ix_paper_unverified", "ix_paper_flag", "ix_paper_status", "ix_paper_year_of", "ix_paper_date"):
        op.execute(f"DROP INDEX IF EXISTS {index}")
    for statement in _DROP_FTS:
        op.execute(statement)
    with op.batch_alter_table("paper") as batch:
        for name in ("cjk", "status_at", "status", "verified", "flag", "list_title"):
            batch.drop_column(name)
    for statement in _fts(OLD_COLUMNS):
        op.execute(statement)
    op.execute(_fill_fts(OLD_COLUMNS))
