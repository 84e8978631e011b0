# The credit-graph API (and its CLI, for the one-shot demo loader of docker-compose.yml).

# The workbench's JavaScript libraries, from npm by the lockfile, copied as scripts/bootstrap does.
FROM node:20-slim AS workbench
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund \
    && mkdir vendor \
    && node -e "const p = require('./package.json'), fs = require('fs'); \
                for (const [n, s] of Object.entries(p.workbench.vendor)) fs.copyFileSync(s, 'vendor/' + n)"

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY graph_service ./graph_service
COPY loaders ./loaders
COPY cypher ./cypher
COPY --from=workbench /src/vendor ./graph_service/workbench/static/vendor
# Editable: cypher/ is mapped as graph_service.statements, and /app is the service's home.
# var/check-journal: the check journal's volume takes this directory's owner when it is made.
RUN pip install --no-deps -e . \
    && mkdir -p /app/var/check-journal \
    && useradd --system --uid 10001 credit && chown -R credit /app
USER credit

ENV CREDIT_GRAPH_HOST=0.0.0.0 CREDIT_GRAPH_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["credit-graph", "serve"]
