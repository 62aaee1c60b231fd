"""The catalog package's errors: one base, three kinds. Callers catch these, never bare ValueError/KeyError.

    CatalogError            anything the data layer refuses or cannot do (a ValueError, for older callers)
    ├── NotFound            an id / SKU / account that does not exist (also a KeyError)
    ├── Invalid             a value, file or template that breaks a rule (file:line errors, template errors…)
    └── Conflict            an edit that clashes with the current state (duplicate id, stale version…)
"""

from __future__ import annotations


class CatalogError(ValueError):
    """Base of every error the catalog package raises on purpose."""


class NotFound(CatalogError, KeyError):
    """The thing asked for does not exist."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class Invalid(CatalogError):
    """A value, file or template breaks a rule."""


class Conflict(CatalogError):
    """An edit clashes with the current state."""
