"""Answered checks (POST /v1/checks): single checks read together (`reader`), kept on disk before
their answer leaves (`journal`) and stored in Neo4j behind it (`log`). The check itself is
`graph_service.credit.check`."""
