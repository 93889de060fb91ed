"""The one unit-tree rule (services.org.units.unit_tree / indented_options): depth first from the roots, siblings
by urutan then kode, names indented by depth; inactive units left out on request; bad data (a parent cycle, a
parent that does not exist) does not loop. Pure: no database."""

from __future__ import annotations

from typing import NamedTuple

from services.org import units as org_units

IND = org_units.INDENT


class U(NamedTuple):
    id: int
    parent_id: int | None
    urutan: int
    kode: str
    nama: str
    aktif: bool = True


NESTED = [
    U(5, 2, 0, "B2", "Seksi Zeta"),
    U(1, None, 0, "ROOT", "Kantor"),
    U(3, 1, 2, "A", "Bagian Awal"),  # urutan 2: after B although kode A and name come first
    U(2, 1, 1, "B", "Bagian Zulu"),
    U(4, 2, 0, "B1", "Seksi Alfa", aktif=False),
    U(6, 4, 0, "B1X", "Urusan di bawah unit nonaktif"),
]


def test_nested_units_in_tree_order_indented_by_depth():
    tree = org_units.unit_tree(NESTED)
    assert tree.order == [1, 2, 4, 6, 5, 3]
    assert tree.depth == {1: 0, 2: 1, 4: 2, 6: 3, 5: 2, 3: 1}
    assert tree.kids == {None: [1], 1: [2, 3], 2: [4, 5], 4: [6]}
    assert tree.order == org_units.tree_order([(u.id, u.parent_id, u.urutan, u.kode) for u in NESTED])
    assert org_units.indented_options(NESTED, active_only=False) == [
        (1, "Kantor"), (2, IND + "Bagian Zulu"), (4, IND * 2 + "Seksi Alfa"),
        (6, IND * 3 + "Urusan di bawah unit nonaktif"), (5, IND * 2 + "Seksi Zeta"), (3, IND + "Bagian Awal")]
    assert tree.subtree(2) == {2, 4, 5, 6} and tree.ancestors(6) == [4, 2, 1] and tree.ancestors(1) == []


def test_inactive_unit_left_out_and_its_active_child_keeps_its_depth():
    options = org_units.indented_options(NESTED)  # active_only by default
    assert [u for u, _ in options] == [1, 2, 6, 5, 3]
    assert dict(options)[6] == IND * 3 + "Urusan di bawah unit nonaktif"
    # the default-unit rule sees the listed units only; one below an unlisted unit becomes a root
    kids = org_units.unit_tree(NESTED).kids_within(u for u, _ in options)
    assert kids == {None: [1, 6], 1: [2, 3], 2: [5]}
    assert org_units.large_default_unit(kids, 6) == 6  # several roots: the actor's own
    assert org_units.unit_tree(NESTED).kids_within([]) == {}
    assert org_units.indented_options([]) == []


def test_cycle_and_orphan_parent_do_not_loop():
    bad = [
        U(1, None, 0, "ROOT", "Kantor"),
        U(2, 99, 0, "YATIM", "Induk tidak ada"),  # parent missing: a root
        U(3, 4, 0, "C1", "Siklus Satu"),  # 3 -> 4 -> 3
        U(4, 3, 0, "C2", "Siklus Dua"),
        U(5, 4, 0, "C3", "Di bawah siklus"),
        U(6, 6, 0, "SELF", "Induk diri sendiri"),
    ]
    tree = org_units.unit_tree(bad)
    assert sorted(tree.order) == [1, 2, 3, 4, 5, 6] and len(tree.order) == len(set(tree.order))
    assert tree.order[:3] == [1, 6, 2]  # the roots by kode (a self-parent counts as a root)
    assert tree.order[3:] == [3, 4, 5]  # the cycle after the tree, from its first kode down
    assert (tree.depth[3], tree.depth[4], tree.depth[5]) == (0, 1, 2)
    assert tree.parent[2] is None and tree.ancestors(3) == [4] and tree.ancestors(5) == [4, 3]
    assert tree.subtree(3) == {3, 4, 5}
    assert dict(org_units.indented_options(bad))[5] == IND * 2 + "Di bawah siklus"
    assert org_units.large_default_unit(tree.kids, 5) in {1, 2, 6}
