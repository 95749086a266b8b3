"""mtcheck: an offline, multilingual checker for machine-translated text.

The public API is lazy: ``import mtcheck`` imports nothing heavy.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "scan_text", "scan_paths", "scan_document"]


def __getattr__(name: str):
    if name in ("scan_text", "scan_paths", "scan_document"):
        from mtcheck import api

        return getattr(api, name)
    raise AttributeError(name)
