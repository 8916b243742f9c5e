"""The engine's generic phrases, Swedish and English: the parts of findings' texts that are not an
agreement's own words (those stay in its rule file) nor a whole finding's template (`messages`).
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

# Parts of findings' texts, keyed by the finding code (or the topic) they belong to: reasons,
# bases, methods, and the engine's statements of what it does where a text is silent. A phrase
# fills a finding's `<name>_sv` / `<name>_en` fields (`phrase`); a few also reach `data` in
# Swedish (a payment's `method`, what a change still lacks).
PHRASES: dict[str, tuple[str, str]] = {
    # A duty or contribution whose content the documents leave open (its `what` unregulated).
    "duty.what_open": ("det som dokumenten inte anger närmare", "what the documents leave unspecified"),
    "and": (" och ", " and "),
    "body.unnamed": ("det organ som dokumenten inte anger", "the body the documents do not name"),
    "unregulated.no_value": (
        "Regelfilen anger inget värde för {path}, som behövs här; motorn kan inte räkna vidare.",
        "The rule file gives no value for {path}, which is needed here; the engine cannot compute further.",
    ),
    "unregulated.after_undetermined": (
        "Händelsen {event} (#{position}) prövas inte: avtalets förlopp kan inte räknas ut efter en dag då "
        "ett värde det behöver saknas (se den tidigare iakttagelsen).",
        "The event {event} (#{position}) is not assessed: the agreement's course cannot be computed after a "
        "day when a value it needs is missing (see the earlier finding).",
    ),
    "unregulated.value": (
        "Dokumenten reglerar inte detta (lästa avsnitt: {read}).",
        "The documents do not regulate this (sections read: {read}).",
    ),
    "or": (" eller ", " or "),
    "event_outside_term.before": ("före", "before"),
    "event_outside_term.after": ("efter", "after"),
    "unregulated.not_admitted": (
        "Händelsen {event} (#{position}) gäller en part som inte (ännu) är antagen till partnerskapet; "
        "den får ingen verkan.",
        "The event {event} (#{position}) concerns a party not (yet) admitted to the partnership; it has "
        "no effect.",
    ),
    "unregulated.event_evidence": (
        "Händelsen {event} (#{position}) har ingen verkan av egen enligt reglerna för {agreement}; den "
        "registreras bara som underlag som en senare händelse kan vila på.",
        "The event {event} (#{position}) has no effect of its own under the rules of {agreement}; it is "
        "kept only as a record a later event may rest on.",
    ),
    "unregulated.event_unused": (
        "Händelsen {event} (#{position}) har ingen verkan enligt reglerna för {agreement}; dokumenten "
        "reglerar den inte.",
        "The event {event} (#{position}) has no effect under the rules of {agreement}; the documents do "
        "not regulate it.",
    ),
    "ambiguity.cap_at_notice": (
        "Uppsägningen gavs när avtalet längst kunde gälla till {cap}, och motorn låter den få verkan då, "
        "på villkoren den dag den gavs. En senare ändring sätter den sista dagen till {amended}; läst "
        "med ändringen får uppsägningen verkan först när uppsägningstiden löper ut, {notice_ends}.",
        "The notice was given when the agreement could run until {cap} at the longest, and the engine "
        "lets it take effect then, on the terms of the day it was given. A later amendment sets the last "
        "day to {amended}; read with the amendment, the notice takes effect only when its period runs "
        "out, {notice_ends}.",
    ),
    "ambiguity.cap_at_expulsion": (
        "Uteslutningen beslutades när avtalet längst kunde gälla till {cap}, och motorn låter den få "
        "verkan då, på villkoren den dag den beslutades. En senare ändring sätter den sista dagen till "
        "{amended}; läst med ändringen får uteslutningen verkan först när dess tid löper ut, {notice_ends}.",
        "The expulsion was decided when the agreement could run until {cap} at the longest, and the "
        "engine lets it take effect then, on the terms of the day it was decided. A later amendment sets "
        "the last day to {amended}; read with the amendment, the expulsion takes effect only when its "
        "time runs out, {notice_ends}.",
    ),
    "ambiguity.late_next_workday": (
        "Sista dagen {deadline} är ingen vardag ({reason}). Avtalet flyttar den inte, så handlingen "
        "är sen enligt ordalydelsen; men enligt lag (1930:173) 2 §, tillämpad analogt på avtal, får "
        "en åtgärd vars sista dag inte är en vardag vidtas nästa vardag, {moved}, och då är "
        "handlingen i tid.",
        "The last day {deadline} is not a workday ({reason}). The agreement does not move it, so the "
        "act is late by the letter; but under lag (1930:173) 2 §, applied to contracts by analogy, "
        "an act whose last day is not a workday may be taken on the next workday, {moved}, and then "
        "it is in time.",
    ),
    "ambiguity.late_other_count": (
        "Handlingen kom efter {deadline}, den dag motorn räknar {months} månader bakåt till, men "
        "inte efter {other}, som en annan lika naturlig räkning ger (till exempel från månadsslut "
        "till månadsslut). Den är alltså inte självklart sen.",
        "The act came after {deadline}, the day the engine counts {months} months back to, but not "
        "after {other}, which another natural count gives (for example month end to month end). So "
        "it is not plainly late.",
    ),
    "ambiguity.months_before": (
        "{months} månader före {origin} räknat med samma dagnummer ger {computed}; räknat från månadsslut "
        "till månadsslut eller från dagen då perioden löpt ut blir det {others}. Motorn räknar med den "
        "tidigaste dagen.",
        "{months} months before {origin} keeping the day number gives {computed}; counting month end to "
        "month end or from the day the period has run out: {others}. The engine uses the earliest day.",
    ),
    "ambiguity.months_before.month_end": (
        "{months} månader före {origin} räknat från månadsslut till månadsslut ger {computed}, som motorn "
        "räknar med; räknat med samma dagnummer eller från dagen då perioden löpt ut blir det {others}.",
        "{months} months before {origin} counting month end to month end gives {computed}, which the "
        "engine uses; keeping the day number or counting from the day the period has run out: {others}.",
    ),
    "ambiguity.months_before.day_after": (
        "{months} månader före {origin} räknat från dagen då perioden löpt ut ger {computed}, som motorn "
        "räknar med; räknat med samma dagnummer eller från månadsslut till månadsslut blir det {others}.",
        "{months} months before {origin} counting from the day the period has run out gives {computed}, "
        "which the engine uses; keeping the day number or counting month end to month end: {others}.",
    ),
    # notices
    "notice_defective.not_written": ("inte skriftlig", "not in writing"),
    "notice_defective.not_public_party": (
        "bara den offentliga parten får säga upp avtalet",
        "only the public party may give notice",
    ),
    "notice_defective.not_idea_party": (
        "bara de idéburna parterna får säga upp avtalet",
        "only the idea-based parties may give notice",
    ),
    "notice_defective.wrong_recipient": (
        "given till {to}, inte till {wanted_sv}",
        "given to {to_en}, not to {wanted_en}",
    ),
    "notice_form_unknown.written": ("om den var skriftlig", "whether it was in writing"),
    "notice_form_unknown.to": ("till vem den gavs", "to whom it was given"),
    "notice_form_unknown.oral": ("inte skriftlig", "not in writing"),
    "notice_form_unknown.form_not_said": ("formen anges inte", "its form is not stated"),
    "renewal.in_time": (
        "uppsagt senast fristen: partnerskapet förlängs inte",
        "given by the deadline: the partnership does not renew",
    ),
    "renewal.deadline_unknown": (
        "regelfilen anger ingen frist, så om uppsägningen är i tid kan inte bedömas",
        "the rule file gives no deadline, so whether the notice is in time cannot be judged",
    ),
    "renewal.last_period": (
        "sista perioden: partnerskapet löper ut vid taket",
        "last period: the partnership expires at its cap",
    ),
    "notice_received.months": ("{months} månaders uppsägningstid", "{months} months' notice"),
    "notice_received.changed_circumstances": (
        ", uppsägning av hela partnerskapet på grund av väsentligt förändrade omständigheter",
        ", the whole partnership terminated for substantially changed circumstances",
    ),
    "notice_received.next_month": (
        " räknad från första dagen i månaden efter uppsägningen",
        " counted from the first day of the month after the notice",
    ),
    "notice_received.cap_first": (
        "; avtalstiden slutar dessförinnan, {cap}",
        "; the term ends before that, on {cap}",
    ),
    "notice_received.period_first": (
        "; perioden slutar dessförinnan, {period_end}, och partnerskapet upphör då om det inte förlängs",
        "; the period ends before that, on {period_end}, and so does the partnership unless extended",
    ),
    "ambiguity.renewal_and_notice_period": (
        "Avtalet ger både en frist för uppsägning inför förlängningen och en uppsägningstid på {months} "
        "månader utan att säga hur de hänger ihop. Motorn låter uppsägningen verka på båda sätten, och det "
        "slut som kommer först gäller. Andra läsningar är att uppsägningstiden bara anger hur länge före "
        "periodens slut uppsägningen ska ges, eller att den gäller bara uppsägning under en period.",
        "The agreement gives both a deadline for notice before each renewal and a notice period of {months} "
        "months without saying how they relate. The engine lets the notice act both ways, and the earlier "
        "end counts. Other readings: the notice period only says how long before the period's end notice is "
        "due, or it applies only to a notice during a period.",
    ),
    "ambiguity.signatory_left": (
        "{party} har lämnat partnerskapet ({until}) utan att ha undertecknat ändringen {change}, som "
        "föreslogs medan den var part. Dokumenten säger inte om dess underskrift då fortfarande krävs. "
        "Motorn kräver underskrifter av de parter som är kvar; den andra läsningen är att ändringen måste "
        "föreslås på nytt.",
        "{party} has left the partnership ({until}) without signing the change {change}, proposed while it "
        "was a party. The documents do not say whether its signature is still needed. The engine asks the "
        "signatures of the parties still in; the other reading is that the change must be proposed again.",
    ),
    "ambiguity.late_notice": (
        "Texten säger inte vad en uppsägning efter fristen har för verkan; motorn låter partnerskapet "
        "förlängas och räknar uppsägningen mot fristen för perioden från {next_start}.",
        "The documents do not say what a notice after the deadline does; the engine counts it against the "
        "deadline of the period starting {next_start}.",
    ),
    "ambiguity.late_notice_cap_moved": (
        "Uppsägningen kom efter fristen, när avtalet längst kunde gälla till {cap}. Motorn räknar den, på "
        "villkoren den dag den gavs, mot fristen för perioden från {next_start}, så att partnerskapet inte "
        "förlängs efter {cap} fast en senare ändring sätter den sista dagen till {amended}. Läst med "
        "ändringen hade uppsägningen ingen period att verka mot, och partnerskapet förlängs.",
        "The notice came after the deadline, when the agreement could run until {cap} at the longest. The "
        "engine counts it, on the terms of the day it was given, against the deadline of the period starting "
        "{next_start}, so the partnership does not renew past {cap} although a later amendment sets the last "
        "day to {amended}. Read with the amendment, the notice had no period to act on, and the partnership "
        "renews.",
    ),
    "ambiguity.late_notice_no_effect": (
        "Texten säger inte vad en uppsägning efter fristen har för verkan; motorn låter partnerskapet "
        "förlängas och ger uppsägningen ingen verkan.",
        "The documents do not say what a notice after the deadline does; the engine renews the partnership "
        "and gives the notice no effect.",
    ),
    "ambiguity.public_party_ends": (
        "Uppsägningen kommer från den offentliga parten, som varje åtagande gäller; motorn låter hela "
        "partnerskapet upphöra. Texten säger det inte uttryckligen.",
        "The notice comes from the public party, to whom every commitment is owed; the engine ends the "
        "whole partnership. The text does not say so expressly.",
    ),
    "unregulated.no_changed_circumstances": (
        "Dokumenten reglerar inte uppsägning på grund av förändrade omständigheter; motorn behandlar "
        "uppsägningen som en vanlig uppsägning.",
        "The documents do not regulate termination for changed circumstances; the engine treats the "
        "notice as an ordinary one.",
    ),
    # endings
    "terminated.opted_out": ("uppsagt av {by} senast fristen", "notice given by {by} before the deadline"),
    "terminated.notice": ("uppsägning från {by}", "notice from {by}"),
    "terminated.changed_circumstances": (
        "uppsägning på grund av väsentligt förändrade omständigheter",
        "notice for changed circumstances",
    ),
    "terminated.rescission": ("hävning av {by} mot {against}", "rescission by {by} against {against}"),
    "terminated.no_public_party": (
        "{party} har lämnat partnerskapet genom {cause_sv}, och utan en offentlig part kan ett idéburet "
        "offentligt partnerskap inte fortsätta",
        "{party} has left {cause_en}, and an idea-based public partnership cannot go on without a "
        "public party",
    ),
    "terminated.no_idea_party": (
        "{party} var den sista idéburna parten och har lämnat partnerskapet genom {cause_sv}; utan en "
        "idéburen part kan partnerskapet inte fortsätta",
        "{party} was the last idea-based party and has left {cause_en}; the partnership cannot go on "
        "without one",
    ),
    # several parties of one side leave the same day (their names joined with "och")
    "terminated.no_public_parties": (
        "{parties_sv} har lämnat partnerskapet samma dag genom {cause_sv}, och utan en offentlig part kan "
        "ett idéburet offentligt partnerskap inte fortsätta",
        "{parties_en} have left the same day {cause_en}, and an idea-based public partnership cannot go on "
        "without a public party",
    ),
    "terminated.no_idea_parties": (
        "{parties_sv} var de sista idéburna parterna och har lämnat partnerskapet samma dag genom "
        "{cause_sv}; utan en idéburen part kan partnerskapet inte fortsätta",
        "{parties_en} were the last idea-based parties and have left the same day {cause_en}; the "
        "partnership cannot go on without one",
    ),
    # why a party's part ended, in the words of an ending that follows from it
    "cause.notice": ("uppsägning", "by notice"),
    "cause.expulsion": ("uteslutning", "by expulsion"),
    "cause.rescission": ("hävning", "by rescission"),
    "cause.changed_circumstances": (
        "uppsägning på grund av väsentligt förändrade omständigheter",
        "by notice for changed circumstances",
    ),
    "cause.declined_extension": ("att inte förlänga", "by declining to extend"),
    "cause.ended": ("avtalets slut", "at the agreement's end"),
    "expired.no_public_party": (
        "{party_sv} avser inte att förlänga, och utan en offentlig part kan partnerskapet inte fortsätta",
        "{party_en} does not intend to extend, and the partnership cannot go on without a public party",
    ),
    # A party that gave no answer in time and is deemed to have declined (rule file: silent_party leaves).
    "expired.no_public_party.silent": (
        "{party_sv} har inte lämnat besked om förlängning i tid och anses ha avstått, och utan en offentlig "
        "part kan partnerskapet inte fortsätta",
        "{party_en} gave no answer about extending in time and is deemed to have declined, and the "
        "partnership cannot go on without a public party",
    ),
    "expired.no_idea_party.silent": (
        "ingen idéburen part förlänger ({party_sv} har sagt nej eller inte lämnat besked i tid), och utan en "
        "idéburen part kan partnerskapet inte fortsätta",
        "no idea-based party goes on ({party_en} declined or gave no answer in time), and the partnership "
        "cannot go on without one",
    ),
    "expired.no_idea_party": (
        "ingen idéburen part avser att förlänga ({party_sv} har sagt nej), och utan en idéburen part kan "
        "partnerskapet inte fortsätta",
        "no idea-based party intends to extend ({party_en} declined), and the partnership cannot go on "
        "without one",
    ),
    "expired.unfunded": (
        "villkoret om medel är inte uppfyllt för {year}",
        "the condition that funds exist fails for {year}",
    ),
    "expired.cap": ("längsta tillåtna avtalstid är nådd", "the longest allowed term is reached"),
    "expired.term_end": ("avtalstidens utgång, utan föregående uppsägning", "end of term, without notice"),
    "expired.condition": (
        "villkoret är inte uppfyllt: {condition}",
        "the condition is not met: {condition}",
    ),
    "expired.refused": ("beslut om att inte förlänga", "a decision not to extend"),
    "expired.not_decided": ("ingen förlängning är beslutad", "no extension was decided"),
    # extension
    "intent_received.extend": ("att den avser att", "intends"),
    "intent_received.not_extend": ("att den inte avser att", "does not intend"),
    "extension_refused.decision": ("beslut om att inte förlänga", "a decision not to extend"),
    "extension_refused.cap": (
        "partnerskapet kan inte förlängas längre än till {cap}",
        "the partnership cannot be extended beyond {cap}",
    ),
    "unregulated.extension_decided_by": ("", "The agreement does not say who decides an extension."),
    "ambiguity.declined_extension": (
        "{party} meddelade att den inte avser att förlänga. Texten säger inte om det hindrar förlängningen "
        "för alla; motorn låter övriga parter fortsätta.",
        "{party} said it does not intend to extend. The text does not say whether that blocks the extension "
        "for everyone; the engine lets the others go on.",
    ),
    "ambiguity.silent_party": (
        "{party} meddelade inte före fristen om den avser att förlänga. Texten säger inte vad det innebär; "
        "motorn låter förlängningen gälla också för {party}.",
        "{party} did not say before the deadline whether it intends to extend. The text does not say what "
        "that means; the engine extends the agreement for {party} too.",
    ),
    "ambiguity.paid_beyond_kept": (
        "Partnerskapet sades upp för väsentligt förändrade omständigheter och upphörde {end}. Texten säger "
        "att aktörerna behåller ersättning för {months} månader, men också att verksamheten fortgår under "
        "den period utbetald ersättning avser; motorn redovisar det som betalats för tiden därefter som "
        "möjligt att kräva tillbaka. Den andra läsningen är att det behålls och verksamheten fortgår.",
        "The partnership was terminated for substantially changed circumstances and ended on {end}. The "
        "text says the actors keep compensation for {months} months, but also that the activity goes on "
        "for the period the paid compensation covers; the engine reports what was paid for the time after "
        "as possibly repayable. The other reading is that it is kept and the activity goes on.",
    ),
    # renegotiation
    "renegotiation_requested.responsible": (
        " Det är {body} som ansvarar för att dialog och omförhandling sker.",
        " It is {body_en} that sees to it that dialogue and renegotiation take place.",
    ),
    "renegotiation_requested.ground_not_shown": (
        " Avtalet ger rätt till omförhandling bara på vissa grunder (en part fullföljer inte sina "
        "åtaganden, omständigheter som inte gick att förutse), och ingen sådan är registrerad före begäran.",
        " The agreement gives a right to renegotiation only on certain grounds (a party does not fulfil "
        "its commitments, circumstances that could not be foreseen), and none is recorded before the "
        "request.",
    ),
    "renegotiation_requested.not_public_party": (
        " Enligt avtalet kan bara den offentliga parten påkalla omförhandling.",
        " Under the agreement only the public party may call for renegotiation.",
    ),
    "renegotiation_requested.not_idea_party": (
        " Enligt avtalet kan bara de idéburna parterna påkalla omförhandling.",
        " Under the agreement only the idea-based parties may call for renegotiation.",
    ),
    # amendments: how a change that amended a value is cited (citations are in Swedish)
    "amendment.change": ("ändring {change}", "change {change}"),
    "amendment.adopted_by": ("antagen {day} av {by}", "adopted on {day} by {by}"),
    "amendment.period_over": (
        "den skulle ändra en period som redan hade löpt ut ({end})",
        "it would change a period that had already ended ({end})",
    ),
    "amendment.admission": ("ny part {party}", "new party {party}"),
    "amendment.annex_no_due": (
        "Bilagan anger inte när ersättningen betalas ut; förseningar bedöms inte.",
        "The annex does not say when the payments are due; lateness is not assessed.",
    ),
    "amendment.duty_no_deadline": (
        "Åtagandet anger ingen sista dag.",
        "The commitment gives no last day.",
    ),
    "amendment.adopted_signed": (
        "antagen {day} genom parternas underskrifter",
        "adopted on {day} by the parties' signatures",
    ),
    # conditions
    "ambiguity.funds_unmet": (
        "Avtalet är villkorat av att medel finns men säger inte hur och när det då upphör; motorn låter en "
        "pågående period löpa ut och inleder ingen ny.",
        "The agreement is conditional on funds but does not say how or when it then ends; the engine lets a "
        "running period run out and starts no new one.",
    ),
    "ambiguity.funds_unmet_open_period": (
        "Avtalet är villkorat av att medel finns men säger inte hur och när det då upphör. Det gäller tills "
        "vidare, så ingen period löper ut före {year}; motorn låter det upphöra {last}, dagen före det år "
        "som saknar medel. Den andra läsningen är att det fortsätter, utan ersättning för {year}.",
        "The agreement is conditional on funds but does not say how or when it then ends. It runs until "
        "terminated, so no period runs out before {year}; the engine ends it on {last}, the day before the "
        "year without funds. The other reading is that it goes on, without pay for {year}.",
    ),
    "ambiguity.funds_unmet_open_period_begun": (
        "Avtalet är villkorat av att medel finns men säger inte hur och när det då upphör. Det gäller tills "
        "vidare, så ingen period löper ut; året {year} har redan börjat, och motorn låter det upphöra "
        "{last}, den dag beslutet fattas. Den andra läsningen är att det fortsätter, utan ersättning för "
        "{year}.",
        "The agreement is conditional on funds but does not say how or when it then ends. It runs until "
        "terminated, so no period runs out; the year {year} has already begun, and the engine ends it on "
        "{last}, the day of the decision. The other reading is that it goes on, without pay for {year}.",
    ),
    "ambiguity.funds_unmet_before_start": (
        "Medel saknas för {year} redan före avtalets start. Avtalet är villkorat av att medel finns men "
        "säger inte om det då alls träder i kraft; motorn låter den första perioden löpa, utan ersättning "
        "för {year}, och inleder ingen ny. Den andra läsningen är att partnerskapet aldrig börjar gälla.",
        "Funds for {year} are refused before the agreement starts. It is conditional on funds but does not "
        "say whether it then takes effect at all; the engine lets the first period run, without pay for "
        "{year}, and starts no new one. The other reading is that the partnership never takes effect.",
    ),
    "ambiguity.funds_unmet_open_period_before_start": (
        "Medel saknas för {year} redan före avtalets start. Avtalet är villkorat av att medel finns men "
        "säger inte hur och när det då upphör. Det gäller tills vidare, så ingen period löper ut; motorn "
        "låter det upphöra {last}, samma dag som det börjar. Andra läsningar är att partnerskapet aldrig "
        "börjar gälla, eller att det fortsätter, utan ersättning för {year}.",
        "Funds for {year} are refused before the agreement starts. It is conditional on funds but does not "
        "say how or when it then ends. It runs until terminated, so no period runs out; the engine ends it "
        "on {last}, the day it starts. Other readings: the partnership never takes effect, or it goes on, "
        "without pay for {year}.",
    ),
    "ambiguity.funds_ends_before_start": (
        "Medel saknas för {year} redan före avtalets start. Avtalet är villkorat av att medel finns; "
        "motorn låter det upphöra samma dag som det börjar. Den andra läsningen är att partnerskapet "
        "aldrig börjar gälla.",
        "Funds for {year} are refused before the agreement starts. It is conditional on funds; the engine "
        "ends it on the day it starts. The other reading is that the partnership never takes effect.",
    ),
    "ambiguity.funds_redecided": (
        "Medel för {year} beslutas finnas efter ett tidigare beslut att de saknas. Texten säger inte om ett "
        "villkor som inte uppfyllts kan bli uppfyllt igen; motorn behåller det första beslutet.",
        "Funds for {year} are decided available after an earlier decision that they were not. The text does "
        "not say whether a failed condition can be met again; the engine keeps the first decision.",
    ),
    "ambiguity.funds_ends": (
        "Avtalet är villkorat av att medel finns; motorn låter det upphöra sista dagen före det år som "
        "saknar medel, eller samma dag om det året redan har börjat.",
        "The agreement is conditional on funds; the engine ends it on the last day before the year "
        "without funds, or on the day of the decision if that year has begun.",
    ),
    "ambiguity.condition_unmet": (
        'Avtalet är villkorat ("{condition}") men säger inte hur och när det då upphör; motorn låter '
        "en pågående period löpa ut och inleder ingen ny.",
        "The agreement is conditional on this ({condition}) but does not say how or when it then ends; "
        "the engine lets a running period run out and starts no new one.",
    ),
    "ambiguity.condition_unmet_open_period": (
        'Avtalet är villkorat ("{condition}") men säger inte hur och när det då upphör. Det gäller tills '
        "vidare, så ingen period löper ut; motorn låter det upphöra den dag beslutet fattas. Den andra "
        "läsningen är att det fortsätter tills det sägs upp.",
        "The agreement is conditional on this ({condition}) but does not say how or when it then ends. It "
        "runs until terminated, so no period runs out; the engine ends it on the day of the decision. The "
        "other reading is that it goes on until terminated.",
    ),
    "ambiguity.condition_unmet_open_period_before_start": (
        'Villkoret ("{condition}") beslutas inte vara uppfyllt redan före avtalets start. Avtalet säger '
        "inte hur och när det då upphör. Det gäller tills vidare, så ingen period löper ut; motorn låter "
        "det upphöra samma dag som det börjar. Andra läsningar är att partnerskapet aldrig börjar gälla, "
        "eller att det fortsätter tills det sägs upp.",
        "The condition ({condition}) is decided unmet before the agreement starts. The agreement does not "
        "say how or when it then ends. It runs until terminated, so no period runs out; the engine ends it "
        "on the day it starts. Other readings: the partnership never takes effect, or it goes on until "
        "terminated.",
    ),
    "ambiguity.condition_unmet_before_start": (
        'Villkoret ("{condition}") beslutas inte vara uppfyllt redan före avtalets start. Avtalet säger '
        "inte om det då alls träder i kraft; motorn låter den första perioden löpa och inleder ingen ny. "
        "Den andra läsningen är att partnerskapet aldrig börjar gälla.",
        "The condition ({condition}) is decided unmet before the agreement starts. The agreement does not "
        "say whether it then takes effect at all; the engine lets the first period run and starts no new "
        "one. The other reading is that the partnership never takes effect.",
    ),
    "ambiguity.condition_ends_before_start": (
        'Villkoret ("{condition}") beslutas inte vara uppfyllt redan före avtalets start; motorn låter '
        "det upphöra samma dag som det börjar. Den andra läsningen är att partnerskapet aldrig börjar "
        "gälla.",
        "The condition ({condition}) is decided unmet before the agreement starts; the engine ends it on "
        "the day it starts. The other reading is that the partnership never takes effect.",
    ),
    "ambiguity.condition_ends": (
        'Avtalet är villkorat ("{condition}"); motorn låter det upphöra den dag beslutet fattas.',
        "The agreement is conditional on this ({condition}); the engine ends it on the day of the decision.",
    ),
    "ambiguity.condition_redecided": (
        "Villkoret ({condition}) beslutas vara uppfyllt efter ett tidigare beslut att det inte var det. "
        "Texten säger inte om ett villkor som inte uppfyllts kan bli uppfyllt igen; motorn behåller det "
        "första beslutet.",
        "The condition ({condition}) is decided met after an earlier decision that it was not. The text "
        "does not say whether a failed condition can be met again; the engine keeps the first decision.",
    ),
    "unregulated.not_conditional": (
        "Avtalstiden är inte villkorad av att medel finns; beslutet påverkar inte avtalstiden.",
        "The term is not conditional on funds; the decision does not change it.",
    ),
    # review
    "ambiguity.review_after_end": (
        "Parterna är oense först efter den dag avtalet knyter upphörandet till; texten säger inte vad som då "
        "gäller, och motorn låter oenigheten vara utan verkan på avtalstiden.",
        "The parties disagree only after the day the clause ties the ending to; the text does not say what "
        "follows, and the engine gives the disagreement no effect on the term.",
    ),
    "ambiguity.no_review_recorded": (
        "Ingen översyn är registrerad före den dag avtalet knyter upphörandet till. Texten säger inte vad "
        "som gäller då; motorn låter avtalet löpa vidare.",
        "No review is recorded by the day the clause ties the ending to. The text does not say what follows; "
        "the engine lets the agreement run on.",
    ),
    # payments
    "unregulated.payment_due_day": (
        "",
        "The documents do not say when each payment is due; lateness is not assessed.",
    ),
    "unregulated.no_amount": (
        "Beloppet för {year} anges inte i dokumenten.",
        "The documents give no amount for {year}.",
    ),
    "payment_due.grant": ("bidraget för {year}", "the grant for {year}"),
    "payment_due.cut": (
        "; delen slutar {last}, partens sista dag i partnerskapet",
        "; the part ends on {last}, the party's last day in the partnership",
    ),
    "payment_due.listed": (
        "beloppet enligt avtalets betalningsplan",
        "the amount in the agreement's payment plan",
    ),
    "payment_due.year": (
        "årsbeloppet {annual_text}, efter dagar för en del av året",
        "the annual amount {annual_text_en}, by days for part of the year",
    ),
    "payment_due.monthly": (
        "en tolftedel av årsbeloppet {annual_text} per hel månad, annars efter dagar",
        "a twelfth of the annual amount {annual_text_en} per whole month, otherwise by days",
    ),
    "payment_due.quarterly": (
        "en fjärdedel av årsbeloppet {annual_text} per helt kvartal, annars efter dagar",
        "a quarter of the annual amount {annual_text_en} per whole quarter, otherwise by days",
    ),
    "payment_due.tertial": (
        "en tredjedel av årsbeloppet {annual_text} per helt tertial, annars efter dagar",
        "a third of the annual amount {annual_text_en} per whole tertial, otherwise by days",
    ),
    "payment_due.half_yearly": (
        "hälften av årsbeloppet {annual_text} per helt halvår, annars efter dagar",
        "half of the annual amount {annual_text_en} per whole half-year, otherwise by days",
    ),
    "payment_due.adjusted": (
        "; årsbeloppet för {year} är uppräknat med {share_sv} av förändringen i {index} från {earlier_year} "
        "({earlier_sv}) till {later_year} ({later_sv}), avrundat nedåt till {unit} kr",
        "; the annual amount for {year} is raised by {share_en} of the change in {index} from {earlier_year} "
        "({earlier}) to {later_year} ({later}), rounded down to {unit} kronor",
    ),
    "payment_due.first_period.monthly": (
        "{months}/12 av årsbeloppet {annual_text} = {amount_text} för den inledande perioden, fördelat på "
        "månaderna efter kalenderdagar",
        "{months}/12 of the annual amount {annual_text_en} = {amount_text_en} for the initial period, shared "
        "over the months by calendar days",
    ),
    "payment_due.first_period.quarterly": (
        "{months}/12 av årsbeloppet {annual_text} = {amount_text} för den inledande perioden, fördelat på "
        "kvartalen efter kalenderdagar",
        "{months}/12 of the annual amount {annual_text_en} = {amount_text_en} for the initial period, shared "
        "over the quarters by calendar days",
    ),
    "payment_due.first_period.tertial": (
        "{months}/12 av årsbeloppet {annual_text} = {amount_text} för den inledande perioden, fördelat på "
        "tertialen efter kalenderdagar",
        "{months}/12 of the annual amount {annual_text_en} = {amount_text_en} for the initial period, shared "
        "over the tertials by calendar days",
    ),
    "payment_due.first_period.half_yearly": (
        "{months}/12 av årsbeloppet {annual_text} = {amount_text} för den inledande perioden, fördelat på "
        "halvåren efter kalenderdagar",
        "{months}/12 of the annual amount {annual_text_en} = {amount_text_en} for the initial period, shared "
        "over the half-years by calendar days",
    ),
    "unregulated.first_period": (
        "Hur den inledande perioden ersätts anges inte; beloppet kan inte räknas ut.",
        "How the initial period is paid is not given; the amount cannot be computed.",
    ),
    "unregulated.index_missing": (
        "Indextalet för {year} i {index} finns inte i regelfilen; beloppet för {for_year} kan inte "
        "räknas ut.",
        "The figure for {year} of the index {index} is not in the rule file; the amount for {for_year} "
        "cannot be computed.",
    ),
    "payment_after_end.party_ended": (
        "partens del i partnerskapet upphörde {end}",
        "the party's part in the partnership ended on {end}",
    ),
    "payment_after_end.changed_circumstances": (
        "partnerskapet sades upp {since} på grund av väsentligt förändrade omständigheter, och då går ingen "
        "ny betalning ut",
        "the partnership was terminated on {since} for substantially changed circumstances, after which no "
        "new payment goes out",
    ),
    "rescission.ground": ("{ground}", "in Swedish: {ground}"),
    "rescission.ground_open": ("dokumenten anger den inte", "the documents do not state it"),
    # repayment
    "repayment.exception_open": (
        "undantaget {id}, vars lydelse dokumenten inte återger",
        "the exception {id}, whose words the documents do not give",
    ),
    "repayment_claim.may": ("kan krävas tillbaka", "may be claimed back"),
    "repayment_claim.must": ("ska betalas tillbaka", "is to be repaid"),
    "repayment_claim.misuse": (
        "beloppet som berörs av den felaktiga medelsanvändningen",
        "the amount affected by the misuse",
    ),
    "repayment_claim.rescission.part_or_all": (
        "delar av eller hela summan som betalats ut till parten och inte redan krävts tillbaka, högst "
        "{room_text}",
        "part or all of the sum paid to the party and not already claimed, at most {room_text_en}",
    ),
    "repayment_claim.rescission.all": (
        "hela summan som betalats ut till parten och inte redan krävts tillbaka, högst {room_text}",
        "all of the sum paid to the party and not already claimed, at most {room_text_en}",
    ),
    "repayment_claim.beyond_notice": (
        "{amount_text} för {days} dagar, varav {beyond_days} dagar efter {end}: {share_text} (efter "
        "kalenderdagar)",
        "{amount_text_en} for {days} days, of which {beyond_days} days after {end}: {share_text_en} (by "
        "calendar days)",
    ),
    "unregulated.paid_beyond_end": (
        "Betalningen {paid_on} ({amount_text}) avser också tid efter {end}, {share_text} efter "
        "kalenderdagar; dokumenten reglerar inte återbetalning då.",
        "The payment of {paid_on} ({amount_text_en}) also covers time after {end}, {share_text_en} by "
        "calendar days; the documents do not regulate repayment then.",
    ),
    # rescission, deficiency
    "unregulated.expulsion_after_leaving": (
        "Beslutet att {expel_sv} ({party}) gäller en part som redan lämnat partnerskapet ({until}); det "
        "avslutar inget.",
        "The decision to {expel_en} ({party}) concerns a party that has already left ({until}); it ends "
        "nothing.",
    ),
    "unregulated.expulsion_repeated": (
        "Beslut att {expel_sv} ({party}) är redan fattat; ett nytt beslut om det ändrar inget.",
        "A decision to {expel_en} ({party}) has already been taken; a new one changes nothing.",
    ),
    "unregulated.rescission_after_leaving": (
        "Hävningen gäller en part som redan lämnat partnerskapet: {left_sv}. Dokumenten säger inte vad en "
        "hävning då innebär; motorn avslutar inget och gör inget krav på återbetalning enligt "
        "hävningsklausulen.",
        "The rescission concerns a party that has already left: {left_en}. The documents do not say what a "
        "rescission then does; the engine ends nothing and makes no repayment claim under the rescission "
        "clause.",
    ),
    "ambiguity.rescission_scope": (
        "",
        "The engine reads the rescission as ending the {chosen}; the other reading is '{other}'.",
    ),
    "action_without_mandate.plan": ("begära en åtgärdsplan", "request an action plan"),
    "expulsion.default": ("utesluta parten ur partnerskapet", "expel the party from the partnership"),
    "action_without_mandate.extend": ("förlänga avtalet", "extend the agreement"),
    "action_without_mandate.refuse_extension": ("inte förlänga avtalet", "refuse to extend the agreement"),
    "ambiguity.expulsion_notice": (
        "",
        "The engine lets the expulsion take effect after {months} months' notice; the other reading is that "
        "it takes effect at once.",
    ),
    # changes
    "change.missing_decision": ("beslut: {who}", "decision: {who_en}"),
    "change.missing_signature": ("underskrift: {who}", "signature: {who_en}"),
    "change.missing_registration": ("registrering", "registration"),
    "change_closed.step.decided": ("beslutet av {body}", "the decision of {body_en}"),
    "change_closed.step.signed": ("underskriften av {party}", "the signature of {party}"),
    "change_closed.step.registered": ("registreringen", "the registration"),
    "change_pending.nothing_adopts": (
        "oreglerat: dokumenten anger inte vad som antar ändringen",
        "unregulated: the documents do not say what adopts the change",
    ),
    "source_conflict.authority": ("beslutsrätt", "authority"),
    "contribution_due.fixed": ("ett fast belopp per år", "a fixed amount a year"),
    "contribution_due.share": (
        "{share_sv} av årsbeloppet {annual_text}",
        "{share_en} of the annual amount {annual_text_en}",
    ),
    "contribution_due.unknown": ("beloppet eller andelen är inte känd", "the amount or share is not known"),
    "unregulated.change_not_tracked": (
        "Ändring {change} föreslogs utanför avtalstiden; motorn följer den inte, och händelsen {event} "
        "prövas inte.",
        "Change {change} was proposed outside the term; the engine does not track it, and the event {event} "
        "is not assessed.",
    ),
    "approval_not_counted.order": (
        "{body} beslutade om ändring {change} innan {before} hade beslutat, men dokumenten kräver att "
        "{before} beslutar först; beslutet måste fattas på nytt.",
        "{body} decided change {change} before {before} had decided, but the documents require "
        "{before} to decide first; the decision must be taken again.",
    ),
    "ambiguity.approval_order": (
        "{body} godkände ändring {change} innan {before} beslutat. Dokumenten kräver båda besluten men anger "
        "inte ordningen uttryckligen; motorn räknar båda, oavsett ordning, och låter den andra läsningen "
        "(godkännandet gäller ett redan fattat beslut och måste tas om) stå öppen.",
        "{body} approved change {change} before {before} decided. The documents require both "
        "decisions without stating their order in so many words; the engine counts both whatever their "
        "order (the other reading: the approval concerns a decision already taken and must be given again).",
    ),
    "unregulated.mandate_unknown": (
        "{body} beslutade om ändring {change}. {note}",
        "{body} decided change {change}, but its mandate is set in a document that is not among the sources.",
    ),
    "unregulated.nobody_decides": (
        "{body} beslutade om ändring {change}, men dokumenten anger inte vem som beslutar om den.",
        "{body} decided change {change}, but the documents do not say who decides it.",
    ),
    "unregulated.nobody_decides_board": (
        "Dokumenten anger inte vem som beslutar om ändring {change}, men beslutet är fattat av en nämnd "
        "({body}), som beslutar i sina egna ärenden och behåller rätten att själv besluta också där den "
        "har delegerat (6 kap. 37 § kommunallagen): beslutet räknas som stadens. Ändringen gäller när "
        "formkraven är uppfyllda.",
        "The documents do not say who decides change {change}, but it was decided by a nämnd ({body}), "
        "which decides its own matters and keeps the power to decide them itself even where it has "
        "delegated them (Local Government Act 6:37): the decision counts as the city's. The change is "
        "valid once its form is met.",
    ),
    "unregulated.nobody_decides_implemented": (
        "Ändring {change} genomfördes, men dokumenten anger varken vem som beslutar om den eller i vilken "
        "form; om den hade stöd kan inte prövas.",
        "Change {change} was implemented, but the documents say neither who decides it nor in what form; "
        "whether it had authority cannot be assessed.",
    ),
    "change_unauthorised.no_mandate": (
        "{body} har inte mandat att besluta om ändringen; det har {mandated}",
        "{body} has no mandate to decide it; {mandated} has",
    ),
    "change_unauthorised.implemented_early": (
        "genomförd innan den antagits; saknas: {missing_sv}",
        "implemented before adoption; missing: {missing_en}",
    ),
    # who must approve a change (authority)
    "kind.commitments": ("åtaganden", "commitments"),
    "kind.goals_purpose_values": ("mål, syfte och värdegrund", "goals, purpose and values"),
    "kind.budget_frame": ("den totala ekonomiska ramen", "the total economic frame"),
    "kind.funds_distribution": (
        "fördelningen av medel mellan parterna",
        "the distribution of funds between the parties",
    ),
    "kind.compensation": ("en parts ersättning eller bidrag", "a party's compensation or grant"),
    "kind.term": ("avtalstiden (förlängning)", "the term (extension)"),
    "kind.term_beyond_cap": (
        "avtalstiden utöver den längsta tid avtalet medger (förlängning efter taket)",
        "the term beyond the longest the agreement allows (extension past the cap)",
    ),
    "kind.parties": ("parterna (ny eller utesluten aktör)", "the parties (a new or expelled actor)"),
    "kind.ending_by_agreement": (
        "att avtalet förkortas eller upphör i samförstånd",
        "shortening or ending the agreement by mutual consent",
    ),
    "kind.application": ("tillämpningen av överenskommelsen", "the application of the agreement"),
    "requirement.written": ("skriftlig", "in writing"),
    "requirement.signed_by_all_parties": (
        "undertecknad av behörig företrädare (firmatecknare) för varje part",
        "signed by every party's authorised signatory",
    ),
    "requirement.registered": ("registrerad", "registered"),
    "authority.nobody": ("dokumenten säger inte vem som beslutar", "the documents do not say who decides"),
    "authority.read_all": ("hela avtalet", "the whole agreement"),
    "authority.unregulated_kind": (
        "Vem som beslutar om ändringar av {kind_sv} regleras inte: {text} (lästa avsnitt: {read_sv}).",
        "Who decides changes to {kind_en} is not regulated by the documents (sections read: {read_en}).",
    ),
    "authority.unregulated_form": (
        "Formkravet '{sv}' regleras inte: {note}",
        "The form requirement '{en}' is not regulated by the documents (sections read: {read}).",
    ),
    "authority.renegotiation": (
        "Ändringen kan bara göras genom omförhandling av överenskommelsen, och en omförhandlad "
        "överenskommelse binder alla parter: motorn kräver därför varje parts underskrift, fast dokumenten "
        "inte reglerar formen för ändringar.",
        "The change can only be made by renegotiating the agreement, which binds every party: the engine "
        "therefore requires every party's signature, although the documents do not regulate the form of "
        "changes.",
    ),
    "authority.mandate_unknown": (
        "{name}: {note}",
        "The mandate of {body} is set in a document that is not among the sources (sections read: {read}).",
    ),
    "authority.outside_revision": (
        "Ändringen ligger utanför vad parterna kan revidera.",
        "The change lies outside what the parties may revise: it needs a renegotiated agreement.",
    ),
    "authority.conflict": (
        "Dokumenten skiljer sig åt om {about}: {values}. {consequence}",
        "The documents differ on {id}: {consequence_en}",
    ),
    "authority.conflict_consequence": (
        "Svaret ovan bygger på en av versionerna; kontrollera vilken som gäller.",
        "the answer above rests on one of the versions; check which applies.",
    ),
    "authority.party": (
        "Ändringen gäller {genitive} åtaganden.",
        "The change concerns the commitments of {name}.",
    ),
    "authority.delegation_report": (
        "Beslutet fattas av {by} på delegation från {of} och ska anmälas till nämnden (anmälan av "
        "delegationsbeslut, 6 kap. 40 § kommunallagen); det kan överklagas genom laglighetsprövning "
        "(13 kap. kommunallagen).",
        "The decision is taken by {by_en} by delegation from {of_en} and must be reported to the nämnd "
        "(6 kap. 40 § kommunallagen); it may be appealed (laglighetsprövning, 13 kap. kommunallagen).",
    ),
    "authority.contractual_approval": (
        "Godkännandet av {body} binder parterna enligt avtalet men är inget kommunalt beslut: {body} "
        "är ett organ för parterna gemensamt, som en nämnd inte kan delegera till (6 kap. 37 § "
        "kommunallagen). Det anmäls därför inte enligt 6 kap. 40 § och kan inte överklagas genom "
        "laglighetsprövning.",
        "An approval by {body_en} binds the parties by contract but is no municipal decision: {body_en} "
        "is a body of the parties jointly, which a nämnd cannot delegate to (6 kap. 37 § "
        "kommunallagen). It is therefore not reported under 6 kap. 40 § and cannot be appealed "
        "(laglighetsprövning).",
    ),
    "authority.municipal_decision": (
        "Beslutet av {body} är ett kommunalt beslut, som kan överklagas genom laglighetsprövning "
        "(13 kap. kommunallagen).",
        "A decision of {body_en} is a municipal decision and may be appealed (laglighetsprövning, "
        "13 kap. kommunallagen).",
    ),
    "authority.delegation_not_shown": (
        "Dokumenten låter {body} besluta men anger inte att det sker på delegation från en nämnd. En "
        "anställd eller ett utskott kan besluta för kommunen bara på uppdrag av en nämnd (6 kap. 37 § "
        "kommunallagen): kontrollera nämndens delegationsordning. Beslutet är inte nämndens eget.",
        "The documents let {body_en} decide but do not say that it does so by delegation from a "
        "nämnd. An employee or an utskott decides for the municipality only on a nämnd's behalf (6 kap. "
        "37 § kommunallagen): check the nämnd's delegation rules. The decision is not the nämnd's own.",
    ),
    "authority.reserved_to_namnd": (
        "En ändring som rör verksamhetens mål, inriktning, omfattning eller kvalitet är nämndens egen och "
        "kan inte delegeras (6 kap. 38 § kommunallagen).",
        "A change touching the activity's goals, direction, scope or quality is for the nämnd itself and "
        "cannot be delegated (6 kap. 38 § kommunallagen).",
    ),
    "authority.substantial": ("väsentlig", "substantial"),
    "authority.not_substantial": ("inte väsentlig", "not substantial"),
    "authority.step": ("{body}", "{body}"),
    "authority.step_delegated": (
        "{body} (på delegation från {of})",
        "{body} (by delegation from {of})",
    ),
    "authority.then": (", därefter ", ", then "),
    "authority.decided_by": (
        "En ändring av {what_sv} ({size_sv}) ska beslutas av {steps_sv}.",
        "A change to {what_en} ({size_en}) must be decided by {steps_en}.",
    ),
    "authority.nobody_decides": (
        "Dokumenten anger inte vem som beslutar om en ändring av {what_sv} ({size_sv}).",
        "The documents do not say who decides a change to {what_en} ({size_en}).",
    ),
    "authority.must_be": (" Ändringen ska vara {sv}.", " It must be {en}."),
    "authority.then_must_be": (" Därefter ska den vara {sv}.", " After that it must be {en}."),
    "authority.outside": (
        " Ändringen ligger utanför vad överenskommelsen låter parterna revidera.",
        " The change lies outside what the agreement lets the parties revise.",
    ),
}


class _Filled(string.Formatter):
    """str.format that refuses a missing value: "None" in a reader's text is always a defect of
    the caller (a field it forgot to compute), never something to print."""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        obj, used = super().get_field(field_name, args, kwargs)
        if obj is None:
            raise ValueError(f"the text field {{{field_name}}} was to be filled in with None")
        return obj, used


_FILLED = _Filled()


def fill(template: str, fields: Mapping[str, Any]) -> str:
    """`template` with its `{field}`s filled in from `fields`, none of them None."""
    return _FILLED.vformat(template, (), fields)


def words(key: str, **fields: Any) -> tuple[str, str]:
    """A phrase in Swedish and English, filled in."""
    sv, en = PHRASES[key]
    return fill(sv, fields), fill(en, fields)


def stated(value: str | None, key: str) -> tuple[str, str]:
    """A rule file's words (Swedish, used in both languages), or the phrase `key` saying that the
    documents leave them open."""
    return (value, value) if value is not None else words(key)


def phrase(name: str, key: str, **fields: Any) -> dict[str, Any]:
    """A phrase as the message fields `<name>_sv` and `<name>_en`."""
    sv, en = words(key, **fields)
    return {f"{name}_sv": sv, f"{name}_en": en}


def phrases(name: str, keys: list[str], conjunction: str | None = None, **fields: Any) -> dict[str, Any]:
    """Several phrases as one pair of message fields, joined by a conjunction (`and`, `or`) or,
    where None, run together (phrases that carry their own punctuation)."""
    return joined(name, [words(k, **fields) for k in keys], conjunction)


def joined(name: str, pairs: list[tuple[str, str]], conjunction: str | None) -> dict[str, Any]:
    """Both languages' words as one list each: "A, B och C" with a conjunction, run together
    without one."""
    return {
        f"{name}_{lang}": series([p[i] for p in pairs], conjunction, i)
        if conjunction
        else "".join(p[i] for p in pairs)
        for i, lang in enumerate(("sv", "en"))
    }


def series(items: Sequence[str], conjunction: str, language: int = 0) -> str:
    """Items as running text in one language (0 Swedish, 1 English): "A, B och C"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + PHRASES[conjunction][language] + items[-1]
