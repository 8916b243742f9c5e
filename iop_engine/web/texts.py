"""The web pages' own words, Swedish and English. Domain terms stay Swedish in both.

Texts the engine already has (finding messages, period kinds, change kinds, form requirements)
come from `render`, `authority` and the answers themselves, not from here.
"""

from __future__ import annotations

from iop_engine.render import Lang, bilingual

TEXTS: dict[str, tuple[str, str]] = {
    "app": ("IOP-motorn", "IOP engine"),
    "skip": ("Hoppa till innehållet", "Skip to content"),
    "other_lang": ("English", "Svenska"),
    "other_lang_code": ("en", "sv"),
    "agreements": ("Partnerskap", "Agreements"),
    "parties": ("Parter", "Parties"),
    "current_period": ("Aktuell period", "Current period"),
    "next_deadline": ("Nästa frist", "Next deadline"),
    "no_deadline": ("ingen kommande frist", "no deadline ahead"),
    "not_running": ("löper inte", "not running"),
    "today": ("Idag", "Today"),
    "login": ("Logga in", "Log in"),
    "logout": ("Logga ut", "Log out"),
    "token": ("Åtkomstnyckel (token)", "Access token"),
    "token_help": (
        "Nyckeln får du av den som driver tjänsten (iop serve --new-token legal).",
        "The service's operator gives you the token (iop serve --new-token legal).",
    ),
    "token_wrong": (
        "Nyckeln känns inte igen. Kontrollera att du klistrat in hela nyckeln.",
        "The token is not recognised. Check that you pasted all of it.",
    ),
    "overview": ("Översikt", "Overview"),
    "timeline": ("Tidslinje", "Timeline"),
    "download_svg": ("Ladda ner bilden (SVG)", "Download the picture (SVG)"),
    "calendar": ("Frister i kalendern (.ics)", "Deadlines in your calendar (.ics)"),
    "calendar_help": (
        "Varje frist blir en heldagshändelse med klausulen i beskrivningen och en påminnelse 14 dagar före.",
        "Each deadline becomes an all-day event with the clause in its description and a reminder "
        "14 days ahead.",
    ),
    "feed": ("Prenumerera i din kalender (adress)", "Subscribe in your calendar (address)"),
    "feed_help": (
        "Lägg till adressen som prenumererad kalender (t.ex. Outlook: Lägg till kalender → Från "
        "Internet). Den är personlig: den ger läsrätt till partnerskapets frister och slutar gälla om "
        "din nyckel byts.",
        "Add the address as a subscribed calendar (e.g. Outlook: Add calendar → From Internet). It is "
        "personal: it gives read access to the agreement's deadlines and stops working when your token "
        "changes.",
    ),
    "dates": ("Frister och datum", "Deadlines and dates"),
    "date": ("Datum", "Date"),
    "what": ("Vad", "What"),
    "clause": ("Klausul", "Clause"),
    "section": ("punkt", "section"),
    "clauses": ("Klausuler", "Clauses"),
    "read_in_document": ("Läs i dokumentet", "Read in the document"),
    "bodies": ("Organ", "Bodies"),
    "organisationsnummer": ("Organisationsnummer", "Organisation number"),
    "sector": ("Sektor", "Sector"),
    "authority_table": ("Vem beslutar om ändringar", "Who decides changes"),
    "change_kind": ("Ändringen avser", "The change affects"),
    "substantial_col": ("Väsentlig", "Substantial"),
    "decided_by": ("Beslutas av, i ordning", "Decided by, in order"),
    "within_revision": ("Inom revidering", "Within revision"),
    "either": ("båda", "either"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "unknown": ("okänt", "unknown"),
    "not_regulated": ("regleras inte av dokumenten", "not regulated by the documents"),
    "by_delegation_from": ("på delegation från", "by delegation from"),
    "money_per_year": ("Pengar per år", "Money per year"),
    "year": ("År", "Year"),
    "amount": ("Belopp", "Amount"),
    "basis": ("Grund", "Basis"),
    "no_money": ("Avtalet anger inga belopp.", "The agreement states no amounts."),
    "approvals_title": ("Vem måste godkänna?", "Who must approve?"),
    "approvals_intro": (
        "Beskriv ändringen. Svaret anger vilka organ som ska besluta, i vilken ordning och form, "
        "med klausulerna citerade.",
        "Describe the change. The answer names the bodies that must decide, in what order and form, "
        "with the clauses quoted.",
    ),
    "affects_legend": ("Vad påverkar ändringen?", "What does the change affect?"),
    "substantial_legend": ("Är ändringen väsentlig?", "Is the change substantial?"),
    "substantial_no": ("Nej, inte väsentlig", "No, not substantial"),
    "substantial_yes": ("Ja, väsentlig", "Yes, substantial"),
    "party_label": ("Vems åtaganden gäller ändringen?", "Whose commitments does the change concern?"),
    "no_party": ("Ingen särskild part", "No particular party"),
    "ask": ("Visa vem som måste godkänna", "Show who must approve"),
    "choose_substantial": (
        "Välj om ändringen är väsentlig eller inte; svaret beror på det.",
        "Choose whether the change is substantial or not; the answer depends on it.",
    ),
    "choose_affects": (
        "Välj minst en sak som ändringen påverkar.",
        "Choose at least one thing the change affects.",
    ),
    "answer": ("Svar", "Answer"),
    "decisions": ("Beslut, i ordning", "Decisions, in order"),
    "no_decisions": ("Dokumenten anger inte vem som beslutar.", "The documents do not say who decides."),
    "form": ("Form", "Form"),
    "for_validity": ("villkor för giltighet", "condition of validity"),
    "duty_after": (
        "en skyldighet efter beslutet, inte ett villkor för giltighet",
        "a duty after the decision, not a condition of validity",
    ),
    "notes": ("Att notera", "Notes"),
    "memo": ("Text till promemoria", "Memo text"),
    "copy_memo": ("Kopiera som promemoriatext", "Copy as memo text"),
    "copied": ("Texten är kopierad.", "The text is copied."),
    "whatif_title": ("Vad händer om …?", "What happens if …?"),
    "whatif_intro": (
        "Lägg till daterade händelser i ett utkast och se vad de gör med partnerskapet. Inget sparas; "
        "utkastet finns i sidans adress.",
        "Add dated events to a draft and see what they do to the agreement. Nothing is stored; the "
        "draft lives in the page's address.",
    ),
    "events": ("Händelser i utkastet", "Events in the draft"),
    "no_events": (
        "Inga händelser ännu: så här löper partnerskapet om inget händer.",
        "No events yet: this is how the agreement runs if nothing happens.",
    ),
    "add_event": ("Lägg till en händelse", "Add an event"),
    "add": ("Lägg till", "Add"),
    "remove": ("Ta bort", "Remove"),
    "remove_event": ("Ta bort händelse {n}", "Remove event {n}"),
    "event_refused": ("Händelsen lades inte till", "The event was not added"),
    "result": ("Resultat", "Result"),
    "ends": ("Partnerskapet upphör", "The agreement ends"),
    "party_until": ("Parten deltar till", "The party takes part until"),
    "findings": ("Iakttagelser", "Findings"),
    "code": ("Kod", "Code"),
    "download_scenario": ("Ladda ner som scenariofil", "Download as a scenario file"),
    "scenario_help": (
        "Filen förväntar sig det resultat som visas här; lägg den under scenarios/ så kör testsviten den.",
        "The file expects the result shown here; put it under scenarios/ and the test suite runs it.",
    ),
    "choose": ("Välj …", "Choose …"),
    "from": ("från", "from"),
    "to": ("till", "to"),
    "source_title": ("Källdokument", "Source document"),
    "back_to": ("Tillbaka till", "Back to"),
    "not_found": ("Sidan finns inte", "Page not found"),
    "engine_failed": ("Beräkningen misslyckades", "The computation failed"),
    "cross_site": ("Begäran kom från en annan webbplats", "The request came from another site"),
    "cross_site_why": (
        "In- och utloggning görs bara från tjänstens egna sidor. Öppna inloggningssidan här och försök igen.",
        "Logging in and out works only from the service's own pages. Open the login page here and try again.",
    ),
    "money_per_party": ("Pengar per part", "Money per party"),
    "due_by_today": ("Förfallet t.o.m. idag", "Due by today"),
    "due_later": ("Förfaller senare", "Falls due later"),
    "passed": ("har passerat", "has passed"),
    "register_title": ("Registrerade händelser", "Recorded events"),
    "watch_title": ("Att bevaka", "To watch"),
    "kind_help.commitments": (
        "vad en part åtar sig att göra (en bilagas insatser)",
        "what a party undertakes to do",
    ),
    "kind_help.goals_purpose_values": (
        "partnerskapets mål, syfte och värdegrund",
        "the partnership's goals, purpose and values",
    ),
    "kind_help.budget_frame": (
        "den ekonomiska ram som bilagorna fastställer",
        "the economic frame the annexes set",
    ),
    "kind_help.funds_distribution": (
        "hur medlen fördelas mellan organisationerna",
        "how the funds are split between the organisations",
    ),
    "kind_help.compensation": (
        "beloppet en part får, per år eller för en period",
        "the amount a party receives, per year or period",
    ),
    "kind_help.term": ("förlängning inom avtalets längsta tid", "an extension within the longest term"),
    "kind_help.term_beyond_cap": (
        "förlängning efter den längsta tid avtalet medger",
        "an extension past the longest term",
    ),
    "kind_help.parties": (
        "en ny aktör ansluts, eller en part utesluts",
        "a new actor joins, or a party is expelled",
    ),
    "kind_help.ending_by_agreement": (
        "parterna är ense om att avsluta eller förkorta avtalet",
        "the parties agree to end or shorten it",
    ),
    "kind_help.application": (
        "hur överenskommelsen tillämpas i det dagliga arbetet",
        "how the agreement is applied day to day",
    ),
    "logged_in_as": ("Inloggad", "Logged in"),
    "role_legal": ("stadens jurister", "the city's legal staff"),
    "own_title": ("Din organisation", "Your organisation"),
    "own_intro": (
        "Dina återkommande skyldigheter, dina stående åtaganden och reglerna för uppsägning. Du kan "
        "registrera din organisations "
        "egna handlingar (uppsägning, avsikt att förlänga, underskrift av en ändring); annat registrerar "
        "stadens jurister.",
        "Your recurring duties, your standing obligations and the notice rules. You may record your "
        "organisation's own acts (notice, "
        "intent to extend, signing a change); the city's legal staff record the rest.",
    ),
    "own_notice": ("uppsägningstid {months} månader", "notice period {months} months"),
    "every_year": ("varje år", "every year"),
    "memo_title": ("Promemoria: vem måste godkänna ändringen?", "Memo: who must approve the change?"),
    "memo_question": ("Frågan", "The question"),
    "memo_date": ("Datum", "Date"),
    "memo_rules": ("Regelversion", "Rule version"),
    "memo_nobody": ("Dokumenten anger inte vem som beslutar.", "The documents do not say who decides."),
    "memo_delegated": ("på delegation från", "by delegation from"),
    "memo_unregulated": ("regleras inte av dokumenten", "not regulated by the documents"),
    "memo_download": (
        "Ladda ner promemorian som Word-dokument (.docx)",
        "Download the memo as a Word document (.docx)",
    ),
    "watch_intro": (
        "Över alla avtal du får se: frister som passerat utan att handlingen registrerats, kommande "
        "frister och iakttagelser som behöver en jurists bedömning, från de registrerade händelserna.",
        "Across every agreement you may see: deadlines passed without the act recorded, coming "
        "deadlines, and findings that need a lawyer's judgement, from the recorded events.",
    ),
    "watch_calendar": ("Ladda ner listan som kalender (.ics)", "Download the list as a calendar (.ics)"),
    "watch_feed_help": (
        "Lägg till adressen som prenumererad kalender: den visar samma lista, med dina förvarningstider. "
        "Den är personlig och slutar gälla om din nyckel byts.",
        "Add the address as a subscribed calendar: it shows the same list, with your lead times. It "
        "is personal and stops working when your token changes.",
    ),
    "watch_leads": ("Förvarningstider", "Lead times"),
    "watch_leads_help": (
        'Hur många dagar före en frist den ska visas här, t.ex. "90, 60, 30" (anpassat efter '
        "nämndens sammanträden). Ett tomt fält betyder standard ({days} dagar). Sparas för dig.",
        'How many days before a deadline it is listed here, e.g. "90, 60, 30" (suited to the '
        "nämnd's meetings). An empty field means the default ({days} days). Saved for you.",
    ),
    "watch_leads_all": ("Alla avtal", "Every agreement"),
    "watch_leads_save": ("Spara förvarningstider", "Save lead times"),
    "watch_leads_error": (
        "Förvarningstider: ange upp till sex hela antal dagar mellan 1 och 366, åtskilda med komma.",
        "Lead times: give up to six whole numbers of days between 1 and 366, separated by commas.",
    ),
    "watch_within": ("inom {n} dagar", "within {n} days"),
    "show": ("Visa", "Show"),
    "correct_title": ("Rätta registrering", "Correct record"),
    "correct_help": (
        "Ändra det som var fel och ange varför. Den gamla registreringen ersätts men finns kvar i "
        "historiken, med vem som rättade den, när och varför.",
        "Change what was wrong and say why. The old record is replaced but stays in the history, with "
        "who corrected it, when and why.",
    ),
    "correct_save": ("Spara rättelse av", "Save correction of"),
    "correct_link": ("Rätta", "Correct"),
    "record_actions": ("Rätta eller ta bort", "Correct or withdraw"),
    "ends_on": ("Upphör", "Ends"),
    "as_amended_on": ("Avtalet i lydelse per", "The agreement as amended on"),
    "as_amended_help": (
        "Visar avtalet så som det lydde den dagen: de händelser som var registrerade fram till dess, "
        "ändringar som antagits och versioner av regelfilen som gällde då. Tomt: idag.",
        "Shows the agreement as it stood on that day: the events recorded up to it, the changes "
        "adopted and the versions of the rule file in force then. Empty: today.",
    ),
    "as_amended_heading": ("Avtalet i lydelse per {day}", "The agreement as amended on {day}"),
    "amendments_heading": ("Ändringar av avtalet", "Amendments of the agreement"),
    "no_amendments": (
        "Inga ändringar eller nya versioner gäller den dagen: avtalet lyder som när det ingicks.",
        "No amendment or new version applies on that day: the agreement reads as when it was made.",
    ),
    "status_title": ("Promemoria: avtalets läge", "Memo: where the agreement stands"),
    "status_question": (
        "Vad gäller för avtalet den {day} enligt de registrerade händelserna?",
        "What applies under the agreement on {day}, by the recorded events?",
    ),
    "status_basis": ("Underlag: registrerade händelser", "Basis: the recorded events"),
    "status_state": ("Avtalstid och parter", "Term and parties"),
    "status_running": ("pågår", "running"),
    "status_ends": ("Partnerskapet upphör", "The partnership ends"),
    "status_ended": ("Partnerskapet upphörde", "The partnership ended"),
    "status_party_until": ("deltar till och med", "takes part until"),
    "status_coming": ("Kommande frister och dagar", "Coming deadlines and days"),
    "status_decisions": (
        "Beslut på delegation: anmälan och laglighetsprövning",
        "Decisions by delegation: report and appeal",
    ),
    "status_caveats": (
        "Förbehåll: tolkningar, luckor och motstridiga dokument",
        "Caveats: readings, gaps and conflicting documents",
    ),
    "status_tab": ("Promemoria", "Memo"),
    "event_error_missing": ("{field}: fältet måste fyllas i.", "{field}: the field must be filled in."),
    "event_error_invalid": (
        '{field}: "{value}" går inte att använda; ange {expected}.',
        '{field}: "{value}" cannot be used; give {expected}.',
    ),
    "event_error_date": (
        "{field}: {value} är inget datum som finns; ange en dag som ÅÅÅÅ-MM-DD.",
        "{field}: {value} is no day that exists; give a day as YYYY-MM-DD.",
    ),
    "event_error_order": (
        "{field}: dagen ligger före en händelse som redan finns ({value}); händelserna ska följa på "
        "varandra i datumordning.",
        "{field}: the day is earlier than an event already there ({value}); events follow each other "
        "in date order.",
    ),
    "event_error_change_unknown": (
        '{field}: ingen tidigare föreslagen ändring har id "{value}"; registrera förslaget först '
        "eller rätta id:t.",
        '{field}: no change proposed earlier has the id "{value}"; record the proposal first or '
        "correct the id.",
    ),
    "event_error_change_twice": (
        '{field}: ändringen "{value}" är redan föreslagen; ge varje förslag ett eget id.',
        '{field}: the change "{value}" is already proposed; give each proposal its own id.',
    ),
    "event_error_amends_kind": (
        "{field}: ändringen ändrar {value}, vilket en ändring av det valda slaget inte kan; välj vad "
        "ändringen gäller, så att den får de godkännanden en sådan ändring kräver.",
        "{field}: the change amends {value}, which a change of the kind chosen cannot; choose what "
        "the change affects, so that it gets the approvals such a change needs.",
    ),
    "event_error_not_yours": (
        "{field}: en organisation registrerar bara sina egna handlingar och rättar bara sina egna "
        "registreringar; be stadens jurister registrera detta.",
        "{field}: an organisation records only its own acts and corrects only its own records; ask the "
        "city's legal staff to record this.",
    ),
    "expected_one_of": ("ett av: {names}", "one of: {names}"),
    "expected_amount": (
        "ett belopp i kronor över noll, t.ex. 200 000,00 eller 200000.00",
        "an amount in kronor above zero, e.g. 200,000.00 or 200000.00",
    ),
    "expected_year": ("ett årtal, t.ex. 2027", "a year, e.g. 2027"),
    "expected_date": ("en dag som ÅÅÅÅ-MM-DD", "a day as YYYY-MM-DD"),
    "expected_span": (
        "en period med en första och en sista dag, den sista inte före den första",
        "a period with a first and a last day, the last not before the first",
    ),
    "expected_text": ("en text", "a text"),
    "memo_print": ("Skriv ut", "Print"),
    "memo_print_view": ("Utskriftsvy", "Print view"),
    "watch_heading_missed": (
        "Frister som passerat utan registrerad handling",
        "Deadlines passed with nothing recorded",
    ),
    "watch_heading_coming": ("Kommande frister", "Coming deadlines"),
    "watch_heading_attention": ("Att bedöma", "For a lawyer's judgement"),
    "watch_missed": ("frist passerad", "deadline passed"),
    "watch_coming": ("frist", "deadline"),
    "watch_attention": ("att bedöma", "to judge"),
    "watch_none": ("Inget.", "Nothing."),
    "watch_nothing_urgent": ("Inga passerade eller närliggande frister.", "No passed or near deadlines."),
    "watch_all": ("Allt att bevaka", "Everything to watch"),
    "watch_in_days": ("om {n} dagar", "in {n} days"),
    "recorded_none": (
        "Inga händelser registrerade – visar utfallet om inget har hänt.",
        "No events recorded – showing the outcome if nothing has happened.",
    ),
    "recorded_some": (
        "Visar utfallet av {n} registrerade händelser.",
        "Showing the outcome of {n} recorded events.",
    ),
    "register_intro": (
        "Det som faktiskt har hänt enligt avtalet. Varje registrering sparas med vem som gjorde den och "
        "när; en felaktig registrering rättas eller tas bort med ett skäl, och båda syns i historiken.",
        "What has actually happened under the agreement. Each record keeps who made it and when; a wrong "
        "record is corrected or withdrawn with a reason, and both show in the history.",
    ),
    "record_event": ("Registrera en händelse", "Record an event"),
    "record": ("Registrera", "Record"),
    "history": ("Historik", "History"),
    "recorded_at": ("Registrerad", "Recorded"),
    "recorded_by": ("Av", "By"),
    "event": ("Händelse", "Event"),
    "status": ("Status", "Status"),
    "status_effective": ("gäller", "in effect"),
    "status_retracted": ("borttagen", "withdrawn"),
    "status_superseded": ("ersatt", "superseded"),
    "status_correction": ("rättelse", "correction"),
    "withdraw": ("Ta bort med skäl", "Withdraw with a reason"),
    "reason": ("Skäl", "Reason"),
    "dnr_label": ("Diarienummer", "Diary number (dnr)"),
    "note_label": ("Anteckning", "Note"),
    "nothing_recorded": ("Inget registrerat ännu.", "Nothing recorded yet."),
    "record_refused": ("Registreringen gjordes inte", "Not recorded"),
    "whatif_on_recorded": (
        "Utkastet läggs ovanpå de registrerade händelserna:",
        "The draft is added on top of the recorded events:",
    ),
    "draft_does_not_fit": (
        "Utkastet passar inte med de registrerade händelserna",
        "The draft does not fit the recorded events",
    ),
    "amends_what": ("vad", "what"),
    "amends_value": (
        "nytt värde (datum ÅÅÅÅ-MM-DD eller antal månader)",
        "new value (a date YYYY-MM-DD or months)",
    ),
}

EVENT_NAMES: dict[str, tuple[str, str]] = {
    "notice_given": ("Uppsägning", "Notice of termination (uppsägning)"),
    "extension_intent": ("Avsikt att förlänga meddelad", "Extension intent notified"),
    "extension_decided": ("Beslut om förlängning", "Extension decided"),
    "review_held": ("Utvärdering genomförd", "Review held"),
    "funding_decided": ("Beslut om medel", "Funding decided"),
    "condition_decided": ("Beslut om villkor", "Condition decided"),
    "payment_made": ("Utbetalning", "Payment made"),
    "misuse_found": ("Missbruk av medel konstaterat", "Misuse of funds found"),
    "deficiency_found": ("Brister konstaterade", "Deficiency found"),
    "action_plan_requested": ("Åtgärdsplan begärd", "Action plan requested"),
    "action_plan_failed": ("Åtgärdsplanen räckte inte", "Action plan failed"),
    "party_expelled": ("Part utesluten", "Party expelled"),
    "rescinded": ("Hävning", "Rescission (hävning)"),
    "circumstances_changed": ("Väsentligt ändrade förutsättningar", "Circumstances substantially changed"),
    "renegotiation_requested": ("Omförhandling påkallad", "Renegotiation called for (omförhandling)"),
    "dispute_raised": ("Tvist anmäld", "Dispute raised (tvist)"),
    "party_admitted": ("Ny part antagen", "New party admitted"),
    "change_proposed": ("Ändring föreslagen", "Change proposed"),
    "change_decided": ("Beslut om ändring", "Change decided"),
    "change_signed": ("Ändring undertecknad", "Change signed"),
    "change_registered": ("Ändring registrerad", "Change registered"),
    "change_implemented": ("Ändring genomförd", "Change implemented"),
}

# The date field's label per event: the day that counts differs (a notice counts when it reached
# the recipient, a payment when it was made, a decision when it was taken).
DATE_NAMES: dict[str, tuple[str, str]] = {
    "notice_given": ("Datum (då den nådde mottagaren)", "Date (when it reached the recipient)"),
    "extension_intent": ("Datum (då beskedet nådde mottagaren)", "Date (when it reached the recipient)"),
    "renegotiation_requested": (
        "Datum (då begäran nådde de andra parterna)",
        "Date (when it reached the others)",
    ),
    "dispute_raised": ("Datum (då tvisten anmäldes)", "Date (when it was raised)"),
    "payment_made": ("Utbetalningsdag", "Date of payment"),
    "misuse_found": ("Dag då det konstaterades", "Date it was found"),
    "deficiency_found": ("Dag då det konstaterades", "Date it was found"),
    "action_plan_failed": ("Dag då det konstaterades", "Date it was found"),
    "circumstances_changed": ("Dag då det konstaterades", "Date it was found"),
    "review_held": ("Dag för utvärderingen", "Date of the review"),
    "change_proposed": ("Dag för förslaget", "Date of the proposal"),
    "change_signed": ("Dag för underskriften", "Date of signing"),
    "change_registered": ("Dag för registreringen", "Date of registration"),
    "change_implemented": ("Dag då ändringen genomfördes", "Date it was implemented"),
}
"""Events not listed are dated by a decision: "Beslutsdag"."""

FIELD_NAMES: dict[str, tuple[str, str]] = {
    "date": ("Beslutsdag", "Date of the decision"),
    "by": ("Av", "By"),
    "to": ("Mottagare", "Recipient"),
    "scope": ("Omfattning", "Scope"),
    "written": ("Skriftlig", "In writing"),
    "ground": ("Grund", "Ground"),
    "extend": ("Förlänga", "Extend"),
    "outcome": ("Utfall", "Outcome"),
    "year": ("År", "Year"),
    "available": ("Medel finns", "Funds available"),
    "condition": ("Villkor", "Condition"),
    "met": ("Villkoret är uppfyllt", "The condition is met"),
    "amount": ("Belopp i kronor", "Amount in kronor"),
    "covers": ("Avser perioden", "Covers the period"),
    "change": ("Ändringens id", "The change's id"),
    "affects": ("Avser", "Affects"),
    "substantial": ("Väsentlig", "Substantial"),
    "amends": ("Ändrar i avtalet", "Amends"),
    "effective": ("Ska gälla från", "To apply from"),
    "decision": ("Beslut", "Decision"),
    "dnr": ("dnr", "dnr"),
    "name": ("Namn", "Name"),
    "party": ("Part", "Party"),
    "against": ("Mot", "Against"),
    "note": ("Anteckning", "Note"),
}

CHOICE_NAMES: dict[str, tuple[str, str]] = {
    "agreement": ("hela partnerskapet", "the whole agreement"),
    "own_commitment": ("partens eget åtagande", "the party's own commitment"),
    "ordinary": ("ordinär uppsägning", "ordinary notice"),
    "changed_circumstances": ("väsentligt ändrade förutsättningar", "substantially changed circumstances"),
    "agreed": ("överens", "agreed"),
    "not_agreed": ("inte överens", "not agreed"),
    "approved": ("godkänd", "approved"),
    "rejected": ("avslagen", "rejected"),
}


def text(key: str, lang: Lang) -> str:
    return bilingual(TEXTS, key, lang)
