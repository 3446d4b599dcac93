"""JFDI: production-ready React + TypeScript + Tailwind code for manufacturing, from plain language."""

__version__ = "0.1.0"
