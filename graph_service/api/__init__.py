"""The HTTP API (FastAPI). `graph_service.app.create_app()` builds it; one router module per resource."""
