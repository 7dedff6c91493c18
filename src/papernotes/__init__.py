"""papernotes: reading notes on arXiv:2511.18538, checked, cross-linked and staged for a static site."""

__version__ = "0.1.0"
