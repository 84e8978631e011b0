"""The project's own Neo4j 5.26 Community server, installed from Maven Central and run as a JVM.

Machines without a Docker engine still get a real Neo4j: the server jars are resolved by Maven
(`org.neo4j.app:neo4j-server`, `org.neo4j:neo4j`, `org.neo4j:neo4j-bolt`) into a git-ignored
cache and started with `org.neo4j.server.CommunityEntryPoint --console-mode`. In that mode the
neo4j launcher script is not involved, so the JVM flags it normally adds (heap, --add-opens) are
put on the java command line here.

Layout of the cache (CREDIT_GRAPH_CACHE_DIR, default `<repo>/.cache`):

    neo4j-<version>/lib/*.jar          the server, installed once; later installs are offline
    neo4j-<version>/cds/*.jsa          class archives of the server's and the import tool's JVMs
    instances/<name>/conf/neo4j.conf   written by the project on every start
    instances/<name>/data, logs        the database and its logs (logs/console.log is the server's output)
    instances/<name>/state.json        port, password, pid
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

from graph_service.cypher import query
from graph_service.errors import ServiceError
from graph_service.settings import LocalNeo4jSettings, local_neo4j_settings

ARTIFACTS = (
    ("org.neo4j.app", "neo4j-server"),
    ("org.neo4j", "neo4j"),
    ("org.neo4j", "neo4j-bolt"),
)
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)


class Neo4jLocalError(ServiceError, RuntimeError):
    pass


# Class data sharing: the classes a JVM of the server (or of the import tool) loads are dumped once
# into an archive next to the jars, which later JVMs map instead of loading ~200 jars (a faster
# start). A JVM that finds it unusable (another java, other jars) ignores it.
CDS_STALE_S = 600


def _cds_flags(lib: Path, kind: str) -> tuple[list[str], Path | None]:
    """The JVM flags, and the archive this JVM will write at exit (None when one exists)."""
    archive = lib.parent / "cds" / f"{kind}.jsa"
    quiet = "-Xlog:cds*=off"  # CDS lists every class it skips (signed jars, old bytecode)
    if archive.exists():
        return [f"-XX:SharedArchiveFile={archive}", quiet], None
    archive.parent.mkdir(parents=True, exist_ok=True)
    for stale in archive.parent.glob(f"{kind}.*.part"):
        # Left by a JVM that exited without `stop` (a reboot, a kill): not known to be complete.
        if time.time() - stale.stat().st_mtime > CDS_STALE_S:
            stale.unlink(missing_ok=True)
    part = archive.with_name(f"{kind}.{secrets.token_hex(4)}.part")  # one writer per file
    return [f"-XX:ArchiveClassesAtExit={part}", quiet], part


def _cds_written(part: Path | None, clean_exit: bool) -> None:
    """The JVM that was to write ``part`` has exited: after a clean exit the archive is complete
    and becomes the one later JVMs use; otherwise it is dropped."""
    if part is None or not part.exists():
        return
    if clean_exit and part.stat().st_size > 0:
        os.replace(part, part.with_name(part.name.split(".")[0] + ".jsa"))
    else:
        part.unlink(missing_ok=True)


@dataclass
class InstanceStatus:
    name: str
    running: bool
    uri: str | None
    pid: int | None
    home: Path
    log: Path
    username: str = "neo4j"
    password: str | None = None


def _pom(version: str) -> str:
    deps = "\n".join(
        f"    <dependency><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{version}</version></dependency>"
        for g, a in ARTIFACTS
    )
    return f"""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>credit-graph</groupId><artifactId>neo4j-server-install</artifactId><version>1</version>
  <dependencies>
{deps}
  </dependencies>
</project>
"""


def install_dir(settings: LocalNeo4jSettings | None = None) -> Path:
    s = settings or local_neo4j_settings()
    return s.cache_dir / f"neo4j-{s.neo4j_version}"


def install(settings: LocalNeo4jSettings | None = None, echo=print) -> Path:
    """Resolve the server jars into the cache. A second call finds them there and needs no network."""
    s = settings or local_neo4j_settings()
    home = install_dir(s)
    lib = home / "lib"
    marker = home / ".complete"
    if marker.exists():
        return lib
    if shutil.which("mvn") is None:
        raise Neo4jLocalError("Maven (mvn) is needed to install Neo4j from Maven Central; install it first")
    home.mkdir(parents=True, exist_ok=True)
    (home / "pom.xml").write_text(_pom(s.neo4j_version))
    tmp_lib = home / "lib.partial"
    shutil.rmtree(tmp_lib, ignore_errors=True)
    echo(f"installing Neo4j {s.neo4j_version} Community from Maven Central into {home} ...")
    cmd = ["mvn", "-B", "-q", "-f", str(home / "pom.xml"), "dependency:copy-dependencies",
           f"-DoutputDirectory={tmp_lib}", "-DincludeScope=runtime"]
    # Offline first: the jars may already sit in ~/.m2 from an earlier install.
    done = subprocess.run(cmd + ["-o"], capture_output=True, text=True)
    if done.returncode != 0:
        done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise Neo4jLocalError(f"mvn failed to resolve Neo4j {s.neo4j_version}:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    shutil.rmtree(lib, ignore_errors=True)
    tmp_lib.rename(lib)
    marker.write_text(s.neo4j_version)
    return lib


def _instance_home(name: str, s: LocalNeo4jSettings) -> Path:
    return s.cache_dir / "instances" / name


def _read_state(home: Path) -> dict:
    p = home / "state.json"
    return json.loads(p.read_text()) if p.exists() else {}


def _write_state(home: Path, state: dict) -> None:
    p = home / "state.json"
    p.write_text(json.dumps(state, indent=2))
    p.chmod(0o600)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        proc = psutil.Process(pid)
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE and "java" in proc.name()
    except psutil.Error:
        return False


def memory_plan(s: LocalNeo4jSettings) -> tuple[str, str]:
    """Heap and page cache: a quarter of the machine's memory each, at most 4 GB, unless given."""
    total_mb = psutil.virtual_memory().total // (1024 * 1024)
    auto = f"{max(512, min(4096, total_mb // 4))}m"
    return s.heap or auto, s.pagecache or auto


