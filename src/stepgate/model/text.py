"""Bilingual text: one shape (``Text``, Nynorsk and English) and one catalogue of labels.

Every label stepgate shows — lifecycle states, outcomes, bodies, roles, event
kinds, the words of a report — is a ``Text`` in ``CATALOGUE`` under a key
with a namespace (``state.planning``, ``outcome.endorsed``, ``report.record``).
``label(key, lang)`` gives it in ``nn`` (the default for reports) or ``en``;
an unknown key gives itself, so a process author's own names still show.
A process may bring its own labels (a gate outcome's ``Text``).
"""

from __future__ import annotations

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
}
"""Every label stepgate shows, by key (``namespace.name``), in Nynorsk and English."""


def label(key: str, lang: str = "nn") -> str:
    """The label for ``key`` in ``lang``; the key's own name when the catalogue lacks it."""
    found = CATALOGUE.get(key)
    if found is None:
        return key.partition(".")[2] or key
    return found.in_(lang)
