"""The only query layer: typed filters in, public shapes out (``from app import queries``).

One module per kind of answer: record lists (events, figures, articles, directory), the
claims ledger, the change feed; ``filters`` turns the shared filter model into SQL for all
of them and ``paging`` makes the cursors.
"""

from app.queries.articles import delete_article, get_article, list_articles
from app.queries.changes import data_version, list_changes
from app.queries.claims import list_claims
from app.queries.directory import list_actors, list_places
from app.queries.events import (
    EventInContext,
    count_events,
    get_event,
    iter_events,
    list_events,
)
from app.queries.figures import FigureInContext, count_figures, iter_figures, list_figures
from app.queries.filters import Filters, event_conditions, figure_conditions
from app.queries.geo import BBox, Near
from app.queries.paging import InvalidCursor, PageResult
from app.queries.status import counts, database_ok, last_ingest

__all__ = [
    "BBox", "EventInContext", "FigureInContext", "Filters", "InvalidCursor", "Near", "PageResult",
    "count_events", "count_figures", "counts",
    "data_version", "database_ok", "delete_article", "event_conditions", "figure_conditions",
    "get_article", "get_event", "iter_events", "iter_figures", "last_ingest", "list_actors",
    "list_articles", "list_changes", "list_claims", "list_events", "list_figures",
    "list_places",
]
