"""Paper counts kept in step with the links, so `tags`, `datasets`, `models` and `metrics` read no link table.

Revision ID: 0005
Revises: 0004

- tag.papers: distinct papers tagged with the path or any path below it. Every ancestor of a tag path is a
  tag row too, and `tag_ancestor` (tag, ancestor; itself included) says which; triggers on `paper_tag`
  count a paper once per ancestor, however many of its tags lie below it.
- dataset.papers, model.papers: distinct papers linked (any role, any source); metric.papers: distinct
  papers with a result in the metric. Triggers on the link and result tables keep them.
- An index on lower(short_name), for finding a paper by the name a list gives it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TRIGGERS = [
    # a paper counts for an ancestor when this is its first tag at or below it
    """CREATE TRIGGER paper_tag_count_insert AFTER INSERT ON paper_tag BEGIN
        UPDATE tag SET papers = papers + 1
        WHERE id IN (SELECT ancestor_id FROM tag_ancestor WHERE tag_id = new.tag_id)
          AND NOT EXISTS (
            SELECT 1 FROM paper_tag pt JOIN tag_ancestor ta ON ta.tag_id = pt.tag_id
            WHERE pt.paper_id = new.paper_id AND pt.tag_id != new.tag_id AND ta.ancestor_id = tag.id);
    END""",
    """CREATE TRIGGER paper_tag_count_delete AFTER DELETE ON paper_tag BEGIN
        UPDATE tag SET papers = papers - 1
        WHERE id IN (SELECT ancestor_id FROM tag_ancestor WHERE tag_id = old.tag_id)
          AND NOT EXISTS (
            SELECT 1 FROM paper_tag pt JOIN tag_ancestor ta ON ta.tag_id = pt.tag_id
            WHERE pt.paper_id = old.paper_id AND ta.ancestor_id = tag.id);
    END""",
]
for _kind in ("dataset", "model"):
    TRIGGERS += [
        f"""CREATE TRIGGER paper_{_kind}_count_insert AFTER INSERT ON paper_{_kind}
        WHEN NOT EXISTS (SELECT 1 FROM paper_{_kind} WHERE paper_id = new.paper_id
                         AND {_kind}_id = new.{_kind}_id AND NOT (role = new.role AND source = new.source))
        BEGIN UPDATE {_kind} SET papers = papers + 1 WHERE id = new.{_kind}_id; END""",
        f"""CREATE TRIGGER paper_{_kind}_count_delete AFTER DELETE ON paper_{_kind}
        WHEN NOT EXISTS (SELECT 1 FROM paper_{_kind} WHERE paper_id = old.paper_id AND {_kind}_id = old.{_kind}_id)
        BEGIN UPDATE {_kind} SET papers = papers - 1 WHERE id = old.{_kind}_id; END""",
    ]
TRIGGERS += [
    """CREATE TRIGGER result_count_insert AFTER INSERT ON result
    WHEN NOT EXISTS (SELECT 1 FROM result WHERE paper_id = new.paper_id AND metric_id = new.metric_id
                     AND id != new.id)
    BEGIN UPDATE metric SET papers = papers + 1 WHERE id = new.metric_id; END""",
    """CREATE TRIGGER result_count_delete AFTER DELETE ON result
    WHEN NOT EXISTS (SELECT 1 FROM result WHERE paper_id = old.paper_id AND metric_id = old.metric_id)
    BEGIN UPDATE metric SET papers = papers - 1 WHERE id = old.metric_id; END""",
    """CREATE TRIGGER result_count_update AFTER UPDATE OF paper_id, metric_id ON result BEGIN
        UPDATE metric SET papers = (SELECT count(DISTINCT paper_id) FROM result WHERE metric_id = metric.id)
        WHERE id IN (old.metric_id, new.metric_id);
    END""",
]
TRIGGER_NAMES = [
    "paper_tag_count_insert",
    "paper_tag_count_delete",
    "paper_dataset_count_insert",
    "paper_dataset_count_delete",
    "paper_model_count_insert",
    "paper_model_count_delete",
    "result_count_insert",
    "result_count_delete",
    "result_count_update",
]


def upgrade() -> None:
    for table in ("tag", "dataset", "model", "metric"):
        op.add_column(table, sa.Column("papers", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "tag_ancestor",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("ancestor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["ancestor_id"], ["tag.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tag_id", "ancestor_id"),
    )
    with op.batch_alter_table("tag_ancestor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tag_ancestor_ancestor_id"), ["ancestor_id"], unique=False)
    op.execute("CREATE INDEX ix_paper_short_name ON paper (lower(short_name))")
    _ancestors()
    op.execute(
        "UPDATE tag SET papers = (SELECT count(DISTINCT pt.paper_id) FROM paper_tag pt "
        "JOIN tag_ancestor ta ON ta.tag_id = pt.tag_id WHERE ta.ancestor_id = tag.id)"
    )
    for kind in ("dataset", "model"):
        op.execute(
            f"UPDATE {kind} SET papers = (SELECT count(DISTINCT paper_id) FROM paper_{kind} "
            f"WHERE {kind}_id = {kind}.id)"
        )
    op.execute("UPDATE metric SET papers = (SELECT count(DISTINCT paper_id) FROM result WHERE metric_id = metric.id)")
    for statement in TRIGGERS:
        op.execute(statement)


def _ancestors() -> None:
    """Every prefix of every stored tag path becomes a tag row, and each tag's ancestors are recorded."""
    bind = op.get_bind()
    ids = {name: tag_id for tag_id, name in bind.execute(sa.text("SELECT id, name FROM tag"))}
    for name in sorted(ids):
        parts = name.split("/")
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth])
            if prefix not in ids:
                bind.execute(sa.text("INSERT INTO tag (name, papers) VALUES (:name, 0)"), {"name": prefix})
                ids[prefix] = bind.execute(sa.text("SELECT id FROM tag WHERE name = :n"), {"n": prefix}).scalar_one()
    rows = []
    for name, tag_id in ids.items():
        parts = name.split("/")
        rows += [{"t": tag_id, "a": ids["/".join(parts[:depth])]} for depth in range(1, len(parts) + 1)]
    if rows:
        bind.execute(sa.text("INSERT INTO tag_ancestor (tag_id, ancestor_id) VALUES (:t, :a)"), rows)


def downgrade() -> None:
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP INDEX IF EXISTS ix_paper_short_name")
    op.drop_table("tag_ancestor")
    op.execute("DELETE FROM tag WHERE id NOT IN (SELECT tag_id FROM paper_tag)")
    for table in ("metric", "model", "dataset", "tag"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN papers")  # in place: the FTS triggers on tag stay
