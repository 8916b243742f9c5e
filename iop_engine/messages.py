"""Swedish and English texts of every finding code.

Templates take the finding's `data` plus `date`, `effective` and `party` (display names).
Swedish is the users' language and keeps the agreements' own terms (nämnd, styrgrupp,
uppsägning, hävning); English is for systems and readers without Swedish.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iop_engine.model import Message
from iop_engine.phrases import fill

TEMPLATES: dict[str, tuple[str, str]] = {
    "term_started": (
        "Partnerskapet börjar gälla {date} (inledande period till {period_end}).",
        "The partnership starts on {date} (initial period until {period_end}).",
    ),
    "term_started.open": (
        "Partnerskapet börjar gälla {date} och gäller tills vidare.",
        "The partnership starts on {date} and runs until terminated.",
    ),
    "open_ended.renewal": (
        "Avtalet har inget längsta slutdatum: det förlängs med {step} månader i taget tills det sägs upp. "
        "Svaret följer det till och med {horizon}.",
        "The agreement has no latest end: it renews {step} months at a time until terminated. The answer "
        "follows it up to {horizon}.",
    ),
    "open_ended.renewal_step_open": (
        "Avtalet har inget längsta slutdatum: det förlängs tills det sägs upp, men hur länge varje "
        "förlängning gäller anges inte. Svaret följer det till och med {horizon}.",
        "The agreement has no latest end: it renews until terminated, but how long each renewal runs "
        "is not stated. The answer follows it up to {horizon}.",
    ),
    "open_ended.indefinite": (
        "Avtalet gäller tills vidare, tills det sägs upp. Svaret följer det till och med {horizon}.",
        "The agreement runs until terminated. The answer follows it up to {horizon}.",
    ),
    "continues_indefinitely": (
        "Partnerskapet gäller från {period_start} tills vidare, tills det sägs upp.",
        "From {period_start} the partnership runs until terminated.",
    ),
    "renewed": (
        "Partnerskapet förlängs automatiskt: ny period {period_start}–{period_end}.",
        "The partnership renews automatically: new period {period_start} to {period_end}.",
    ),
    "extended": (
        "Partnerskapet förlängs efter beslut: ny period {period_start}–{period_end}.",
        "The partnership is extended by decision: new period {period_start} to {period_end}.",
    ),
    "extension_refused": (
        "Förlängning sker inte: {reason_sv}.",
        "No extension: {reason_en}.",
    ),
    "intent_received": (
        "{party} har meddelat {intent_sv} förlänga, i tid före fristen {deadline}.",
        "{party} notified that it {intent_en} to extend, before the deadline {deadline}.",
    ),
    "intent_received.no_deadline": (
        "{party} har meddelat {intent_sv} förlänga; regelfilen anger ingen frist för det.",
        "{party} notified that it {intent_en} to extend; the rule file gives no deadline for it.",
    ),
    "intent_late": (
        "{party} meddelade sin avsikt om förlängning {date}, efter fristen {deadline}.",
        "{party} notified its extension intent on {date}, after the deadline {deadline}.",
    ),
    "intent_missing": (
        "{party} har inte meddelat om den avser att förlänga före fristen {deadline}.",
        "{party} did not notify whether it intends to extend by the deadline {deadline}.",
    ),
    "notice_received": (
        "Uppsägning från {party} mottagen {date}; verkan {effective} ({basis_sv}).",
        "Notice from {party} received on {date}; takes effect {effective} ({basis_en}).",
    ),
    "notice_late": (
        "Uppsägning från {party} mottagen {date}, efter fristen {deadline}: partnerskapet "
        "förlängs ändå {next_start}.",
        "Notice from {party} received on {date}, after the deadline {deadline}: the partnership "
        "renews all the same on {next_start}.",
    ),
    "notice_defective": (
        "Uppsägning från {party} {date} uppfyller inte formkraven ({problems_sv}) och får ingen verkan.",
        "Notice from {party} on {date} does not meet the form requirements ({problems_en}) and "
        "has no effect.",
    ),
    "notice_form_unknown": (
        "Uppsägning från {party} {date}: det framgår inte {unknown_sv}; formkravet kan inte prövas.",
        "Notice from {party} on {date}: the event does not say {unknown_en}; the form "
        "requirement cannot be checked.",
    ),
    "notice_form_unknown.unregulated": (
        "Uppsägning från {party} {date} ({given_sv}): om den uppfyller formkravet kan inte prövas, "
        "eftersom formen regleras i {document}, som inte finns bland dokumenten. {note_sv} Motorn "
        "räknar med uppsägningen.",
        "Notice from {party} on {date} ({given_en}): whether it meets the form requirement cannot be "
        "checked, since the form is set in {document}, which is not among the documents. {note_en} "
        "The engine computes with the notice.",
    ),
    "party_withdrawn.notice": (
        "{party} lämnar partnerskapet {effective} (uppsägning av sitt åtagande).",
        "{party} leaves the partnership on {effective} (notice of its own commitment).",
    ),
    "party_withdrawn.declined_extension": (
        "{party} lämnar partnerskapet {effective} (den meddelade att den inte avser att förlänga).",
        "{party} leaves the partnership on {effective} (it said it does not intend to extend).",
    ),
    "party_withdrawn.silent_party": (
        "{party} lämnar partnerskapet {effective} (den meddelade inte i tid att den avser att förlänga).",
        "{party} leaves the partnership on {effective} (it did not say in time that it intends to extend).",
    ),
    "party_withdrawn.expulsion": (
        "{party} lämnar partnerskapet {effective} (uteslutning ur partnerskapet).",
        "{party} leaves the partnership on {effective} (expulsion from the partnership).",
    ),
    "party_withdrawn.rescission": (
        "{party} lämnar partnerskapet {effective} (hävning mot parten).",
        "{party} leaves the partnership on {effective} (rescission against it).",
    ),
    "rescission_without_effect": (
        "{party} kan inte häva partnerskapet mot sig själv: hävning förutsätter att en annan part "
        "inte fullföljer sina åtaganden (avtalets grund: {ground_sv}). Hävningen får ingen verkan.",
        "{party} cannot rescind against itself: a rescission requires that another party does not "
        "fulfil its commitments (the agreement's ground, {ground_en}). It has no effect.",
    ),
    "rescission_ground_not_shown": (
        "Ingen brist hos {party} (konstaterad brist eller misslyckad åtgärdsplan) är registrerad före "
        "hävningen, så grunden för den ({ground_sv}) framgår inte av händelserna. Motorn räknar med "
        "hävningen, men den håller bara om grunden kan visas.",
        "No breach by {party} (a deficiency found or a failed action plan) is recorded before the "
        "rescission, so its ground ({ground_en}) is not shown by the events. The engine "
        "computes with the rescission, but it holds only if the ground can be shown.",
    ),
    "terminated": (
        "Partnerskapet upphör {effective} ({reason_sv}).",
        "The partnership ends on {effective} ({reason_en}).",
    ),
    "expired": (
        "Partnerskapet löper ut {effective} ({reason_sv}).",
        "The partnership expires on {effective} ({reason_en}).",
    ),
    "review_due": (
        "{review_cap_sv} skulle ha hållits senast {date}; ingen är registrerad.",
        "{review_cap_en} was due by {date}; none is recorded.",
    ),
    "review_late": (
        "Utvärderingen hölls {date}, efter fristen {deadline}.",
        "The review was held on {date}, after the deadline {deadline}.",
    ),
    "review_failed": (
        "{disagreement_cap_sv}: partnerskapet upphör utan uppsägning {effective}.",
        "{disagreement_cap_en}: the partnership ends without notice on {effective}.",
    ),
    "condition_failed.other": (
        "Villkoret är inte uppfyllt: {text}.",
        "The condition is not met: {text}.",
    ),
    "condition_failed": (
        "Villkoret att medel finns är inte uppfyllt för {year}: partnerskapet fortsätter inte in "
        "i en period som börjar det året.",
        "The condition that funds exist fails for {year}: the partnership does not continue "
        "into a period starting that year.",
    ),
    "condition_failed.running": (
        "Villkoret att medel finns är inte uppfyllt för {year}, ett år som den löpande perioden avser: "
        "partnerskapet fortsätter inte heller in i en period som börjar {next_year}.",
        "The condition that funds exist fails for {year}, a year the running period covers: the "
        "partnership does not continue into a period starting in {next_year} either.",
    ),
    "approval_required": (
        "Ändring {change} föreslagen: {summary_sv}",
        "Change {change} proposed: {summary_en}",
    ),
    "change_outside_revision": (
        "Ändring {change} ligger utanför vad parterna får revidera: {reason_sv}",
        "Change {change} lies outside what the parties may revise: {reason_en}",
    ),
    "delegation_report_required": (
        "Ändring {change}: beslutet av {body} är fattat på delegation från {delegated_by} och ska anmälas "
        "till nämnden (6 kap. 40 § kommunallagen).",
        "Change {change}: the decision by {body} was taken by delegation from {delegated_by} and must be "
        "reported to the nämnd (6 kap. 40 § kommunallagen).",
    ),
    "change_adopted": (
        "Ändring {change} är antagen: alla beslut, underskrifter och registrering som krävs finns.",
        "Change {change} is adopted: every required decision, signature and registration is present.",
    ),
    "change_valid": (
        "Ändring {change} är giltig (skriftlig och undertecknad) men ännu inte antagen; återstår: "
        "{missing_sv}.",
        "Change {change} is valid (in writing and signed) but not yet adopted; still to do: {missing_en}.",
    ),
    "change_rejected": (
        "Ändring {change} avslogs av {body}.",
        "Change {change} was rejected by {body}.",
    ),
    "change_unauthorised": (
        "Ändring {change} utan behörighet: {reason_sv}.",
        "Change {change} without authority: {reason_en}.",
    ),
    "change_closed.rejected": (
        "Ändring {change} avslogs {since}; {step_sv} {date} ändrar inget. Motorn räknar med att det "
        "avslagna förslaget har fallit och att ett nytt förslag behövs; dokumenten säger inte om ett "
        "avslag kan omprövas.",
        "Change {change} was rejected on {since}; {step_en} on {date} changes nothing. The engine reads "
        "the rejected proposal as fallen, so that a new one is needed; the documents do not say whether "
        "a rejection may be reconsidered.",
    ),
    "change_closed.adopted": (
        "Ändring {change} antogs redan {since}; {step_sv} {date} ändrar inget.",
        "Change {change} was already adopted on {since}; {step_en} on {date} changes nothing.",
    ),
    "change_pending": (
        "Ändring {change} är inte antagen; saknas: {missing_sv}.",
        "Change {change} is not adopted; missing: {missing_en}.",
    ),
    "payment_due": (
        "{amount_text} till {party} för {period[from]}–{period[to]} ({method_sv}).",
        "{amount_text_en} due to {party} for {period[from]} to {period[to]} ({method_en}).",
    ),
    "payment_withheld": (
        "{amount_text} för {period[from]}–{period[to]} betalas inte ut till {party}: medel för {year} "
        "finns inte, och ersättningen betalas bara ut om medel har avsatts.",
        "{amount_text_en} for {period[from]} to {period[to]} is not paid to {party}: there are no funds for "
        "{year}, and payment depends on funds being set aside.",
    ),
    "payment_late": (
        "Betalningen till {party} {date} ({amount_text}) för {period[from]}–{period[to]} kom "
        "{days_late} dagar efter sista dag {pay_by}.",
        "The payment to {party} on {date} ({amount_text_en}) for {period[from]} to {period[to]} came "
        "{days_late} days after the last day {pay_by}.",
    ),
    "payment_withheld.no_new_payment": (
        "{amount_text} för {period[from]}–{period[to]} betalas inte ut till {party}: partnerskapet sades upp "
        "{since}, och efter uppsägningen går ingen ny betalning ut.",
        "{amount_text_en} for {period[from]} to {period[to]} is not paid to {party}: the partnership was "
        "terminated on {since}, and after the notice no new payment goes out.",
    ),
    "change_step_not_required.signature": (
        "{signatory} undertecknade ändring {change}, men dess underskrift krävs inte enligt det dokumenten "
        "säger om ändringens form; det ändrar inget.",
        "{signatory} signed change {change}, but its signature is not required by what the documents say "
        "about the change's form; it changes nothing.",
    ),
    "change_step_not_required.registration": (
        "Ändring {change} registrerades, men registrering krävs inte enligt det dokumenten säger om "
        "ändringens form; det ändrar inget.",
        "Change {change} was registered, but registration is not required by what the documents say about "
        "the change's form; it changes nothing.",
    ),
    "extension_granted": (
        "Beslut {date} om förlängning: partnerskapet förlängs när perioden löper ut {period_end}, om inget "
        "annat hindrar det då.",
        "Decision on {date} to extend: the partnership is extended when the period runs out on "
        "{period_end}, unless something else prevents it then.",
    ),
    "payment_received": (
        "Betalning till {party} {date} ({amount_text}) för {period[from]}–{period[to]}; den räknas mot "
        "det som förfaller enligt avtalet.",
        "Payment to {party} on {date} ({amount_text_en}) for {period[from]} to {period[to]}; it counts "
        "against what falls due under the agreement.",
    ),
    "condition_met": (
        "Medel finns för {year}: villkoret att medel finns är uppfyllt för det året.",
        "Funds exist for {year}: the condition that funds exist is met for that year.",
    ),
    "condition_met.other": (
        "Villkoret är uppfyllt: {text}.",
        "The condition is met: {text}.",
    ),
    "review_agreed": (
        "{review_cap_sv} hölls {date} och parterna är överens; avtalstiden påverkas inte.",
        "{review_cap_en} was held on {date} and the parties agree; the term is not affected.",
    ),
    "payment_after_end": (
        "Betalning till {party} {date} ({amount_text}) efter slutet: {reason_sv}.",
        "Payment to {party} on {date} ({amount_text_en}) after the end: {reason_en}.",
    ),
    "repayment_claim": (
        "{amount_text} {may_sv} från {party} ({method_sv}).",
        "{amount_text_en} {may_en} from {party} ({method_en}).",
    ),
    "repayment_claim.capped": (
        "{amount_text} {may_sv} från {party} ({method_sv}); kravet är begränsat till det som betalats ut och "
        "inte redan krävts tillbaka, inte hela {wanted_text}.",
        "{amount_text_en} {may_en} from {party} ({method_en}); the claim is capped at what was paid out and "
        "not yet claimed back, not the whole {wanted_text_en}.",
    ),
    "no_repayment": (
        "Ingen återbetalning av {amount_text} från {party}: undantaget gäller, {exception_sv}.",
        "No repayment of {amount_text_en} from {party}: the exception applies, {exception_en}.",
    ),
    "exceptions_to_assess": (
        "Felaktig medelsanvändning hos {party} ({amount_text}): innan krav kan framställas måste "
        "bedömas om {unknown_sv}.",
        "Misuse of funds by {party} ({amount_text_en}): before a claim can be made it must be assessed "
        "whether {unknown_en}.",
    ),
    "compensation_kept": (
        "{party} behåller ersättningen till och med {until}; ingen ny betalning går ut.",
        "{party} keeps its compensation until {until}; no new payment goes out.",
    ),
    "report_due.no_deadline": (
        "{party} ska för {year}, när perioden har löpt ut, redovisa {report_sv}; dokumenten anger ingen "
        "sista dag.",
        "{party} must account for {year}, now that the period is over ({report_en}); the documents give no "
        "last day.",
    ),
    "report_due.no_deadline_period": (
        "{party} ska, när perioden {period[from]}–{period[to]} har löpt ut, redovisa {report_sv}; dokumenten "
        "anger ingen sista dag.",
        "{party} must account for {period[from]} to {period[to]} ({report_en}) now that the period is over; "
        "the documents give no last day.",
    ),
    "commitment_due.no_deadline_period": (
        "{party} ska för {period[from]}–{period[to]} fullgöra: {report_sv}; dokumenten anger ingen "
        "sista dag.",
        "{party} must for {period[from]} to {period[to]} fulfil: {report_en}; the documents give no "
        "last day.",
    ),
    "report_due": (
        "{party} ska senast {deadline} redovisa {report_sv} för {period[from]}–{period[to]}.",
        "{party} must account for {period[from]} to {period[to]} ({report_en}) by {deadline}.",
    ),
    "commitment_due.no_deadline": (
        "{party} ska för {year} fullgöra: {report_sv}; dokumenten anger ingen sista dag.",
        "{party} must for {year} fulfil: {report_en}; the documents give no last day.",
    ),
    "commitment_due": (
        "{party} ska senast {deadline} fullgöra: {report_sv} (för {period[from]}–{period[to]}).",
        "{party} must by {deadline} fulfil: {report_en} (for {period[from]} to {period[to]}).",
    ),
    "contribution_due": (
        "{party} ska för {year} bidra med {amount_text}: {what_sv} ({how_sv}).",
        "{party} is to contribute {amount_text_en} for {year}: {what_en} ({how_en}).",
    ),
    "contribution_due.unknown_amount": (
        "{party} ska för {year} bidra: {what_sv}; beloppet kan inte räknas ut ({how_sv}).",
        "{party} is to contribute for {year}: {what_en}; the amount cannot be computed ({how_en}).",
    ),
    "circumstances_dialogue": (
        "Väsentligt förändrade omständigheter: {body} ska föra en dialog om huruvida partnerskapet "
        "kan fortsätta.",
        "Substantially changed circumstances: {body_en} must discuss whether the partnership can continue.",
    ),
    "circumstances_dialogue_missing": (
        "Uppsägning på grund av väsentligt förändrade omständigheter utan att någon dialog i {body} om "
        "huruvida partnerskapet kan fortsätta har registrerats före den; uppsägningen räknas ändå.",
        "Notice for substantially changed circumstances without any dialogue in {body_en} on whether the "
        "partnership can continue recorded before it; the notice is computed with all the same.",
    ),
    "amendment_applied": (
        "Ändring {change}, antagen {adopted_on}, ändrar avtalet från {effective}: {values}.",
        "Change {change}, adopted on {adopted_on}, amends the agreement from {effective}: {values}.",
    ),
    "version_applied": (
        "Från {effective} gäller regelfilens version {version}: {values}.",
        "From {effective} the rule file's version {version} applies: {values}.",
    ),
    "amendment_refused": (
        "Ändring {change}, antagen {adopted_on}, kan inte tillämpas: avtalet skulle inte hänga ihop "
        "({problem_sv}). Motorn räknar vidare med avtalet som det var: {values} gäller inte.",
        "Change {change}, adopted on {adopted_on}, cannot be applied: the agreement would not hold "
        "together ({problem_en}). The engine computes with the agreement as it was: {values} does not apply.",
    ),
    "amendment_applied.admission": (
        "Den nya parten {party_name}, antagen {adopted_on}, har från {effective} egna åtaganden och egen "
        "ersättning: {values}.",
        "The new party {party_name}, admitted on {adopted_on}, has its own commitments and payments from "
        "{effective}: {values}.",
    ),
    "amendment_applied.late": (
        "Ändring {change} skulle gälla från {meant_from} men antogs först {adopted_on}; motorn låter den "
        "ändra avtalet från antagandet: {values}. Att den gäller retroaktivt är den andra läsningen.",
        "Change {change} was meant to apply from {meant_from} but was adopted only on {adopted_on}; the "
        "engine lets it amend the agreement from the adoption: {values}. Retroactive effect is the other "
        "reading.",
    ),
    "party_admitted": (
        "{party} antas som ny part i partnerskapet från {effective}, beslutat av {body}.",
        "{party} is admitted as a new party from {effective}, decided by {body_en}.",
    ),
    "admission_without_mandate": (
        "Beslutet av {body} att anta {party} som ny part saknar mandat: enligt avtalet beslutar "
        "{mandated} om det. {party} är inte antagen.",
        "The decision by {body_en} to admit {party} as a new party has no mandate: under the agreement "
        "{mandated_en} decides that. {party} is not admitted.",
    ),
    "renegotiation_right.breach": (
        "{party} fullföljer enligt det som registrerats inte sina åtaganden: parterna kan kräva "
        "omförhandling av avtalets bestämmelser.",
        "{party} does not, as recorded, fulfil its commitments: the parties may demand renegotiation of the "
        "agreement's terms.",
    ),
    "renegotiation_right.unforeseen_circumstances": (
        "Förändrade omständigheter har registrerats. Om de inte gick att förutse när avtalet undertecknades "
        "kan parterna kräva omförhandling av avtalets bestämmelser; det prövar motorn inte.",
        "Changed circumstances are recorded. If they could not be foreseen when the agreement was signed, "
        "the parties may demand renegotiation of its terms; the engine does not judge that.",
    ),
    "renegotiation_requested": (
        "{party} påkallar omförhandling av avtalets bestämmelser.{remarks_sv}",
        "{party} calls for renegotiation of the agreement's terms.{remarks_en}",
    ),
    "dispute_dialogue": (
        "{party} anmäler en tvist; enligt avtalet ska den i första hand lösas genom {first_by}.",
        "{party} raises a dispute; under the agreement it is to be resolved first by {first_by} (in "
        "Swedish: the agreement's words).",
    ),
    "deficiency_dialogue": (
        "Brister hos {party}: dialog ska föras i {body}, som kan begära en åtgärdsplan.",
        "Deficiencies at {party}: {body_en} must hold a dialogue and may ask for an action plan.",
    ),
    "deficiency_dialogue.plan_by_open": (
        "Brister hos {party}: dialog ska föras i {body}. Vem som kan begära en åtgärdsplan anges inte.",
        "Deficiencies at {party}: {body_en} must hold a dialogue. Who may ask for an action plan is not "
        "said.",
    ),
    "deficiency_dialogue.plan_by_other": (
        "Brister hos {party}: dialog ska föras i {body}; {plan_by} kan begära en åtgärdsplan.",
        "Deficiencies at {party}: {body_en} must hold a dialogue; {plan_by_en} may ask for an action plan.",
    ),
    "action_plan_requested": (
        "{party} ska komma in med en åtgärdsplan, enligt beslut i {body}.",
        "{party} was asked for an action plan by {body_en}.",
    ),
    "expulsion_possible": (
        "{party} har inte åtgärdat bristerna efter åtgärdsplanen: {body} kan besluta att {expel_sv}.",
        "{party} did not remedy the deficiencies after the action plan: {body_en} may decide to {expel_en}.",
    ),
    "party_expelled": (
        "Beslut i {body} att {expel_sv} ({party}), med verkan {effective}.",
        "Decision of {body_en} to {expel_en} ({party}), with effect from {effective}.",
    ),
    "expulsion_unfounded": (
        "Beslutet i {body} att {expel_sv} ({party}) fattades utan att en åtgärdsplan först misslyckats; "
        "beslutet saknar grund och får ingen verkan.",
        "The decision of {body_en} to {expel_en} ({party}) was taken without a failed action plan first; "
        "it has no basis and no effect.",
    ),
    "action_without_mandate": (
        "Beslut om att {action_sv} ({party}) fattades av {body}, som saknar mandat; det har {mandated}. "
        "Beslutet får ingen verkan.",
        "No mandate: {body_en} decided to {action_en} ({party}), but the mandate is with {mandated_en}. "
        "The decision has no effect.",
    ),
    "action_without_mandate.agreement": (
        "Beslut om att {action_sv} fattades av {body}, som saknar mandat; det har {mandated}. "
        "Beslutet får ingen verkan.",
        "No mandate: {body_en} decided to {action_en}, but the mandate is with {mandated_en}. "
        "The decision has no effect.",
    ),
    "approval_not_counted": (
        "Beslutet räknas inte: {text_sv}",
        "The decision does not count: {text_en}",
    ),
    "ambiguity": ("Tvetydigt: {text_sv}", "Ambiguous: {text_en}"),
    "unregulated": ("Oreglerat: {text_sv}", "Unregulated: {text_en}"),
    "source_conflict": (
        "Dokumenten anger olika värden för {about}: {values}. Motorn räknar med {chosen}: {because}",
        "The documents give different values for {about}: {values}. The engine uses {chosen} "
        "(reason, in Swedish: {because})",
    ),
    "source_conflict.note": ("{text_sv}", "{text_en}"),
    "event_outside_term": (
        "Händelsen {event} {date} ligger {where_sv} partnerskapets giltighetstid och får ingen verkan.",
        "The event {event} on {date} lies {where_en} the partnership's term and has no effect.",
    ),
}


# Every code a finding can have: a template is named by its code, or by `code.variant`.
FINDING_CODES = frozenset(key.partition(".")[0] for key in TEMPLATES)


def render(template: str, values: Mapping[str, Any]) -> Message:
    """A finding's text from its template (its code, or `code.variant`) and its fields."""
    sv, en = TEMPLATES[template]
    return Message(fill(sv, values), fill(en, values))
