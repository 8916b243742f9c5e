"""`approvals()`: who must approve a change, in what order and form, and why."""

from __future__ import annotations

import itertools
import json

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from iop_engine import load_library
from iop_engine.authority import CHANGE_KINDS, ApprovalAnswer, Change, ChangeError, approvals, body_fields
from iop_engine.cli import main
from iop_engine.law import KL_NOT_DELEGABLE
from iop_engine.phrases import words
from iop_engine.testing import altered
from iop_engine.vocabulary.governance import Approval, RevisionRow
from iop_engine.vocabulary.values import Citation, Text

LIBRARY = load_library()
AGREEMENTS = sorted(LIBRARY)


def answer_for(
    agreement: str, *affects: str, substantial: bool = False, party: str | None = None
) -> ApprovalAnswer:
    return approvals(LIBRARY[agreement], Change(affects, substantial, party))


def test_substantial_commitment_change_under_sof_2025_144() -> None:
    """Styrgrupp first, then the förvaltningschef by delegation; written, signed by all, registered."""
    answer = answer_for("stockholm-sof-2025-144", "commitments", substantial=True, party="convictus")
    assert [("styrgrupp", 1, None), ("forvaltningschef", 2, "socialnamnden")] == [
        (a.body, a.order, a.delegated_by) for a in answer.approvals
    ]
    assert ["written", "signed_by_all_parties", "registered"] == [f.requirement for f in answer.form]
    assert "delegation_report_required" in [n.code for n in answer.notes]
    assert answer.within_revision_authority


def test_minor_commitment_change_is_the_styrgrupps_alone() -> None:
    """A change that is not väsentlig needs only the styrgrupp's decision under SOF 2025/144."""
    answer = answer_for("stockholm-sof-2025-144", "commitments")
    assert ["styrgrupp"] == [a.body for a in answer.approvals]


def test_economic_frame_and_distribution_are_for_the_namnd() -> None:
    """Total frame and distribution of funds are decided by the socialnämnd under SOF 2025/144."""
    for kind in ("budget_frame", "funds_distribution"):
        assert ["socialnamnden"] == [a.body for a in answer_for("stockholm-sof-2025-144", kind).approvals]


def test_a_styrgrupps_approval_is_contractual_and_a_delegated_decision_is_reported_and_appealable() -> None:
    """KL 6:37 lets a nämnd delegate to an utskott, a member or an employee, never to a group of
    the parties: the styrgrupp's approval binds by contract (not reported, not appealable); the
    förvaltningschef's delegated decision is reported (6:40) and appealable (13 kap.)."""
    answer = answer_for("stockholm-sof-2025-144", "commitments", substantial=True, party="convictus")
    notes = {n.code: n for n in answer.notes}
    contractual = notes["contractual_approval"]
    assert "styrgruppen" in contractual.message.sv and "inget kommunalt beslut" in contractual.message.sv
    assert "6 kap. 37 §" in [c.section for c in contractual.cites]
    # That the styrgrupp is the parties' own group rests on 3.1, who sits in it.
    assert {
        "Styrgruppen utgörs av representanter som är behöriga företrädare för vardera organisation som är "
        "ansluten till partnerskapet.",
        "En central handläggare från förvaltningen deltar i styrgruppen",
    } <= {c.quote for c in contractual.cites}
    delegated = notes["delegation_report_required"]
    assert {"6 kap. 40 §", "13 kap. 1 §"} <= {c.section for c in delegated.cites}
    assert "laglighetsprövning" in delegated.message.sv
    assert "municipal_decision" not in notes


def test_the_namnds_own_decision_is_a_municipal_decision() -> None:
    """The socialnämnd deciding the total frame itself: appealable, and no contractual note."""
    codes = [n.code for n in answer_for("stockholm-sof-2025-144", "budget_frame").notes]
    assert "municipal_decision" in codes and "contractual_approval" not in codes


def test_goals_purpose_values_lie_outside_revision() -> None:
    """Goals, purpose and values cannot be revised under either Stockholm agreement."""
    for agreement in ("stockholm-sof-2025-144", "stockholm-sof-2026-268"):
        answer = answer_for(agreement, "goals_purpose_values")
        assert not answer.within_revision_authority
        codes = [n.code for n in answer.notes]
        assert "change_outside_revision" in codes and "reserved_to_namnd" in codes


