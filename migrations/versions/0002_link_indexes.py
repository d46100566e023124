"""Indexes for the cross-reference views: links by dataset or model with their paper, results by metric.

Revision ID: 0002
Revises: 0001

`paper_dataset(dataset_id, paper_id)` and `paper_model(model_id, paper_id)` replace the single-column
indexes: they answer "which papers link this dataset" and count papers per dataset from the index alone.
`result(metric_id, paper_id)` does the same for metrics.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_paper_dataset_dataset_id", table_name="paper_dataset")
    op.create_index("ix_paper_dataset_dataset_id_paper_id", "paper_dataset", ["dataset_id", "paper_id"], unique=False)
    op.drop_index("ix_paper_model_model_id", table_name="paper_model")
    op.create_index("ix_paper_model_model_id_paper_id", "paper_model", ["model_id", "paper_id"], unique=False)
    op.create_index("ix_result_metric_id_paper_id", "result", ["metric_id", "paper_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_result_metric_id_paper_id", table_name="result")
    op.drop_index("ix_paper_model_model_id_paper_id", table_name="paper_model")
    op.create_index("ix_paper_model_model_id", "paper_model", ["model_id"], unique=False)
    op.drop_index("ix_paper_dataset_dataset_id_paper_id", table_name="paper_dataset")
    op.create_index("ix_paper_dataset_dataset_id", "paper_dataset", ["dataset_id"], unique=False)
