"""The clause modules, in the order their rules take priority and their hooks run.

Activations of one asserted fact are applied in this order (and within a clause, in the order
its rules are declared), so the order matters where rules of two clauses match the same fact: a
notice is checked for form first, then the continuation decides what it does to the period,
then a notice period starts. Start hooks run in this order too, and finish hooks: repayment is
settled before pending changes are listed.
"""

from __future__ import annotations

from iop_engine.clauses.admission import Admission
from iop_engine.clauses.base import Clause
from iop_engine.clauses.changes import Changes
from iop_engine.clauses.circumstances import Circumstances
from iop_engine.clauses.conditions import Conditions
from iop_engine.clauses.contributions import Contributions
from iop_engine.clauses.deficiency import Deficiency
from iop_engine.clauses.dispute import Dispute
from iop_engine.clauses.duties import Duties
from iop_engine.clauses.extension import Extension
from iop_engine.clauses.indefinite import Indefinite
from iop_engine.clauses.notice import Notice
from iop_engine.clauses.notice_form import NoticeForm
from iop_engine.clauses.partnership import Partnership
from iop_engine.clauses.payments import Payments
from iop_engine.clauses.renegotiation import Renegotiation
from iop_engine.clauses.renewal import Renewal
from iop_engine.clauses.repayment import Repayment
from iop_engine.clauses.rescission import Rescission
from iop_engine.clauses.review import MidTermReview
from iop_engine.clauses.term import Term

CLAUSES: tuple[type[Clause], ...] = (
    Admission,
    NoticeForm,
    Renewal,
    Extension,
    Indefinite,
    Term,
    Notice,
    Partnership,
    MidTermReview,
    Conditions,
    Payments,
    Duties,
    Contributions,
    Repayment,
    Rescission,
    Circumstances,
    Deficiency,
    Renegotiation,
    Dispute,
    Changes,
)
