"""Imported once by the extraction forkserver (see ``worker_pool``): loading spaCy and the
gazetteer here means every worker it forks starts warm and shares those pages.

A failure is only logged: the workers then load the pipeline themselves and report the
real error to the process that asked for them.
"""

from __future__ import annotations

import logging

try:
    from app.ingest.pipeline import warm_up

    warm_up()
except Exception:
    logging.getLogger("frontwire").exception("extraction preload failed")
