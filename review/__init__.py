"""Review draft annotations: accept, reject or fix what an extractor drafted.

:mod:`.drafts` holds the steps as plain functions (list the pending items, accept, reject, fix,
each writing the annotation file atomically); :mod:`.app` is the interactive terminal flow
(Textual) over them, behind ``incidentkg review CORPUS [ARTICLE]``.
"""
