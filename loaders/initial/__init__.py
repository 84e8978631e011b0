"""`credit-graph load BUNDLE --initial`: the first load into an empty local instance through
`neo4j-admin database import` (docs/loading.md): the orchestration (`load`), the import files of
the accepted rows (`import_files`) and of what propagation derives from them (`derived`)."""

from loaders.initial.load import NotEmpty, initial_import

__all__ = ["NotEmpty", "initial_import"]
