"""The models package's errors: one base. Files the models read, assembly of bundled weights, training."""

from __future__ import annotations


class ModelError(Exception):
    """Base of every error the models package raises on purpose."""


class ModelFileError(ModelError, ValueError):
    """A file the models read (intents, index sidecar…) is unusable."""
