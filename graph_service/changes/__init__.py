"""The service's memory (issue 18; docs/changes.md): the change feed and histories read from the
change log the write paths append to (graph_service.changelog)."""
