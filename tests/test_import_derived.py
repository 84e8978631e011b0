"""Reading the import files back for the derived facts of `load --initial` (loaders.initial.derived).
The derived facts themselves are compared with Cypher propagation in tests/test_initial_import.py."""

from datetime import date

from loaders.initial.derived import read_rows


def test_rows_come_back_typed_filtered_and_quoted_cells_intact(tmp_path):
    plain = tmp_path / "rels-HOLDS_ROLE-Person-Enterprise.csv"
    plain.write_text(
        ":START_ID(Person),:END_ID(Enterprise),key:string,role:string,title:string,start_on:date,"
        "end_on:date,src_line:long,ratio:double,src_at:datetime\n"
        'P1,E1,k1,director,"董事,经理",2020-01-01,,2,0.5,2026-01-01T00:00:00+00:00\n'
        "P2,E1,k2,supervisor,,2021-03-04,2022-01-01,3,,2026-01-01T00:00:00+00:00\n"
        "P3,E9,k3,director,,,,4,,2026-01-01T00:00:00+00:00\n", encoding="utf-8")
    side = tmp_path / "rels-HOLDS_ROLE-Person-Enterprise-multiline.csv"
    side.write_text(
        ":START_ID(Person),:END_ID(Enterprise),key:string,role:string,title:string\n"
        'P4,E1,k4,director,"总经理\n（兼）"\n', encoding="utf-8")

    rows = list(read_rows([plain, side], keep=lambda a, b: b == "E1"))

    assert [(a, b) for a, b, _ in rows] == [("P1", "E1"), ("P2", "E1"), ("P4", "E1")]
    first, second, multi = (p for _, _, p in rows)
    assert first == {"key": "k1", "role": "director", "title": "董事,经理", "start_on": date(2020, 1, 1),
                     "src_line": 2, "ratio": 0.5}  # datetimes are not read: nothing derived needs them
    assert second == {"key": "k2", "role": "supervisor", "start_on": date(2021, 3, 4),
                      "end_on": date(2022, 1, 1), "src_line": 3}  # an empty cell is no value
    assert multi["title"] == "总经理\n（兼）"
    only = list(read_rows([plain], names=frozenset({"key"})))
    assert [p for _, _, p in only] == [{"key": "k1"}, {"key": "k2"}, {"key": "k3"}]


def test_node_files_give_their_id_column_as_a_property(tmp_path):
    nodes = tmp_path / "nodes-Record.csv"
    nodes.write_text("record_id:ID(Record),kind:string,decided_on:date,measures:string[]\n"
                     "R1,black,2024-05-06,a;b\n", encoding="utf-8")
    assert list(read_rows([nodes])) == [("R1", "black", {"record_id": "R1", "kind": "black",
                                                      "decided_on": date(2024, 5, 6), "measures": ["a", "b"]})]
