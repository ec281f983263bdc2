"""Bilingual text: one shape (``Text``, Nynorsk and English) and one catalogue of labels.

Every label stepgate shows — lifecycle states, outcomes, bodies, roles, event
kinds, the words of a report — is a ``Text`` in ``CATALOGUE`` under a key
with a namespace (``state.planning``, ``outcome.endorsed``, ``report.record``).
``label(key, lang)`` gives it in ``nn`` (the default for reports) or ``en``;
an unknown key gives itself, so a process author's own names still show.
A process may bring its own labels (a gate outcome's ``Text``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from stepgate.model import fields

LANGUAGES = ("nn", "en")


@attrs.frozen
class Text:
    """A text in Nynorsk and in English."""

    nn: str = attrs.field(validator=fields.is_text(required=True))
    en: str = attrs.field(validator=fields.is_text(required=True))

    def in_(self, lang: str) -> str:
        """The text in ``lang`` ("nn" or "en"; anything else gives Nynorsk)."""
        return self.en if lang == "en" else self.nn


def _t(nn: str, en: str) -> Text:
    return Text(nn, en)


CATALOGUE: dict[str, Text] = {
    # lifecycle states
    "state.draft": _t("utkast", "draft"),
    "state.mandate": _t("mandat", "mandate"),
    "state.insight": _t("innsikt", "insight"),
    "state.anchoring": _t("forankring", "anchoring"),
    "state.held": _t("på vent", "on hold"),
    "state.planning": _t("planlegging", "planning"),
    "state.decision": _t("avgjerd", "decision"),
    "state.concluded": _t("avslutta", "concluded"),
    "state.stopped": _t("stoppa", "stopped"),
    # moves between states (the diagram's arrows)
    "move.invite": _t("inviter", "invite"),
    "move.start": _t("start", "start"),
    "move.close_step": _t("lukk steget", "close the step"),
    "move.pass_gate": _t("porten passert", "gate passed"),
    "move.send_back": _t("sendt attende", "sent back"),
    "move.hold": _t("sett på vent", "put on hold"),
    "move.open_step": _t("opne neste steg", "open the next step"),
    "move.submit": _t("send avgjerdsgrunnlaget", "submit the decision basis"),
    "move.steering_send_back": _t("styringsgruppa sender attende", "steering group sends back"),
    "move.ending_send_back": _t("sendt attende", "sent back"),
    "move.conclude": _t("avslutt", "conclude"),
    "move.stop": _t("stopp", "stop"),
    # outcomes of positions and decisions
    "outcome.endorsed": _t("slutta seg til", "endorsed"),
    "outcome.noted": _t("teke til orientering", "noted"),
    "outcome.sent_back": _t("sendt attende", "sent back"),
    "outcome.opted_out": _t("meldt ut", "opted out"),
    "outcome.approve": _t("godkjent", "approved"),
    "outcome.send_back": _t("sendt attende", "sent back"),
    "outcome.reject": _t("avvist", "rejected"),
    "outcome.stop": _t("stoppa", "stopped"),
    "outcome.continue": _t("vidare", "continue"),
    "outcome.redo": _t("ta steget om att", "redo the step"),
    "outcome.hold": _t("sett på vent", "put on hold"),
    # bodies
    "body.kommunestyre": _t("kommunestyret", "municipal council"),
    "body.formannskap": _t("formannskapet", "executive committee"),
    "body.utval": _t("utvalet", "committee"),
    "body.ordforar": _t("ordføraren", "mayor"),
    "body.kommunedirektor": _t("kommunedirektøren", "chief municipal executive"),
    "body.leiargruppe": _t("leiargruppa", "leader group"),
    "body.direktor": _t("direktøren", "director"),
    "body.styre": _t("styret", "board"),
    "body.partssamansett_utval": _t("partssamansett utval", "joint employer/union committee"),
    "body.ipr": _t("interkommunalt politisk råd", "inter-municipal political council"),
    "body.ko": _t("kommunalt oppgåvefellesskap", "municipal joint undertaking"),
    "body.styringsgruppe": _t("styringsgruppa", "steering group"),
    "body.sognatinget": _t("Sognatinget", "Sognatinget"),
    # roles
    "role.employer": _t("arbeidsgivarrepresentant", "employer representative"),
    "role.union": _t("tillitsvald", "union representative"),
    "role.safety": _t("verneombod", "safety representative"),
    "role.politician": _t("folkevald", "elected politician"),
    "role.professional": _t("fagperson", "professional"),
    "role.user": _t("brukar", "user"),
    "role.facilitator": _t("hjelpar", "facilitator"),
    "role.challenger": _t("utfordrar", "challenger"),
    # event kinds (the timeline)
    "kind.created": _t("oppretta", "created"),
    "kind.milestone_set": _t("milepæl", "milestone"),
    "kind.milestone_reached": _t("milepæl nådd", "milestone reached"),
    "kind.mandate_revised": _t("nytt mandat", "mandate revised"),
    "kind.invited": _t("invitert", "invited"),
    "kind.mandate_anchored": _t("mandat forankra", "mandate anchored"),
    "kind.opted_out": _t("meldt ut", "opted out"),
    "kind.representative_registered": _t("representant", "representative"),
    "kind.fact_recorded": _t("faktum", "fact"),
    "kind.topic_registered": _t("tema", "topic"),
    "kind.topic_rated": _t("vurdering", "rating"),
    "kind.consensus_recorded": _t("semje", "consensus"),
    "kind.started": _t("start", "started"),
    "kind.session_held": _t("økt", "session"),
    "kind.insight_recorded": _t("innsikt", "insight"),
    "kind.consultation_recorded": _t("drøfting", "consultation"),
    "kind.step_closed": _t("steg lukka", "step closed"),
    "kind.step_anchored": _t("forankring", "anchoring"),
    "kind.gate_passed": _t("port passert", "gate passed"),
    "kind.step_sent_back": _t("sendt attende", "sent back"),
    "kind.step_held": _t("på vent", "on hold"),
    "kind.step_opened": _t("nytt steg", "step"),
    "kind.decision_basis_submitted": _t("avgjerdsgrunnlag", "decision basis"),
    "kind.steering_group_decided": _t("styringsgruppa", "steering group"),
    "kind.council_decided": _t("vedtak", "decision"),
    "kind.ending_sent_back": _t("sendt attende", "sent back"),
    "kind.concluded": _t("avslutta", "concluded"),
    "kind.stopped": _t("stoppa", "stopped"),
    "kind.definition_migrated": _t("ny definisjon", "migrated"),
    # words of the reports and the command line
    "report.status": _t("Status", "Status"),
    "report.participants": _t("Deltakarkommunar", "Participants"),
    "report.milestones": _t("Milepælar", "Milestones"),
    "report.steps": _t("Steg og politisk forankring", "Steps and political anchoring"),
    "report.topics": _t("Vanskelege tema", "Hard topics"),
    "report.decision": _t("Avgjerd", "Decision"),
    "report.signals": _t("Signal", "Signals"),
    "report.record": _t("Journal", "Record"),
    "report.municipality": _t("Kommune", "Municipality"),
    "report.body": _t("Organ", "Body"),
    "report.outcome": _t("Utfall", "Outcome"),
    "report.date": _t("Dato", "Date"),
    "report.case_ref": _t("Saksnr.", "Case ref."),
    "report.access": _t("Innsyn", "Access"),
    "report.due": _t("Frist", "Due"),
    "report.reached": _t("Nådd", "Reached"),
    "report.overdue": _t("forseinka", "overdue"),
    "report.reached_late": _t("nådd for seint", "reached late"),
    "report.topic": _t("Tema", "Topic"),
    "report.difficulty": _t("Vanske", "Difficulty"),
    "report.registered": _t("Registrert", "Registered"),
    "report.raised": _t("Løfta", "Raised"),
    "report.never": _t("ikkje løfta enno", "not raised yet"),
    "report.before": _t("før steg 1", "before step 1"),
    "report.step": _t("Steg", "Step"),
    "report.phase": _t("fase", "phase"),
    "report.question": _t("Spørsmål", "Question"),
    "report.earliness": _t(
        "Tidlegskår (1 = alle tema løfta i steg 1)",
        "Earliness score (1 = every topic raised in step 1)",
    ),
    "report.public": _t("offentleg", "public"),
    "report.exempt": _t("unnateke", "exempt"),
    "report.head": _t("Siste hash (til protokollen)", "Head hash (for the minutes)"),
    "report.checkpoint_minutes": _t(
        "Kontrollpunkt for heile journalen (til protokollen)",
        "Checkpoint of the whole record (for the minutes)",
    ),
    "report.version": _t("Versjon", "Version"),
    "report.state": _t("Tilstand", "State"),
    "report.mandate": _t("Mandat", "Mandate"),
    "report.round": _t("runde", "round"),
    "report.steering": _t("Styringsgruppa", "Steering group"),
    "report.councils": _t("Kommunestyra", "Councils"),
    "report.established": _t("Etablert mellom", "Established among"),
    "report.model": _t("Samarbeidsmodell", "Cooperation model"),
    "report.none": _t("ingen", "none"),
    "report.diagram": _t("Prosessen", "The process"),
    "report.timeline": _t("Tidslinje", "Timeline"),
    "report.participant": _t("deltek", "participant"),
    "report.invited": _t("invitert, ikkje svara", "invited, no answer"),
    "report.not_invited": _t("ikkje invitert", "not invited"),
    "report.report": _t("Rapport", "Report"),
    "report.service_area": _t("Tenesteområde", "Service area"),
    "report.region": _t("Region", "Region"),
    "report.process": _t("Prosess", "Process"),
    "report.recorded_by": _t("Registrert av", "Recorded by"),
    "report.secretariat": _t("sekretariatet", "the secretariat"),
    "report.since": _t("Sidan", "Since"),
    "report.refused": _t("AVVIST", "REFUSED"),
    "report.chain_holds": _t("Kjeda held", "Chain holds"),
    "report.summary": _t("Samandrag", "Summary"),
    "report.report_date": _t("Rapportdato", "Report date"),
    "report.next_deadline": _t("Neste frist", "Next deadline"),
    "report.no_deadline": _t("ingen fleire fristar", "no deadlines left"),
    "report.overdue_now": _t("Forseinka", "Overdue"),
    "report.participants_now": _t("Deltek no", "Taking part now"),
    "report.mandate_versions": _t("Mandat og versjonar", "Mandate and its versions"),
    "report.mandate_version": _t("Mandat versjon", "Mandate version"),
    "report.set_on": _t("sett", "set"),
    "report.anchorings": _t("Forankring heime", "Anchoring at home"),
    "report.sessions": _t("Økter", "Sessions"),
    "report.session": _t("Økt", "Session"),
    "report.employers": _t("Arbeidsgivarside", "Employer side"),
    "report.unions": _t("Tillitsvalde", "Union side"),
    "report.others": _t("Andre", "Others"),
    "report.attendees": _t("Til stades", "Attendees"),
    "report.insights": _t("Innsikt", "Insights"),
    "report.insight": _t("Innsikt", "Insight"),
    "report.builds_on": _t("Byggjer på", "Builds on"),
    "report.gate": _t("Porten: forankring heime", "The gate: anchoring at home"),
    "report.number": _t("Kommunenr.", "Number"),
    "report.reason": _t("Grunngjeving", "Reason"),
    "report.raised_on": _t("Løfta dato", "Raised on"),
    "report.decision_basis": _t("Avgjerdsgrunnlag", "Decision basis"),
    "report.submitted": _t("Levert", "Submitted"),
    "report.earlier_bases": _t(
        "Tidlegare avgjerdsgrunnlag (sendt attende)", "Earlier decision bases (sent back)"
    ),
    "report.not_submitted": _t("ikkje levert enno", "not submitted yet"),
    "report.stopped_because": _t("Stoppa", "Stopped"),
    "report.stopped_at_gate": _t(
        "«{outcome}» ved porten etter steg {step} ({body}, {party})",
        "“{outcome}” at the gate after step {step} ({body}, {party})",
    ),
    "report.stopped_at_the_gate": _t("ved porten", "at the gate"),
    "report.stopped_by_steering": _t(
        "styringsgruppa stoppa utgreiinga", "the steering group stopped the investigation"
    ),
    "report.ended_on": _t("Avslutta", "Ended"),
    "report.as_of": _t("Per", "As of"),
    "report.as_of_note": _t(
        "Rapporten viser journalen slik han stod per {when}: versjon {version} av {latest}.",
        "The report shows the record as it stood as of {when}: version {version} of {latest}.",
    ),
    "report.as_of_late": _t(
        "Nokre hendingar datert på eller før dagen vart førte seinare; dei er tekne med.",
        "Some events dated on or before the day were entered later; they are included.",
    ),
    "report.verified": _t("kontrollert frå første hending", "verified from the first event"),
    "report.not_verified": _t("ikkje kontrollert", "not verified"),
    "report.states": _t("Tilstandane i prosessen", "The states of the process"),
    "report.here": _t("her står saka", "the case is here"),
    "report.description": _t("Om prosessen", "About the process"),
    "report.phase_label": _t("Fase", "Phase"),
    "report.name": _t("Namn", "Name"),
    "report.title": _t("Tittel", "Title"),
    "report.definition": _t("Definisjon", "Definition"),
    "report.demo_sentence": _t(
        "Samarbeidet er etablert mellom {names}; journalen er kontrollert ({events} hendingar), "
        "og siste hash er {head}.",
        "The cooperation is established among {names}; the record verifies ({events} events), "
        "and its head hash is {head}.",
    ),
    "report.try_next": _t(
        "Prøv så: «stepgate report {db} {key} --format html -o rapport.html» "
        "eller «stepgate verify {db}».",
        "Try next: 'stepgate report {db} {key} --format html -o report.html' "
        "or 'stepgate verify {db}'.",
    ),
    "report.allowed": _t("tillate", "allowed"),
    "report.case_file": _t("Saksdokument", "Case file"),
    "report.case_number": _t("Saksnummer i arkivet", "Archive case number"),
    "report.belongs_to": _t("Høyrer til", "Belongs to"),
    "report.document_kind": _t("Dokument", "Document"),
    "report.file": _t("Fil", "File"),
    "report.bytes": _t("byte", "bytes"),
    "report.checksum": _t("SHA-256", "SHA-256"),
    "report.replaces": _t("erstattar", "replaces"),
    "report.place_investigation": _t("Saka", "The case"),
    "report.place_step": _t("Steget", "The step"),
    "report.place_decision_basis": _t("Avgjerdsgrunnlaget", "The decision basis"),
    "report.place_steering_decision": _t("Styringsgruppa", "The steering group"),
    # document kinds
    "document.saksframlegg": _t("Saksframlegg", "Case presentation"),
    "document.vedtak": _t("Vedtak", "Decision"),
    "document.protokoll": _t("Protokoll", "Minutes"),
    "document.notat": _t("Notat", "Memo"),
    "document.mandat": _t("Mandat", "Mandate"),
    "document.avgjerdsgrunnlag": _t("Avgjerdsgrunnlag", "Decision basis"),
    "document.other": _t("Anna", "Other"),
    "report.ok": _t("i orden", "ok"),
    "report.broken": _t("BROTEN", "BROKEN"),
    "report.unchecked": _t("IKKJE HEIL", "NOT WHOLE"),
    "report.process_unknown": _t(
        "prosessen {process!r} er ukjend her: ingen kan spele henne av",
        "its process {process!r} is unknown here: nothing can replay it",
    ),
    "report.row_edited": _t(
        "rada seier noko anna enn den første hendinga: ho er endra; køyr verify",
        "the row says other than its first event: it was edited; run verify",
    ),
    "report.unreplayed": _t(
        "prosessen {process!r} er ukjend her, så tilstanden er ikkje bygd opp att og samanlikna; "
        "kjeda, rada, biletet og ledger er kontrollerte",
        "its process {process!r} is unknown here, so its state was not rebuilt and compared; "
        "its chain, row, snapshot and ledger were checked",
    ),
    "report.not_whole": _t(
        "Kontrollen er ikkje heil: {count} utgreiing(ar) kunne ikkje spelast av. Gje prosessen "
        "med --process, eller be om mindre med --chain-only.",
        "The verification is not whole: {count} investigation(s) could not be replayed. Give "
        "the process with --process, or ask for less with --chain-only.",
    ),
    "report.chain_only": _t(
        "Berre kjeda er kontrollert (--chain-only): ingen tilstand er spelt av.",
        "Only the chain was checked (--chain-only): no state was replayed.",
    ),
    "report.no_checkpoint": _t(
        "Ikkje noko kontrollpunkt: desse utgreiingane kunne ikkje spelast av: {investigations}. "
        "Gje prosessen med --process, eller be om mindre med --chain-only.",
        "No checkpoint: these investigations could not be replayed: {investigations}. Give "
        "the process with --process, or ask for less with --chain-only.",
    ),
    "report.events_in": _t(
        "{events} hendingar i {count} {noun}", "{events} events in {count} {noun}"
    ),
    "report.investigation": _t("utgreiing", "investigation"),
    "report.investigations": _t("utgreiingar", "investigations"),
    "report.checkpoint": _t("kontrollpunkt", "checkpoint"),
    "report.page": _t("Side", "Page"),
    "report.of_pages": _t("av", "of"),
    "report.progress_record": _t("Kontrollerer journalen", "Verifying the record"),
    "report.progress_copy": _t("Kontrollerer kopien", "Verifying the copy"),
    "report.progress_cases": _t("Skriv uttrekket", "Writing the extraction"),
    "report.extends": _t(
        "journalen byggjer vidare på {checkpoint}", "the record extends {checkpoint}"
    ),
    "report.only_new": _t(
        "Berre det nye er kontrollert (--since {checkpoint}): {count} {noun} har endra seg "
        "sidan; heile journalen kontrollerer «stepgate verify» utan --since.",
        "Only what is new was checked (--since {checkpoint}): {count} {noun} moved since; "
        "'stepgate verify' without --since checks the whole record.",
    ),
    "report.backup_done": _t(
        "{copy}: {events} hendingar, kontrollert; kontrollpunkt {checkpoint}",
        "{copy}: {events} events, verified; checkpoint {checkpoint}",
    ),
    "report.processes": _t("Registrerte prosessar", "Registered processes"),
    "report.copied": _t(
        "{target}: {events} hendingar kopierte og kontrollerte; same hovud og kontrollpunkt "
        "{checkpoint}",
        "{target}: {events} events copied and verified; the same heads and checkpoint {checkpoint}",
    ),
    "report.extracted": _t(
        "{folder}: Noark 5-uttrekk ({start} – {end}): saksmapper {cases}, "
        "journalpostar {registrations}, dokument {documents}, endringar {changes}",
        "{folder}: a Noark 5 extraction ({start} – {end}): case folders {cases}, "
        "registrations {registrations}, documents {documents}, changes {changes}",
    ),
    "report.head_of": _t("hovud {key}", "head {key}"),
    "report.archivist_next": _t(
        "Kontroller pakken med Arkade 5; prov seinare at journalen framleis held det same med "
        "«stepgate verify DB --against {checkpoint}».",
        "Check the package with Arkade 5; prove later that the record still holds the same with "
        "'stepgate verify DB --against {checkpoint}'.",
    ),
}
"""Every label stepgate shows, by key (``namespace.name``), in Nynorsk and English."""


ONE_PARTY: dict[str, Text] = {
    "report.participants": _t("Eininga", "The organisation"),
    "report.participants_now": _t("Utgreier", "Investigating"),
    "report.steps": _t("Steg og portar", "Steps and gates"),
    "report.anchorings": _t("Ved porten", "At the gate"),
    "report.gate": _t("Porten", "The gate"),
    "report.councils": _t("Vedtak", "Decision"),
    "report.established": _t("Vedteke av", "Adopted by"),
    "report.model": _t("Modell", "Model"),
    "state.anchoring": _t("ved porten", "at the gate"),
    "kind.step_anchored": _t("porten", "gate"),
    "report.municipality": _t("Eining", "Unit"),
    "report.number": _t("Nr.", "No."),
    "report.participant": _t("utgreier", "investigating"),
}
"""The words of a process with one party (``SingleOrganisation``) where the catalogue's speak
of a cooperation of municipalities; a process's own ``words`` come before both."""


