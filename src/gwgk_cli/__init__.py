"""gwgk: a tracker for a government office's annual 政务公开 key-task division."""

__version__ = "0.1.0"