def test_sof_2026_268_delegation_is_noted_with_its_source_conflict() -> None:
    """The förvaltningschef decides commitments by delegation; the report's two versions differ."""
    answer = answer_for("stockholm-sof-2026-268", "commitments")
    assert [("forvaltningschef", "socialnamnden")] == [(a.body, a.delegated_by) for a in answer.approvals]
    assert {"source_conflict", "delegation_report_required"} <= {n.code for n in answer.notes}


def test_extension_with_major_changes_goes_back_to_the_namnd() -> None:
    """Delegation covers extensions without major changes; with them, the nämnd decides."""
    assert ["forvaltningschef"] == [a.body for a in answer_for("stockholm-sof-2026-268", "term").approvals]
    major = answer_for("stockholm-sof-2026-268", "term", substantial=True)
    assert ["socialnamnden"] == [a.body for a in major.approvals]


def test_unregulated_kind_says_so_and_names_what_was_read() -> None:
    """Who decides Helsingborg's budget is not in the documents: the answer says so."""
    answer = answer_for("helsingborg-iop-2025", "budget_frame")
    assert () == answer.approvals
    note = next(n for n in answer.notes if n.code == "unregulated")
    # What was read, by the document's title and its sections (§ 4, 6, 9 and 10), not its file.
    title = LIBRARY["helsingborg-iop-2025"].sources[0].title
    assert f"(lästa avsnitt: {title} 4, 6, 9, 10)" in note.message.sv
    assert ["written", "signed_by_all_parties"] == [f.requirement for f in answer.form]


def test_registration_under_sof_2025_144_is_a_duty_not_a_condition_of_validity() -> None:
    """5.4 makes writing and signatures conditions of validity; 2.5 and 3.1 add registration after."""
    answer = answer_for("stockholm-sof-2025-144", "commitments")
    assert {"written": True, "signed_by_all_parties": True, "registered": False} == {
        f.requirement: f.for_validity for f in answer.form
    }


def test_a_change_outside_revision_needs_every_partys_signature_even_where_form_is_unregulated() -> None:
    """SOF 2026/268 says nothing of form, but goals can change only by renegotiation, binding both parties."""
    answer = answer_for("stockholm-sof-2026-268", "goals_purpose_values")
    signed = [f for f in answer.form if f.requirement == "signed_by_all_parties"]
    assert [True] == [f.regulated for f in signed]
    assert signed[0].cites
    assert not answer.within_revision_authority
    inside = answer_for("stockholm-sof-2026-268", "commitments")
    assert [False] == [f.regulated for f in inside.form if f.requirement == "signed_by_all_parties"]


def test_the_styrgrupps_mandate_under_sof_2026_268_is_reported_as_unknown() -> None:
    """The styrgrupp's mandate is in the overarching agreement, which is not among the documents."""
    answer = answer_for("stockholm-sof-2026-268", "commitments")
    notes = [n for n in answer.notes if n.code == "mandate_unknown"]
    assert 1 == len(notes)
    assert "övergripande överenskommelsen" in notes[0].message.sv
    assert notes[0].cites


def test_bad_change_descriptions_are_refused() -> None:
    """No kinds, unknown kinds and unknown parties are refused with the allowed values."""
    kinds = ", ".join(CHANGE_KINDS)
    with pytest.raises(ChangeError) as empty:
        Change(())
    assert f"a change must affect something; use --affects with one of: {kinds}" == str(empty.value)
    with pytest.raises(ChangeError) as unknown:
        Change(("colour", "size"))
    assert f"unknown kind of change colour, size; use one of: {kinds}" == str(unknown.value)
    with pytest.raises(ChangeError, match="not a party"):
        answer_for("helsingborg-iop-2025", "commitments", party="convictus")


ALL_CHANGES = [
    (agreement, kinds, substantial)
    for agreement in AGREEMENTS
    for size in range(1, len(CHANGE_KINDS) + 1)
    for kinds in itertools.combinations(CHANGE_KINDS, size)
    for substantial in (False, True)
]


def test_every_combination_is_deterministic_cited_and_lists_no_body_twice() -> None:
    """Every agreement × 127 × 2 change descriptions: same answer twice, at least one clause (or, with
    no clause on changes at all, a note that says so), no body twice."""
    for agreement, kinds, substantial in ALL_CHANGES:
        first = answer_for(agreement, *kinds, substantial=substantial)
        assert first == answer_for(agreement, *reversed(kinds), substantial=substantial)
        cites = [c for a in first.approvals for c in a.cites] + [c for f in first.form for c in f.cites]
        cites += [c for n in first.notes for c in n.cites]
        if LIBRARY[agreement].revision is None:
            # No clause on changes at all: nothing to cite, and the answer says so.
            assert "unregulated" in [n.code for n in first.notes], (agreement, kinds, substantial)
        else:
            assert cites, (agreement, kinds, substantial)
        bodies = [a.body for a in first.approvals]
        assert len(bodies) == len(set(bodies))
        assert list(range(1, len(bodies) + 1)) == [a.order for a in first.approvals]