def _write_conf(home: Path, port: int, pagecache: str) -> None:
    conf = home / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    for d in ("data", "logs", "run", "plugins", "import"):
        (home / d).mkdir(exist_ok=True)
    (conf / "neo4j.conf").write_text(
        "\n".join(
            [
                "# Written by credit-graph on every start; edits are overwritten.",
                "server.default_listen_address=127.0.0.1",
                "server.default_advertised_address=127.0.0.1",
                "server.bolt.enabled=true",
                f"server.bolt.listen_address=127.0.0.1:{port}",
                f"server.bolt.advertised_address=127.0.0.1:{port}",
                "server.http.enabled=false",
                "server.https.enabled=false",
                "dbms.usage_report.enabled=false",
                "dbms.security.auth_enabled=true",
                f"server.memory.pagecache.size={pagecache}",
                f"server.directories.data={home / 'data'}",
                f"server.directories.logs={home / 'logs'}",
                f"server.directories.run={home / 'run'}",
                f"server.directories.plugins={home / 'plugins'}",
                f"server.directories.import={home / 'import'}",
                "db.tx_log.rotation.retention_policy=2 files",
                "",
            ]
        )
    )


def status(name: str = "default", settings: LocalNeo4jSettings | None = None) -> InstanceStatus:
    s = settings or local_neo4j_settings()
    home = _instance_home(name, s)
    state = _read_state(home)
    pid = state.get("pid")
    running = _pid_alive(pid) and _port_open(state.get("port", 0))
    uri = f"neo4j://127.0.0.1:{state['port']}" if state.get("port") else None
    return InstanceStatus(
        name=name, running=running, uri=uri, pid=pid if running else None, home=home,
        log=home / "logs" / "console.log", password=state.get("password"),
    )


