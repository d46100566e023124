"""llmkb: a command-line knowledge base of research on large language models."""

__version__ = "0.1.0"