@settings(max_examples=50, deadline=None)
@given(
    agreement=st.sampled_from(AGREEMENTS),
    kinds=st.lists(st.sampled_from(CHANGE_KINDS), min_size=1, max_size=7),
    substantial=st.booleans(),
)
def test_answer_json_round_trips(agreement: str, kinds: list[str], substantial: bool) -> None:
    """The JSON answer has the documented keys and survives a JSON round trip unchanged."""
    data = answer_for(agreement, *kinds, substantial=substantial).to_dict()
    assert {
        "agreement",
        "change",
        "within_revision_authority",
        "approvals",
        "form",
        "notes",
        "message",
    } == set(data)
    assert data == json.loads(json.dumps(data, ensure_ascii=False))


def test_cli_approvals_memo_and_json() -> None:
    """`iop approvals` prints a Swedish memo with clauses, or the JSON answer."""
    runner = CliRunner()
    memo = runner.invoke(
        main,
        [
            "approvals",
            "stockholm-sof-2025-144",
            "--affects",
            "commitments",
            "--substantial",
            "--party",
            "convictus",
        ],
    )
    assert 0 == memo.exit_code
    assert (
        "Beslut, i ordning:" in memo.output
        and "2. Förvaltningschef, på delegation från Socialnämnden" in memo.output
    )
    assert "Convictus åtaganden" in memo.output
    raw = runner.invoke(main, ["approvals", "helsingborg-iop-2025", "--affects", "commitments", "--json"])
    assert ["styrgrupp"] == [a["body"] for a in json.loads(raw.output)["approvals"]]
    english = runner.invoke(main, ["approvals", "helsingborg-iop-2025", "--affects", "term", "--lang", "en"])
    assert "Who must approve the change?" in english.output


@pytest.mark.parametrize(
    ("agreement_id", "kind", "substantial"),
    [(a, k, s) for a in sorted(LIBRARY) for k in CHANGE_KINDS for s in (False, True)],
)
def test_a_proposed_change_always_cites_what_its_answer_rests_on(
    agreement_id: str, kind: str, substantial: bool
) -> None:
    """Found by the stateful test: a change nobody is said to decide (SOF 2026/268, parties) gave
    an `approval_required` finding without clauses; it rests on the clauses saying so."""
    from iop_engine.replay import replay

    agreement = LIBRARY[agreement_id]
    day = agreement.term_start.isoformat()
    event = {
        "type": "change_proposed",
        "date": day,
        "change": "c",
        "affects": [kind],
        "substantial": substantial,
    }
    answer = replay(agreement, [event])
    required = [f for f in answer.findings if f.code == "approval_required"]
    if agreement.revision is None:
        # An agreement that says nothing about changes: the proposal is reported as unregulated.
        assert not required
        assert any(f.code == "unregulated" and f.date == agreement.term_start for f in answer.findings)
        return
    assert len(required) == 1
    assert required[0].cites, f"{agreement_id} {kind} substantial={substantial}"


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
def test_sections_read_are_named_by_document_title(agreement_id: str) -> None:
    """ "Sections read" names each document by its title, once, with its sections — never by the
    number of its file ("000 5"), which no reader knows."""
    agreement = LIBRARY[agreement_id]
    first, *rest = agreement.sources
    number = first.doc.partition("_")[0]
    named = agreement.sections_named(
        [f"{number} 5", f"{number} 2.1", *(s.doc.partition("_")[0] for s in rest)]
    )
    assert named.startswith(f"{first.title} 5, 2.1")
    assert all(source.title in named for source in rest)
    assert f"{number} " not in named.replace(first.title, "")


