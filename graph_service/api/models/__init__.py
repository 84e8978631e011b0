"""Pydantic models of the API's answers (validation at the edge; the graph stays the truth)."""