def said(
    key: str, lang: str = "nn", words: Iterable[tuple[str, Text]] = (), *, one_party: bool = False
) -> str:
    """The word for ``key`` in ``lang``: a process's own ``words`` first, then a one-party
    process's (``ONE_PARTY``), then the catalogue's."""
    for own, text in words:
        if own == key:
            return text.in_(lang)
    if one_party and key in ONE_PARTY:
        return ONE_PARTY[key].in_(lang)
    return label(key, lang)


def label(key: str, lang: str = "nn") -> str:
    """The label for ``key`` in ``lang``; the key's own name when the catalogue lacks it."""
    found = CATALOGUE.get(key)
    if found is None:
        return key.partition(".")[2] or key
    return found.in_(lang)


def day(value: dt.date, lang: str = "nn") -> str:
    """A date as the language writes it: ``12.03.2024`` in Nynorsk, ``2024-03-12`` in English."""
    return value.isoformat() if lang == "en" else f"{value.day:02}.{value.month:02}.{value.year}"


def count(value: int, lang: str = "nn") -> str:
    """A whole number as the language writes it: ``100 000`` in Nynorsk (a no-break space
    between groups, from five digits), ``100,000`` in English."""
    if lang == "en":
        return f"{value:,}"
    text = str(abs(value))
    if len(text) > 4:
        text = f"{int(text):,}".replace(",", "\u00a0")
    return f"\u2212{text}" if value < 0 else text


def number(value: float, lang: str = "nn", digits: int = 2) -> str:
    """A decimal number as the language writes it: ``0,89`` in Nynorsk, ``0.89`` in English."""
    text = f"{value:.{digits}f}"
    return text if lang == "en" else text.replace(".", ",").replace("-", "\u2212")