def test_answer_json_nests_each_part_under_its_documented_keys() -> None:
    """The parts of the JSON answer (README, "Who must approve a change?": `change`, each `form`
    item and each note) carry each field under its documented key, for every rule file and every
    kind of change."""
    answers = [answer_for(agreement, *CHANGE_KINDS, substantial=True) for agreement in AGREEMENTS]
    assert any(a.form for a in answers) and any(a.notes for a in answers)
    for answer in answers:
        data = answer.to_dict()
        assert {"affects": sorted(CHANGE_KINDS), "substantial": True, "party": None} == data["change"]
        assert [
            {
                "requirement": f.requirement,
                "regulated": f.regulated,
                "for_validity": f.for_validity,
                "cite": [c.to_dict() for c in f.cites],
            }
            for f in answer.form
        ] == data["form"]
        assert [
            {"code": n.code, "cite": [c.to_dict() for c in n.cites], "message": n.message.to_dict()}
            for n in answer.notes
        ] == data["notes"]


def test_an_agreement_that_says_nothing_of_changes_names_no_body_and_no_form() -> None:
    """A rule file without `revision` (the documents say nothing of who decides changes or in what
    form): for each kind the answer says that it is unregulated, names no body and no form, and
    puts nothing outside revision (only a row saying so does)."""
    for agreement_id in AGREEMENTS:
        agreement = LIBRARY[agreement_id]
        silent = altered(agreement, revision=None)
        answer = approvals(silent, Change(("commitments", "term"), True, None))
        assert ["unregulated", "unregulated"] == [n.code for n in answer.notes]
        assert () == answer.approvals
        assert () == answer.form
        assert answer.within_revision_authority


def test_a_change_outside_revision_needs_every_partys_signature_where_only_writing_is_required() -> None:
    """SOF 2026/268 read as requiring changes in writing but still silent on signatures: goals can
    change only by renegotiation, which binds both parties, so the change needs every party's
    signature besides the writing (a `renegotiation` note says why). That another requirement is
    regulated does not stand in for it."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    assert agreement.revision is not None
    form = tuple(
        attrs.evolve(f, unregulated=None) if f.requirement == "written" else f
        for f in agreement.revision.form
    )
    written = altered(agreement, revision=attrs.evolve(agreement.revision, form=form))
    answer = approvals(written, Change(("goals_purpose_values",), True, None))
    assert not answer.within_revision_authority
    assert [("written", True), ("signed_by_all_parties", True)] == [
        (f.requirement, f.regulated) for f in answer.form
    ]
    assert ["renegotiation"] == [n.code for n in answer.notes if n.code == "renegotiation"]


def test_a_body_named_in_two_matching_rows_decides_once_by_the_delegation_one_of_them_states() -> None:
    """SOF 2026/268 with a second row naming the förvaltningschef, without a delegation, for the
    budget frame and compensation: a change of commitments and either matches both rows. The förvaltningschef
    decides once; as an employee of the city it can decide only by delegation (KL 6:37), which the
    first row states (from socialnämnden), so the decision stays delegated; both rows' clauses are
    cited."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    assert agreement.revision is not None
    budget_clause = Citation("001_da2791ff57726a7c.txt", "Ärendet", "ekonomiska medel om sammanlagt")
    second = RevisionRow(
        id="frame-by-chief",
        affects=("budget_frame", "compensation"),
        substantial="any",
        approvals=(Approval(body="forvaltningschef", cites=(budget_clause,)),),
    )
    commitments = next(r for r in agreement.revision.rows if r.id == "commitments")
    edited = altered(agreement, revision=attrs.evolve(agreement.revision, rows=(commitments, second)))
    for change in (("commitments", "compensation"), ("budget_frame", "commitments")):  # either first
        answer = approvals(edited, Change(change, True, None))
        [chief] = answer.approvals
        assert ("forvaltningschef", "socialnamnden") == (chief.body, chief.delegated_by)
        assert {*commitments.approvals[0].cites, budget_clause} == set(chief.cites)


