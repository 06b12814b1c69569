"""The web page and JSON API that ``unres serve`` runs: views (one dict each), their pages and
JSON, over one read-only engine. Starlette and Jinja2 are imported only by ``serve``."""
