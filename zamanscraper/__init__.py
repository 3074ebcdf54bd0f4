"""zamanscraper: Zaman al-Wasl articles as exact, provenance-tracked JSONL records."""

__version__ = "0.1.0"
