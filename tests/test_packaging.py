"""The wheel: every package is in it, and installed outside the repository it runs.

The installed wheel must find its statements, rules and demo bundle as package data, with no
checkout behind it (issue 16, point 5).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

from graph_service import REPO_ROOT
from graph_service.cypher import query

TOP = ("graph_service", "loaders")


def _package_folders() -> set[str]:
    found = set()
    for top in TOP:
        for init in (REPO_ROOT / top).rglob("*.py"):
            rel = init.parent.relative_to(REPO_ROOT)
            if "__pycache__" not in rel.parts:
                found.add(".".join(rel.parts))
    return found


def test_pyproject_lists_every_package():
    listed = set(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    assert listed - {"graph_service.statements"} == _package_folders()


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv outside the repository with the wheel installed; the dependencies come from the
    project's venv through a path entry (installing them again would need the network)."""
    tmp = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the tracked files: setuptools builds in the source tree, and a stale
    # build/ there would put removed modules into the wheel.
    src = tmp / "src"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, check=True, capture_output=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (REPO_ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp / "dist"), str(src)], check=True, cwd=tmp, capture_output=True)
    wheel = next((tmp / "dist").glob("credit_graph-*.whl"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
                    "--no-deps", str(wheel)], check=True)
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "graph_service/statements/credit/check_batch.cypher" in names
    dev_only = ("graph_service/statements/testing/", "graph_service/statements/bench/")
    assert not [n for n in names if n.startswith(dev_only)]
    return venv


def _env(tmp: Path, graph_env: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CREDIT_GRAPH_", "PYTHON"))}
    env["CREDIT_GRAPH_HOME"] = str(tmp / "home")
    env.update(graph_env or {})
    return env


def _cli(venv: Path, *args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "credit-graph"), *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_the_installed_wheel_checks_rules_loads_and_serves(installed, graph, tmp_path):
    venv = installed
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import graph_service, loaders; "
                            "print(graph_service.__file__); print(loaders.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert all(str(venv) in w for w in where), where

    res = _cli(venv, "rules", "check", env=_env(tmp_path), cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr

    neo = {k: os.environ[k] for k in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")}
    demo = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "from graph_service.cli.serve_cmd import DEMO_BUNDLE; print(DEMO_BUNDLE)"],
                          cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
    assert demo.startswith(str(venv))
    res = _cli(venv, "load", demo, env=_env(tmp_path, neo), cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert graph.execute_query(query("testing/graph_counts")).records[0]["nodes"] > 0

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(venv / "bin" / "credit-graph"), "serve", "--port", str(port)],
                              env=_env(tmp_path, {**neo, "CREDIT_GRAPH_WARM_UP_S": "0"}), cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    status = r.status
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        assert status == 200, server.stderr.read() if server.poll() is not None else "no answer in 60 s"
    finally:
        server.terminate()
        server.wait(timeout=30)
