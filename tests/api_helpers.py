"""Helpers of the API tests: an app on the test Neo4j, keys per role, and a TCP proxy that plays
a Neo4j going away and coming back."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
from fastapi.testclient import TestClient

from graph_service.access import keys
from graph_service.app import create_app
from graph_service.cypher import query
from graph_service.settings import ServiceSettings

# No key cache in tests: a revoked key must be refused on the next request.
# No warm-up (tests/test_api_warm_up.py has its own): a test client is used at once.
# No alerter in the background (tests/test_watches.py runs it): other tests compare whole graphs.
TEST_SETTINGS = dict(api_key_cache_s=0.0, retry_after_s=1, transaction_retry_s=0.2, warm_up_s=0,
                     alerts_in_background=False)


def client(**overrides) -> TestClient:
    return TestClient(create_app(ServiceSettings(**{**TEST_SETTINGS, **overrides})))


def make_key(driver, role: str, region: str | None = None) -> dict[str, str]:
    _, key = keys.create(driver, role, region, f"test {role}")
    return {"X-API-Key": key}


def assert_error(resp, status: int, code: str, field: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "field"}, body
    assert body["error"]["code"] == code, body
    assert body["error"]["field"] == field, body
    assert body["error"]["message"]
    return body["error"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TcpProxy:
    """Forwards 127.0.0.1:listen_port to 127.0.0.1:target_port while started; stop() drops every
    connection, as a Neo4j that goes away would."""

    def __init__(self, listen_port: int, target_port: int):
        self.listen_port, self.target_port = listen_port, target_port
        self._server: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", self.listen_port))
        srv.listen(16)
        self._server = srv
        threading.Thread(target=self._accept, args=(srv,), daemon=True).start()

    def _accept(self, srv: socket.socket) -> None:
        while True:
            try:
                client_sock, _ = srv.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self._conns += [client_sock, upstream]
            for a, b in ((client_sock, upstream), (upstream, client_sock)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self._server is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would leave it listening.
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)
            self._server.close()
            self._server = None
        with self._lock:
            for c in self._conns:
                with contextlib.suppress(OSError):
                    c.shutdown(socket.SHUT_RDWR)
                c.close()
            self._conns.clear()


# --- a small bundle: two Chenzhou enterprises and one in Changsha --------------------------------

def _uscc(first17: str) -> str:
    from graph_service.identifiers import uscc_check_char

    return first17 + uscc_check_char(first17)


BEIHU_CO = "91431002MA4L0C5B8T"      # 北湖区 431002
ZIXING_CO = "91431081MA4PXX8T5J"     # 资兴市 431081
CHANGSHA_CO = _uscc("91430102MA4L1234X")  # 芙蓉区 430102, Changsha
WANG = "431002200003151235"          # 王建国, legal representative of BEIHU_CO until 2023-06-01
LI = "431081199501010021"            # 李芳, legal representative of BEIHU_CO from 2023-06-01
ZHAO = "431003200108082340"          # 赵敏, director of ZIXING_CO

BUNDLE = {
    "enterprises.csv": [
        "uscc,name,kind,status,established_on,registered_capital,industry,address",
        f"{BEIHU_CO},郴州北湖建材有限公司,enterprise,active,2015-03-02,500,3021,郴州市北湖区人民西路1号",
        f"{ZIXING_CO},资兴东江矿业有限公司,enterprise,active,2012-07-19,2000,0911,资兴市东江街道",
        f"{CHANGSHA_CO},长沙芙蓉投资有限公司,enterprise,active,2010-01-05,10000,7212,长沙市芙蓉区",
    ],
    "persons.csv": [
        "person_id,name",
        f"{WANG},王建国",
        f"{LI},李芳",
        f"{ZHAO},赵敏",
    ],
    "roles.csv": [
        "person_id,uscc,role,title,start_on,end_on",
        f"{WANG},{BEIHU_CO},legal_representative,执行董事,2018-01-01,2023-06-01",
        f"{LI},{BEIHU_CO},legal_representative,执行董事,2023-06-01,",
        f"{ZHAO},{ZIXING_CO},director,董事,2019-05-01,",
    ],
    "shareholdings.csv": [
        "holder_id,holder_kind,uscc,ratio,subscribed_capital,start_on,end_on",
        f"{WANG},person,{BEIHU_CO},0.6,300,2015-03-02,",
        f"{CHANGSHA_CO},enterprise,{BEIHU_CO},0.4,200,2015-03-02,2022-01-01",
        f"{BEIHU_CO},enterprise,{ZIXING_CO},0.3,600,2016-01-01,",
    ],
    "records.csv": [
        "record_id,subject_kind,subject_id,kind,category,severity,authority,authority_region,document_no,"
        "misconduct_on,decided_on,published_on,valid_until,legal_basis,responsible_person_ids",
        f"CZ-B-001,enterprise,{BEIHU_CO},black,health_safety,serious,郴州市住房和城乡建设局,431000,郴建罚〔2023〕12号,"
        f"2023-03-10,2023-09-01,2023-09-05,2026-09-01,建设工程质量管理条例,{WANG}",
        f"CZ-P-002,person,{ZHAO},penalty,税务,general,郴州市税务局,431000,郴税罚〔2021〕3号,"
        "2021-02-01,2021-03-01,2021-03-02,2022-03-01,税收征收管理法,",
    ],
}


def write_bundle(folder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in BUNDLE.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_small_bundle(driver, folder) -> None:
    from loaders import load_bundle

    write_bundle(folder)
    result = load_bundle(driver, folder)
    assert not result.rejected, result


@contextlib.contextmanager
def loaded_app(neo4j_driver, neo4j_conn, folder, **overrides):
    """An empty graph with the small bundle loaded once, and a client on it: for a whole module,
    since loading (with the region table) costs seconds. Tests of such a module only add keys and
    audit entries, so they do not disturb one another."""
    from graph_service import settings

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEO4J_URI", neo4j_conn.uri)
        mp.setenv("NEO4J_USERNAME", neo4j_conn.username)
        mp.setenv("NEO4J_PASSWORD", neo4j_conn.password)
        mp.setenv("NEO4J_DATABASE", neo4j_conn.database)
        settings.neo4j_settings.cache_clear()
        neo4j_driver.execute_query(query("testing/clear_graph"), database_=neo4j_conn.database)
        load_small_bundle(neo4j_driver, folder)
        try:
            with client(**overrides) as c:
                yield c
        finally:
            settings.neo4j_settings.cache_clear()