def test_a_change_outside_revision_keeps_the_requirements_listed_after_an_open_signature_requirement() -> (
    None
):
    """SOF 2026/268 with its two open form requirements listed signature first: a change of goals
    (outside revision: renegotiation, every party signs) still lists writing, left open, after the
    signatures the renegotiation requires."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    assert agreement.revision is not None
    reordered = tuple(sorted(agreement.revision.form, key=lambda f: f.requirement != "signed_by_all_parties"))
    assert "signed_by_all_parties" == reordered[0].requirement
    edited = altered(agreement, revision=attrs.evolve(agreement.revision, form=reordered))
    answer = approvals(edited, Change(("goals_purpose_values",), True, None))
    assert [("written", False), ("signed_by_all_parties", True)] == [
        (f.requirement, f.regulated) for f in answer.form
    ]


def test_the_answer_to_a_change_of_goals_says_in_the_rule_files_words_why() -> None:
    """SOF 2026/268, a change of goals, purpose and values: the answer gives the row's own note for
    lying outside revision, names the open form requirement ('skriftlig') with the rule file's note,
    says the signatures are required because it is a renegotiation, and names the styrgrupp (with
    a capital, opening the note) whose mandate the missing overarching agreement regulates."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    assert agreement.revision is not None
    answer = approvals(agreement, Change(("goals_purpose_values",), True, None))
    said = {n.code: n.message.sv for n in answer.notes}
    row = next(r for r in agreement.revision.rows if r.id == "goals-purpose-values")
    assert row.note == said["change_outside_revision"]
    written = next(f for f in agreement.revision.form if f.requirement == "written")
    assert written.unregulated is not None
    assert said["unregulated"].startswith("Formkravet 'skriftlig' regleras inte")
    assert written.unregulated.note in said["unregulated"]
    assert "omförhandling" in said["renegotiation"]
    [mandate] = agreement.revision.unknown_mandates
    assert mandate.unregulated is not None
    assert said["mandate_unknown"].startswith("Styrgrupp: ")
    assert mandate.unregulated.note in said["mandate_unknown"]
    assert [
        ("skriftlig", "in writing"),
        (
            "undertecknad av behörig företrädare (firmatecknare) för varje part",
            "signed by every party's authorised signatory",
        ),
    ] == [f.words for f in answer.form]


def _sections(cites: tuple[Citation, ...]) -> list[str]:
    return [f"{c.doc[:3]} {c.section}" for c in cites]


def test_a_form_requirements_own_note_comes_with_its_code_and_clauses() -> None:
    """SOF 2025/144, a change of a party's commitments: 2.5 and 3.1 say the decision "ska
    registreras och förvaras tillsammans med den övergripande överenskommelsen", while 5.4 makes
    only writing and signatures conditions of validity. The registration is a duty after the
    decision (not for validity), and the rule file's note saying so is given as a `note` resting
    on 2.5 and 3.1, in the rule file's words (Swedish, and its English)."""
    answer = answer_for("stockholm-sof-2025-144", "commitments", party="convictus")
    registered = next(f for f in answer.form if f.requirement == "registered")
    assert (True, False) == (registered.regulated, registered.for_validity)
    [note] = [n for n in answer.notes if n.code == "note"]
    assert ["004 2.5", "004 3.1"] == _sections(note.cites)
    assert note.message.sv.startswith("Registreringen är en skyldighet efter beslutet")
    assert note.message.en.startswith("Registration is a duty after the decision")
    assert note.to_dict()["code"] == "note"


def test_a_revision_rows_note_rests_on_its_approvals_clauses_where_the_row_cites_none() -> None:
    """SOF 2025/144, admitting or expelling a party: 5.6.1 ("kan styrgruppen besluta om att
    godkänna ny part") and 5.5 ("kan styrgruppen besluta att säga upp aktören") give the styrgrupp
    the decision; the row's note (a new actor's annex may also change the economic frame, which
    is the nämnd's, 2.5, 3.1) cites the clauses of the approval, since the row cites none itself."""
    answer = answer_for("stockholm-sof-2025-144", "parties")
    [note] = [n for n in answer.notes if n.code == "note"]
    assert ["004 5.6.1", "004 5.5"] == _sections(note.cites)
    assert note.message.sv.startswith("En ny aktörs bilaga anger dess ekonomiska förutsättningar")
    assert note.message.en.startswith("A new actor's annex sets out its financial terms")


@pytest.mark.parametrize(
    ("party", "sentence"),
    [
        ("convictus", "Ändringen gäller Convictus åtaganden."),
        ("fralsningsarmen", "Ändringen gäller Frälsningsarméns åtaganden."),
        ("stockholms-stadsmission", "Ändringen gäller Stockholms Stadsmissions åtaganden."),
    ],
)
def test_the_answer_names_whose_commitments_a_change_concerns_in_the_genitive(
    party: str, sentence: str
) -> None:
    """Swedish genitive: an s is added (Frälsningsarméns), except after s, x or z (Convictus)."""
    answer = answer_for("stockholm-sof-2025-144", "commitments", party=party)
    [note] = [n for n in answer.notes if n.code == "party"]
    assert sentence == note.message.sv


