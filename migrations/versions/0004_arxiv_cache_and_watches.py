"""arXiv answers kept for `llmkb lint`; saved arXiv queries (`llmkb watch`) and what they brought in.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "arxiv_record",
        sa.Column("arxiv_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("authors", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("published", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("updated", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("journal_ref", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("doi", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("fetched_at", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("arxiv_id"),
    )
    op.create_table(
        "watch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("query", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("categories", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tags", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("last_run", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("seen_until", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "watch_paper",
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("found_at", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("dismissed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["watch_id"], ["watch.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("watch_id", "paper_id"),
    )
    with op.batch_alter_table("watch_paper", schema=None) as batch_op:
        batch_op.create_index("ix_watch_paper_found_at", ["watch_id", "found_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_watch_paper_paper_id"), ["paper_id"], unique=False)


def downgrade() -> None:
    op.drop_table("watch_paper")
    op.drop_table("watch")
    op.drop_table("arxiv_record")
