"""The shipped seed corpus: five articles, their annotations and the shared catalog."""

from importlib.resources import files
from pathlib import Path

SEEDS_DIR = Path(str(files(__package__)))