def test_the_summary_says_who_decides_in_order_and_in_what_form() -> None:
    """SOF 2025/144, a substantial change of Convictus' commitments: 3.1 has the styrgrupp agree
    and the förvaltningschef decide by delegation from the socialnämnd; 5.4 makes writing and every
    party's signature conditions of validity; 2.5 and 3.1 require registration afterwards."""
    answer = answer_for("stockholm-sof-2025-144", "commitments", substantial=True, party="convictus")
    assert answer.message.sv == (
        "En ändring av åtaganden (väsentlig) ska beslutas av styrgrupp, därefter förvaltningschef (på "
        "delegation från socialnämnden). Ändringen ska vara skriftlig, undertecknad av behörig företrädare "
        "(firmatecknare) för varje part. Därefter ska den vara registrerad och förvarad tillsammans med den "
        "övergripande överenskommelsen."
    )
    assert answer.message.en == (
        "A change to commitments (substantial) must be decided by styrgrupp, then förvaltningschef (by "
        "delegation from socialnämnden). It must be in writing, signed by every party's authorised "
        "signatory. After that it must be registered and kept with the overarching agreement."
    )


def test_the_summary_of_a_change_nobody_is_named_to_decide_says_so() -> None:
    """SOF 2025/144 5.1 says the partnership can be extended but not who decides; 5.4 makes
    writing and every party's signature conditions of validity. Helsingborg's agreement names no
    one for the economic frame or a party's compensation either: one sentence names both kinds."""
    answer = answer_for("stockholm-sof-2025-144", "term")
    assert answer.message.sv == (
        "Dokumenten anger inte vem som beslutar om en ändring av avtalstiden (förlängning) (inte "
        "väsentlig). Ändringen ska vara skriftlig, undertecknad av behörig företrädare (firmatecknare) "
        "för varje part."
    )
    both = answer_for("helsingborg-iop-2025", "compensation", "budget_frame")
    assert both.message.sv.startswith(
        "Dokumenten anger inte vem som beslutar om en ändring av den totala ekonomiska ramen, en parts "
        "ersättning eller bidrag (inte väsentlig)."
    )
    assert both.message.en.startswith(
        "The documents do not say who decides a change to the total economic frame, a party's "
        "compensation or grant (not substantial)."
    )


def test_goals_stay_with_the_namnd_by_law_and_by_the_clause_that_protects_them() -> None:
    """KL 6:38: mål, inriktning, omfattning, kvalitet cannot be delegated. SOF 2025/144 2.5 allows
    changes of commitments only "under förutsättning att partnerskapets mål, syfte och värdegrund
    ... inte förändras": the note rests on both, and on nothing else."""
    answer = answer_for("stockholm-sof-2025-144", "goals_purpose_values")
    [note] = [n for n in answer.notes if n.code == "reserved_to_namnd"]
    assert ["004 2.5", f"{KL_NOT_DELEGABLE.doc[:3]} {KL_NOT_DELEGABLE.section}"] == _sections(note.cites)
    assert note.cites[-1] == KL_NOT_DELEGABLE


def test_a_source_conflict_behind_a_delegation_is_said_with_both_versions_and_its_consequence() -> None:
    """SOF 2026/268: one version of the report's proposed decision has five points, among them the
    delegation to the förvaltningschef (points 3 and 4); the other has two and no delegation. The
    answer about commitments rests on the delegation, so it names what differs, both versions and
    the rule file's consequence (check the nämnd's minutes)."""
    answer = answer_for("stockholm-sof-2026-268", "commitments")
    [note] = [n for n in answer.notes if n.code == "source_conflict"]
    assert note.message.sv == (
        "Dokumenten skiljer sig åt om vad nämnden föreslås besluta: fem punkter, däribland delegation till "
        "förvaltningschefen om ändrade åtaganden (3) och förlängning (4) / två punkter, utan delegation; "
        'uppdraget avser "en ideell organisation". Beslutsrätten ovan bygger på den version som innehåller '
        "delegationen; kontrollera nämndens protokoll."
    )
    assert note.message.en == (
        "The documents differ on decision-points: the authority above rests on the version that contains "
        "the delegation; check the nämnd's minutes."
    )
    assert {"001"} == {c.doc[:3] for c in note.cites}


