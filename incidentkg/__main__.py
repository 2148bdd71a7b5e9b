"""``python -m incidentkg`` runs the command line."""

from .cli import main

main()
