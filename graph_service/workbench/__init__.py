"""The workbench: the web page served at `/` for investigators and departments (docs/workbench.md).

Only files: `static/` holds the page (index.html, plain ES modules, CSS) and, in `static/vendor/`,
the libraries `scripts/bootstrap` installs from npm (package.json, package-lock.json) and copies
there (git-ignored). The app serves `static/` at ASSETS_URL and the page at `/`.
"""

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
INDEX = STATIC / "index.html"
VENDOR = STATIC / "vendor"
ASSETS_URL = "/workbench"