def _java() -> str:
    """JAVA_HOME's java, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    java = (shutil.which("java", path=os.path.join(home, "bin")) if home else None) or shutil.which("java")
    if java is None:
        raise Neo4jLocalError("java (17 or newer) is needed to run Neo4j")
    return java


def _set_initial_password(port: int, password: str, deadline: float) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    uri = f"bolt://127.0.0.1:{port}"
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with GraphDatabase.driver(uri, auth=("neo4j", password)) as d:
                d.verify_connectivity()
                return
        except AuthError:
            try:
                with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as d:
                    d.execute_query(
                        query("admin/set_initial_password"),
                        old="neo4j", new=password, database_="system",
                    )
                return
            except Exception as exc:  # server still warming up its system database
                last = exc
        except (ServiceUnavailable, OSError) as exc:
            last = exc
        time.sleep(0.1)
    raise Neo4jLocalError(f"Neo4j did not accept Bolt connections in time: {last}")


def start(name: str = "default", port: int | None = None, settings: LocalNeo4jSettings | None = None,
          echo=print) -> InstanceStatus:
    """Start the instance (installing the jars first if needed) and wait until Bolt answers."""
    s = settings or local_neo4j_settings()
    current = status(name, s)
    if current.running:
        return current
    lib = install(s, echo=echo)
    home = _instance_home(name, s)
    home.mkdir(parents=True, exist_ok=True)
    state = _read_state(home)
    chosen = port or s.bolt_port or state.get("port")
    if not chosen or _port_open(chosen):
        chosen = free_port()
    state.setdefault("password", secrets.token_urlsafe(24))
    heap, pagecache = memory_plan(s)
    _write_conf(home, chosen, pagecache)
    java = _java()
    cds, cds_part = _cds_flags(lib, "server")
    cmd = [java, f"-Xms{heap}", f"-Xmx{heap}", *JVM_FLAGS, *cds, "-cp", f"{lib}/*", MAIN_CLASS,
           f"--home-dir={home}", f"--config-dir={home / 'conf'}", "--console-mode"]
    log = home / "logs" / "console.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=home, start_new_session=True)
    state.update(port=chosen, pid=proc.pid, heap=heap, pagecache=pagecache, version=s.neo4j_version,
                 cds_part=str(cds_part) if cds_part else None)
    _write_state(home, state)
    deadline = time.monotonic() + s.start_timeout_s
    while not _port_open(chosen):
        if proc.poll() is not None:
            raise Neo4jLocalError(f"Neo4j exited with status {proc.returncode}; see {log}")
        if time.monotonic() > deadline:
            raise Neo4jLocalError(f"Neo4j did not open Bolt port {chosen} in {s.start_timeout_s:.0f}s; see {log}")
        time.sleep(0.05)  # a load --initial waits on this start: polling costs less than a late answer
    _set_initial_password(chosen, state["password"], deadline)
    return status(name, s)


def stop(name: str = "default", settings: LocalNeo4jSettings | None = None, timeout_s: float = 60) -> bool:
    """Shut the instance down cleanly (SIGTERM runs Neo4j's shutdown hook). False if it was not running."""
    s = settings or local_neo4j_settings()
    st = status(name, s)
    if not st.running or st.pid is None:
        return False
    part = _read_state(st.home).get("cds_part")
    clean = _terminate(st.pid, timeout_s)
    _cds_written(Path(part) if part else None, clean)
    return True


def _terminate(pid: int, timeout_s: float) -> bool:
    """SIGTERM, then SIGKILL after ``timeout_s``. True when the process exited by itself."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    try:
        proc = psutil.Process(pid)
        while time.monotonic() < deadline:
            try:
                proc.wait(timeout=0.2)  # reaps it when this process started it
                return True
            except psutil.TimeoutExpired:
                # Started by another process that is still running (a benchmark's parent), it stays
                # a zombie until that one reaps it; it has exited all the same.
                if not _pid_alive(pid):
                    return True
        os.kill(pid, signal.SIGKILL)
        return False
    except psutil.NoSuchProcess:
        return True


ADMIN_CLASS = "org.neo4j.cli.AdminTool"


def admin_import(name: str, staging: Path, nodes: list[tuple[str, Path]], relationships: list[tuple[str, Path]],
                 *, multiline: Sequence[Path] = (), database: str = "neo4j",
                 settings: LocalNeo4jSettings | None = None, on_line=None) -> Path:
    """`neo4j-admin database import full` into ``staging/data`` (not the instance's live data
    folder, so a failed or killed import leaves the live database as it was); the instance may run
    meanwhile. ``nodes``/``relationships``: (label or type, CSV file with its own header).
    Returns the log file. Raises Neo4jLocalError when the tool fails."""
    s = settings or local_neo4j_settings()
    lib = install(s, echo=lambda *a: None)
    home = _instance_home(name, s)
    if not (home / "conf" / "neo4j.conf").exists():
        raise Neo4jLocalError(f"instance {name!r} was never started: start it once first")
    data = staging / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    extra = staging / "import.conf"
    extra.write_text(f"server.directories.data={data}\n")
    log = staging / "import.log"
    java = _java()
    cds, cds_part = _cds_flags(lib, "admin")
    cmd = [java, f"-Xmx{s.import_heap}", *JVM_FLAGS, *cds, "-cp", f"{lib}/*", ADMIN_CLASS,
           "database", "import", "full", database,
           f"--additional-config={extra}", f"--report-file={staging / 'import.report'}",
           f"--max-off-heap-memory={s.import_off_heap}", "--overwrite-destination=true",
           "--id-type=string", "--ignore-empty-strings=true", "--bad-tolerance=0",
           "--array-delimiter=;"]
    cmd += [f"--nodes={label}={path}" for label, path in nodes]
    cmd += [f"--relationships={rtype}={path}" for rtype, path in relationships]
    if multiline:
        cmd += ["--multiline-fields-format=v2", f"--multiline-fields={','.join(str(p) for p in multiline)}"]
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=staging, env=env, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            out.write(line)
            if on_line is not None:
                on_line(line.rstrip("\n"))
        status = proc.wait()
    _cds_written(cds_part, status == 0)
    if status != 0:
        tail = "".join(log.read_text(errors="replace").splitlines(keepends=True)[-15:])
        raise Neo4jLocalError(f"neo4j-admin database import failed (status {status}); see {log}:\n{tail}")
    return log


def replace_database(name: str, staging: Path, database: str = "neo4j",
                     settings: LocalNeo4jSettings | None = None) -> None:
    """Puts the store that `admin_import` built in ``staging`` in place of the instance's database.
    The instance must be stopped. The old store goes to ``staging/replaced`` first, so the live
    folders are never half-copied: each step is a rename within one file system."""
    s = settings or local_neo4j_settings()
    if status(name, s).running:
        raise Neo4jLocalError(f"instance {name!r} is running: stop it before replacing its database")
    live = _instance_home(name, s) / "data"
    old = staging / "replaced"
    shutil.rmtree(old, ignore_errors=True)
    old.mkdir(parents=True)
    for part in ("databases", "transactions"):
        (live / part).mkdir(parents=True, exist_ok=True)
        if (live / part / database).exists():
            (live / part / database).rename(old / part)
    for part in ("databases", "transactions"):
        (staging / "data" / part / database).rename(live / part / database)
    shutil.rmtree(old, ignore_errors=True)