def test_a_kind_nobody_is_named_to_decide_is_noted_in_the_rule_files_words() -> None:
    """SOF 2025/144 5.1 lets the partnership be extended a year at a time but does not say who
    decides: the rule file's note for the term says so, and the answer gives it. Were two rows to
    leave the same kind open, both notes are given, one after the other."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    assert agreement.revision is not None
    [row] = [r for r in agreement.revision.rows if r.id == "term"]
    assert row.unregulated is not None
    [note] = [n for n in approvals(agreement, Change(("term",))).notes if n.code == "unregulated"]
    assert row.unregulated.note in note.message.sv
    other = attrs.evolve(row, id="term-2", unregulated=attrs.evolve(row.unregulated, note="Inte heller 5.4."))
    revision = attrs.evolve(agreement.revision, rows=(*agreement.revision.rows, other))
    [both] = [
        n
        for n in approvals(altered(agreement, revision=revision), Change(("term",))).notes
        if n.code == "unregulated"
    ]
    assert f"{row.unregulated.note}; Inte heller 5.4." in both.message.sv


def test_a_party_that_is_not_in_the_agreement_is_refused_with_the_parties_it_has() -> None:
    with pytest.raises(ChangeError) as refused:
        answer_for("helsingborg-iop-2025", "commitments", party="convictus")
    parties = ", ".join(p.id for p in LIBRARY["helsingborg-iop-2025"].parties)
    assert f"'convictus' is not a party to helsingborg-iop-2025; parties: {parties}" == str(refused.value)


def test_a_kind_no_revision_row_mentions_is_said_to_be_unregulated_after_reading_everything() -> None:
    """SOF 2025/144 without its row on the term: no row names who decides an extension, so the
    answer says the documents do not say it, having read the whole agreement."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    assert agreement.revision is not None
    rows = tuple(r for r in agreement.revision.rows if "term" not in r.affects)
    edited = altered(agreement, revision=attrs.evolve(agreement.revision, rows=rows))
    [note] = [n for n in approvals(edited, Change(("term",))).notes if n.code == "unregulated"]
    assert note.message.sv == (
        "Vem som beslutar om ändringar av avtalstiden (förlängning) regleras inte: dokumenten säger inte "
        "vem som beslutar (lästa avsnitt: hela avtalet)."
    )


def test_the_rule_files_own_notes_are_given_with_their_codes_only_for_the_kinds_they_concern() -> None:
    """SOF 2025/144 5.6: a party whose circumstances change tells the others first
    (`notify_parties_first`, for commitments); the answer names its agreement."""
    commitments = answer_for("stockholm-sof-2025-144", "commitments", party="convictus")
    assert "stockholm-sof-2025-144" == commitments.agreement
    assert "notify_parties_first" in [n.code for n in commitments.notes]
    assert "notify_parties_first" not in [n.code for n in answer_for("stockholm-sof-2025-144", "term").notes]


def test_a_bodys_fields_name_it_in_swedish_and_in_english() -> None:
    """English keeps the Swedish term; a name the rule file gives in the definite form takes no
    English article ("socialnämnden", not "the socialnämnden")."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    assert {"body": "socialnämnden", "body_en": "socialnämnden"} == body_fields(agreement, "socialnamnden")
    assert {"body": "styrgruppen", "body_en": "the styrgrupp"} == body_fields(agreement, "styrgrupp")


def test_the_law_notes_name_bodies_in_english_without_ids_or_doubled_articles() -> None:
    """SOF 2025/144 3.1: a substantial change of commitments is approved in the styrgrupp and by
    the förvaltningschef by delegation from the nämnd; the English notes name them as the
    Swedish ones do, never by id."""
    answer = answer_for("stockholm-sof-2025-144", "commitments", substantial=True, party="convictus")
    notes = {n.code: n.message.en for n in answer.notes}
    assert notes["delegation_report_required"].startswith(
        "The decision is taken by the förvaltningschef by delegation from socialnämnden"
    )
    assert "An approval by the styrgrupp binds the parties by contract" in notes["contractual_approval"]
    assert not any("forvaltningschef " in text or "the socialnämnden" in text for text in notes.values())


def test_duties_after_adoption_are_listed_together_and_an_open_requirement_keeps_its_validity() -> None:
    """SOF 2025/144 as if a second duty followed adoption besides registration (say, telling the
    samverkansgrupp): the summary lists both after "Därefter ska den vara". SOF 2026/268 leaves
    writing open; its requirement is listed as not regulated, with the rule file's validity."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    assert agreement.revision is not None
    registered = next(f for f in agreement.revision.form if f.requirement == "registered")
    told = attrs.evolve(
        registered, text=Text(sv="meddelad samverkansgruppen", en="told to the samverkansgrupp")
    )
    revision = attrs.evolve(agreement.revision, form=(*agreement.revision.form, told))
    answer = approvals(altered(agreement, revision=revision), Change(("commitments",), party="convictus"))
    assert answer.message.sv.endswith(
        "Därefter ska den vara registrerad och förvarad tillsammans med den övergripande överenskommelsen, "
        "meddelad samverkansgruppen."
    )
    assert answer.message.en.endswith(
        "After that it must be registered and kept with the overarching agreement, "
        "told to the samverkansgrupp."
    )
    goals = answer_for("stockholm-sof-2026-268", "goals_purpose_values")
    assert goals.message.sv.endswith(
        " Ändringen ligger utanför vad överenskommelsen låter parterna revidera."
    )
    assert goals.message.en.endswith(" The change lies outside what the agreement lets the parties revise.")
    assert [("written", False, True), ("signed_by_all_parties", True, True)] == [
        (f.requirement, f.regulated, f.for_validity) for f in goals.form
    ]


