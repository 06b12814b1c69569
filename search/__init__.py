"""unres: full-text search for the Chinese text of UN General Assembly resolutions.

Layers, each importing only those below it: ``cli`` → ``engine`` → ``indexer``/``index``/
``analysis``/``grams`` → ``parser`` (with its layout readers) → ``model``.
"""

__version__ = "0.1.0"
