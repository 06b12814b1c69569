"""``python -m search`` runs the command line."""

from .cli import main

main()
