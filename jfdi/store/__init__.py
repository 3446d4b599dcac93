"""Where generations are kept: SQLite on the box (the journal), Convex for the team."""

from .sqlite import Store

__all__ = ["Store"]
