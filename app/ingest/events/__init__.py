"""The event stage: per-sentence mentions in, the events an analyst would code out."""

from app.ingest.events.assemble import assemble as find_events

__all__ = ["find_events"]
