"""Answers become files: the interactive HTML page and the other export formats."""