def test_an_employee_deciding_without_a_named_delegation_is_not_a_namnds_own_decision() -> None:
    """KL 6:37: an employee decides a nämnd's matters only by delegation. SOF 2025/144 as if 3.1
    did not say the förvaltningschef decides "på delegation" from the socialnämnd: the answer must
    not present the förvaltningschef's decision as the nämnd's own, appealable decision."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    assert agreement.revision is not None
    rows = tuple(
        attrs.evolve(r, approvals=tuple(attrs.evolve(a, delegated_by=None) for a in r.approvals))
        for r in agreement.revision.rows
    )
    edited = altered(agreement, revision=attrs.evolve(agreement.revision, rows=rows))
    answer = approvals(edited, Change(("commitments",), True, "convictus"))
    assert "forvaltningschef" in [a.body for a in answer.approvals]
    assert "municipal_decision" not in [n.code for n in answer.notes]
    # The answer says the mandate is not shown, citing the clause and 6 kap. 37 § KL.
    [note] = [n for n in answer.notes if n.code == "delegation_not_shown"]
    assert {"3.1", "6 kap. 37 §"} <= {c.section for c in note.cites}
    assert (
        "Dokumenten låter förvaltningschefen besluta men anger inte att det sker på delegation"
        in note.message.sv
    )
    assert "The documents let the förvaltningschef decide" in note.message.en
    # Where the rule file states the delegation (as SOF 2025/144 does), there is no such note.
    assert "delegation_not_shown" not in [
        n.code for n in approvals(agreement, Change(("commitments",), True, "convictus")).notes
    ]


def test_a_rule_files_notes_read_in_english_where_it_gives_them_and_in_swedish_where_it_does_not() -> None:
    """Every note a rule file's `revision:` gives (on a row, a form requirement, or apart) is shown
    with the approvals answer in the file's English where it has `note_en`, for any change of the
    kinds the note is about; without `note_en` the English answer keeps the Swedish note."""
    checked = 0
    for agreement in LIBRARY.values():
        revision = agreement.revision
        if revision is None:
            continue
        with_english = [
            # A row outside revision without English gets the engine's English words for that.
            *(
                (
                    r.affects,
                    r.note,
                    r.note_en or (None if r.within else words("authority.outside_revision")[1]),
                )
                for r in revision.rows
                if r.note
            ),
            *(
                (CHANGE_KINDS if f.applies_to == "all" else f.applies_to, f.note, f.note_en)
                for f in revision.form
                if f.note
            ),
            *(
                (CHANGE_KINDS if n.applies_to == "all" else n.applies_to, n.note, n.note_en)
                for n in revision.notes
            ),
        ]
        for kinds, sv, en in with_english:
            shown = {
                (n.message.sv, n.message.en)
                for kind, substantial in itertools.product(kinds, (False, True))
                for n in approvals(agreement, Change((kind,), substantial)).notes
            }
            assert (sv, en or sv) in shown, (agreement.id, sv)
            checked += 1
    assert checked  # the bundled files give notes; a library without any would test nothing


def test_a_note_without_english_is_shown_in_swedish_in_an_english_answer() -> None:
    """SOF 2025/144's note that a party must tell the others before changes are made, with its
    English removed: an English answer shows the Swedish note rather than nothing."""
    agreement = LIBRARY["stockholm-sof-2025-144"]
    assert agreement.revision is not None
    notes = tuple(attrs.evolve(n, note_en=None) for n in agreement.revision.notes)
    edited = altered(agreement, revision=attrs.evolve(agreement.revision, notes=notes))
    answer = approvals(edited, Change(("commitments",)))
    assert {(n.note, n.note) for n in notes} <= {(n.message.sv, n.message.en) for n in answer.notes}
