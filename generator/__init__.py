"""A small, strict static site generator for the Hikvision and UK councils explainer."""

__version__ = "0.1.0"
