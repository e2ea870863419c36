"""Renderers: turn records into text. `plain` needs only the standard library; `rich_views` draws tables."""
