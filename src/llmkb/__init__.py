"""llmkb: a command-line knowledge base of research on large language models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["KB", "__version__"]

if TYPE_CHECKING:
    from llmkb.kb import KB


def __getattr__(name: str) -> Any:
    # `llmkb.KB` is loaded on first use: the command line imports this package before every command and
    # should not pay for the Python API it does not touch.
    if name == "KB":
        from llmkb.kb import KB

        return KB
    raise AttributeError(f"module 'llmkb' has no attribute {name!r}")
