"""Benchmark of `collect` on the EU portal source: a cold run, an unchanged re-run, and the floor.

    .venv/bin/python bench/collect.py                      # 20,000 topics
    .venv/bin/python bench/collect.py --topics 2000 --profile

1. A child process generates N topics as SEDIA search results in the real format (seeded: every run
   serves the same bytes) and serves them with monitor.demo.sedia_server.SediaServer on 127.0.0.1.
   Each page is encoded once and then served from memory, so the server's JSON encoding is neither
   timed nor competing for the measured process's GIL.
2. The page bytes are fetched once, untimed, through the production source and kept on disk.
3. floor: `json.loads` of those very bytes plus one `executemany` of one row per result into a fresh
   SQLite file: what any collector has to pay. Best of three, as it is cheap and noisy.
4. cold: load_sources → Store.open → make_client → runner.collect into a fresh SQLite file, the code
   path of `eumonitor collect`.
5. re-run: the same again on the same file. Nothing changed, so it must write no events.

Targets: cold ≤ 4 × floor; re-run ≤ 0.5 × cold and no events; peak RSS of this process ≤ 300 MB.
The exit code is 0 whatever the figures, unless --strict. --profile adds a profiled cold run and
re-run (after the measured ones, so the figures stay clean) and writes them to bench/out/.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import multiprocessing
import pstats
import random
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from monitor.config import load_sources
from monitor.demo.sedia_server import Reply, SediaServer
from monitor.http import make_client
from monitor.runner import SourceResult, collect
from monitor.sources import make_source
from monitor.store import Store

OUT = Path(__file__).resolve().parent / "out"
SOURCE_ID = "eu-portal"
PAGE_SIZE = 100
MAX_COLD_OVER_FLOOR = 4.0
MAX_RERUN_OVER_COLD = 0.5
MAX_PEAK_RSS_MB = 300.0
FLOOR_RUNS = 3

# --- the generated portal -------------------------------------------------------------------------

BASE = date(2026, 12, 1)  # a fixed calendar, so the data does not depend on the day of the run
PORTAL = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities"
DATA = "https://ec.europa.eu/info/funding-tenders/opportunities/data"
OPEN, FORTHCOMING = "31094502", "31094501"
STATUS_NAMES = {OPEN: "Open", FORTHCOMING: "Forthcoming"}


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split("|")]


@dataclass(frozen=True)
class Programme:
    framework: str  # frameworkProgramme id
    prefix: str  # of the identifiers
    weight: int  # share of the topics
    strands: list[str]
    actions: list[str]  # typesOfAction
    mga: str  # typeOfMGAs


def _programme(framework: str, prefix: str, weight: int, strands: str, actions: str, mga: str) -> Programme:
    return Programme(framework, prefix, weight, strands.split(), _items(actions), mga)


PROGRAMMES = [
    _programme(
        "43108390",
        "HORIZON",
        40,
        "CL1 CL2 CL3 CL4 CL5 CL6 MISS INFRA WIDERA JU-CBE EIE MSCA",
        "HORIZON  Research and Innovation Actions | HORIZON  Innovation Actions | "
        "HORIZON  Coordination and Support Actions",
        "43027846",
    ),
    _programme("43152860", "DIGITAL", 8, "AI CLOUD SKILLS EDIH CYBER", "DIGITAL  Simple Grants", "44773066"),
    _programme("43252405", "LIFE", 6, "SAP-NAT SAP-ENV CET SIP", "LIFE Standard Action Projects", "43254008"),
    _programme("43332642", "EU4H", 4, "PJ DGA OG", "EU4H Project Grants", "43332627"),
    _programme("43353764", "ERASMUS", 8, "EDU-PI YOUTH-TOG SPORT JMO", "ERASMUS Lump Sum Grants", "43354010"),
    _programme("43251567", "CEF", 4, "T E DIG", "CEF Infrastructure Projects", "43251602"),
    _programme("43251814", "CREA", 5, "CULT-COOP MEDIA CROSS", "CREA Lump Sum Grants", "43251833"),
    _programme(
        "43251589", "CERV", 5, "CITIZENS-TOWN CITIZENS-CIV EQUAL CHILD", "CERV Lump Sum Grants", "43251604"
    ),
    _programme("43252476", "SMP", 4, "COSME CONS ESTAT", "SMP Grants", "43252493"),
    _programme(
        "44181033", "EDF", 4, "RA DA LS", "EDF Research Actions | EDF Development Actions", "44181055"
    ),
    _programme("43254019", "ESF", 3, "SOCPL SI", "ESF Social Innovation+", "43254033"),
    _programme("43392145", "EMFAF", 3, "PIA BLUE", "EMFAF Project Grants", "43392162"),
    _programme("43089234", "INNOVFUND", 2, "NZT BATT", "INNOVFUND Lump Sum Grants", "43089250"),
    _programme("43298664", "AGRIP", 4, "SIMPLE MULTI", "AGRIP Simple Programmes", "43298681"),
]
ACTION_CODES = ["RIA", "IA", "CSA", "LS"]
EXTERNAL_PROGRAMME = "45876777"  # NDICI – Global Europe, as in the portal's code table

SUBJECTS = _items(
    "Projects | Proposals | Activities | Actions | Consortia | Applicants | The selected projects | "
    "Successful proposals | Beneficiaries"
)
VERBS = _items(
    "are expected to contribute to | should address | will support | should demonstrate | "
    "are invited to develop | must take into account | should build on | are encouraged to strengthen | "
    "should explore synergies with | will accelerate"
)
OBJECTS = _items(
    "the uptake of | the development of | the large-scale deployment of | cross-border cooperation on | "
    "the evidence base for | open and interoperable solutions for | the social acceptance of | "
    "local and regional capacity for | the twin green and digital transition of | citizen engagement in"
)
THEMES = _items(
    "climate-neutral and smart cities | soil health and food | digital skills for public administrations | "
    "the circular economy | renewable hydrogen | town twinning and networks of towns | "
    "democratic participation | inclusive and high-quality education | biodiversity and ecosystem services | "
    "sustainable blue economy | cultural heritage | resilient health systems | "
    "trustworthy artificial intelligence | rural development | energy efficiency of buildings"
)
TAILS = _items(
    "in line with the European Green Deal | across the Member States and Associated Countries | "
    "with the involvement of local and regional authorities | taking into account the gender dimension | "
    "building on the results of previous Framework Programmes | "
    "with a clear plan for the exploitation of results | "
    "in close cooperation with civil society organisations | "
    "ensuring complementarity with national and regional programmes | "
    "with particular attention to outermost and rural regions"
)
LINKS = [
    ("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A52020DC0380", "EU Biodiversity Strategy"),
    ("https://commission.europa.eu/strategy-and-policy/priorities-2019-2024/european-green-deal_en", "EGD"),
    ("https://research-and-innovation.ec.europa.eu/funding/funding-opportunities_en", "R&amp;I funding"),
    ("https://digital-strategy.ec.europa.eu/en/policies/european-approach-artificial-intelligence", "AI"),
    (
        "https://ec.europa.eu/info/funding-tenders/opportunities/docs/2021-2027/common/guidance/aga_en.pdf",
        "AGA",
    ),
    ("https://new-european-bauhaus.europa.eu/index_en", "New European Bauhaus"),
]
# Entities as the portal writes them, and some characters it sends as they are.
ENTITIES = _items(
    "EUR&nbsp;{n}&nbsp;million | &euro;{n}&nbsp;000 | research &amp; innovation | 2027&ndash;2030 | "
    "the Commission&rsquo;s priorities | &ldquo;Fit for 55&rdquo; | Member States&rsquo; authorities | "
    "co-operation &amp; co-creation | Europe’s “open strategic autonomy” | TRL&nbsp;{n}"
)
DISCIPLINES = _items(
    "Agriculture | Soil biology | Computer sciences, information science and bioinformatics | "
    "Social sciences and humanities | Cultural studies, cultural diversity | "
    "Education, general (including training, pedagogy, didactics) | Renewable energy | Public health | "
    "Political science | Urban planning | Marine biology | Data protection and privacy"
)
TAGS = _items(
    "Bottom Up | Co-creation | Living labs | Interdisciplinary | Local authorities | Municipalities | "
    "Citizens | Youth | Digital transformation | Climate adaptation | Town twinning | Social inclusion"
)
PRIORITIES = _items(
    "SSH | AI | DigitalAgenda | MultiActorApproach | Gender | NEB | EOSC | IntlCoop | Climate"
)
CONDITIONS = [
    ("Admissibility conditions", "Annex A and Annex E"),
    ("Eligibility conditions", "Annex B"),
    ("Financial and operational capacity and exclusion", "Annex C"),
    ("Award criteria", "Annex D"),
    ("Documents", "Annex E"),
    ("Procedure", "Annex F"),
    ("Legal and financial set-up of the Grant Agreements", "Annex G"),
]
CONDITIONS_HEAD = (
    '<div class="topicdescriptionkind"><p><strong>General conditions relating to this call</strong></p><ol>'
)


def _stamp(day: date, clock: str = "00:00:00.000+0000") -> str:
    return f"{day.isoformat()}T{clock}"


class Writer:
    """Seeded prose with the portal's markup: paragraphs, lists, links, footnotes and entities."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sentences = [self._sentence() for _ in range(3000)]

    def _sentence(self) -> str:
        rng = self.rng
        theme = rng.choice(THEMES)
        roll = rng.random()
        if roll < 0.12:
            href, label = rng.choice(LINKS)
            theme = f'<a href="{href}">{theme} ({label})</a>'
        elif roll < 0.24:
            theme = f"{theme}, including {rng.choice(ENTITIES).format(n=rng.randint(2, 90))}"
        elif roll < 0.3:
            theme = f"<strong>{theme}</strong>"
        return (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {theme} {rng.choice(TAILS)}."
        )

    def prose(self, sentences: int) -> str:
        return " ".join(self.rng.choices(self.sentences, k=sentences))

    def description(self, identifier: str, title: str, size: int) -> str:
        rng = self.rng
        parts = [
            '<p class="topicdescriptionkind">Expected Outcome:</p>',
            "<p>Project results are expected to contribute to all of the following outcomes:</p><ul>",
            *(f"<li>{self.prose(1)}</li>" for _ in range(rng.randint(2, 5))),
            '</ul><p class="topicdescriptionkind">Scope:</p>',
            f"<p>This topic ({identifier}) concerns {title.lower()}. {self.prose(2)}</p>",
        ]
        length = sum(map(len, parts))
        footnotes: list[str] = []
        while length < size:
            if rng.random() < 0.15:
                part = (
                    "<ul>" + "".join(f"<li>{self.prose(1)}</li>" for _ in range(rng.randint(2, 4))) + "</ul>"
                )
            else:
                part = f"<p>{self.prose(rng.randint(2, 5))}</p>"
                if rng.random() < 0.3:
                    footnotes.append(rng.choice(LINKS)[0])
                    part = part[:-4] + f"<sup>[{len(footnotes)}]</sup></p>"
            parts.append(part)
            length += len(part)
        parts.extend(f'<p>[{n}] <a href="{url}">{url}</a></p>' for n, url in enumerate(footnotes, start=1))
        return "".join(parts)

    def conditions(self, programme: str, size: int) -> str:
        rng = self.rng
        parts = [CONDITIONS_HEAD]
        length = len(CONDITIONS_HEAD)
        for name, annex in CONDITIONS:
            part = (
                f"<li><strong>{name}</strong>: described in {annex} of the {programme} Work Programme "
                f"General Annexes<br><br>{self.prose(rng.randint(1, 3))}</li>"
            )
            parts.append(part)
            length += len(part)
        while length < size:
            part = f"<p>{self.prose(rng.randint(1, 3))}</p>"
            parts.append(part)
            length += len(part)
        parts.append("</ol></div>")
        return "".join(parts)


@dataclass
class Topic:
    identifier: str
    title: str
    action: str


def _budget_overview(
    rng: random.Random, topics: list[Topic], opening: date, deadlines: list[date], model: str
) -> str:
    """The call's budget table as the portal sends it: JSON inside a string, one line per action."""
    year = str(deadlines[0].year)
    shared = rng.random() < 0.05  # the portal sometimes repeats the whole call's pot on every line
    pot = str(rng.randint(2, 60) * 1_000_000)
    table: dict[str, list[dict]] = {}
    for topic in topics[:6]:
        grant = rng.randint(5, 120) * 100_000
        grants = rng.randint(1, 8)
        table[str(rng.randint(100_000, 999_999))] = [
            {
                "action": f"{topic.identifier} - {topic.action}",
                "expectedGrants": grants,
                "minContribution": grant,
                "maxContribution": grant,
                "budgetYearMap": {year: pot if shared else str(grant * grants)},
                "plannedOpeningDate": opening.isoformat(),
                "deadlineModel": model,
                "deadlineDates": [d.isoformat() for d in deadlines],
            }
        ]
    return json.dumps({"budgetYearsColumns": [year], "budgetTopicActionMap": table}, separators=(",", ":"))


class Portal:
    """N topics of the SEDIA index, with the traps of the real one."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.writer = Writer(self.rng)
        self.ccm = 50_100_000
        self.call_numbers: dict[str, int] = {}

    def _ccm(self) -> str:
        self.ccm += self.rng.randint(1, 40)
        return str(self.ccm)

    def _dates(self) -> tuple[date, list[date], str, str]:
        """(opening, deadlines, deadline model, the portal's status code)."""
        rng = self.rng
        if rng.random() < 0.05:  # stale: "open" with deadlines long gone
            opening = date(2024, 1, 10) + timedelta(days=rng.randint(0, 300))
            return opening, [opening + timedelta(days=rng.randint(60, 150))], "single-stage", OPEN
        opening = BASE + timedelta(days=rng.randint(-150, 240))
        first = max(opening, BASE) + timedelta(days=rng.randint(30, 200))
        roll = rng.random()
        if roll < 0.12:
            deadlines, model = [first, first + timedelta(days=rng.randint(120, 160))], "two-stage"
        elif roll < 0.17:
            deadlines, model = [first + timedelta(days=90 * i) for i in range(3)], "multiple cut-off"
        else:
            deadlines, model = [first], "single-stage"
        return opening, deadlines, model, FORTHCOMING if opening > BASE else OPEN

    def _common(self, identifier: str, call_identifier: str) -> dict[str, list[str]]:
        rng = self.rng
        keywords = [identifier, call_identifier, *rng.sample(DISCIPLINES, rng.randint(0, 8))]
        return {
            "keywords": keywords,
            "tags": rng.sample(TAGS, rng.randint(0, 10)),
            "cenTagsA": [f"TOPICS-{rng.randint(1, 12000):06d}" for _ in range(rng.randint(5, 35))],
            "crossCuttingPriorities": rng.sample(PRIORITIES, rng.randint(0, 4)),
        }

    def _result(self, reference: str, url: str, title: str, metadata: dict[str, Any]) -> dict[str, Any]:
        forthcoming = metadata["status"] == [FORTHCOMING]
        return {
            "apiVersion": "2.151",
            "reference": reference,
            "url": url,
            "contentType": "text/plain",
            "language": "en",
            "databaseLabel": "SEDIA",
            "database": "SEDIA",
            "summary": title,
            "weight": 4.0,
            "groupById": "2" if forthcoming else "1",
            "accessRestriction": False,
            "checksum": hashlib.sha256(reference.encode() + url.encode()).hexdigest().upper(),
            "metadata": metadata,
            "citation": f"{title}. Available at: {url}",
        }

    def grant_call(self, limit: int) -> list[dict[str, Any]]:
        """One call for proposals (type 1) with up to `limit` topics."""
        rng = self.rng
        programme = rng.choices(PROGRAMMES, weights=[p.weight for p in PROGRAMMES])[0]
        opening, deadlines, model, status = self._dates()
        stem = f"{programme.prefix}-{deadlines[0].year}-{rng.choice(programme.strands)}"
        number = self.call_numbers[stem] = self.call_numbers.get(stem, 0) + 1
        suffix = "-two-stage" if model == "two-stage" else ""
        call_identifier = f"{stem}-{number:02d}{suffix}"
        call_title = f"{rng.choice(OBJECTS).capitalize()} {rng.choice(THEMES)}"
        topics = [
            Topic(
                identifier=f"{stem}-{number:02d}-{t:02d}{suffix}",
                title=f"{rng.choice(OBJECTS).capitalize()} {rng.choice(THEMES)} {rng.choice(TAILS)}",
                action=f"{programme.prefix}-{rng.choice(ACTION_CODES)} {rng.choice(programme.actions)}",
            )
            for t in range(1, min(limit, rng.randint(1, 12)) + 1)
        ]
        call_ccm = self._ccm()
        annexes = "Horizon Europe" if programme.prefix == "HORIZON" else programme.prefix
        action = {
            "status": {
                "id": int(status),
                "abbreviation": STATUS_NAMES[status],
                "description": STATUS_NAMES[status],
            },
            "plannedOpeningDate": opening.isoformat(),
            "submissionProcedure": {"id": 31094505, "abbreviation": model, "description": model},
            "deadlineDates": [d.isoformat() for d in deadlines],
        }
        results = []
        for topic in topics:
            ccm = self._ccm()
            url = f"{PORTAL}/topic-details/{topic.identifier}"
            mga = {
                "id": int(programme.mga),
                "abbreviation": f"{programme.prefix}-AG",
                "description": "Action Grant",
            }
            actions = [{"types": [{"typeOfAction": topic.action, "typeOfMGA": [mga]}], **action}]
            others = [t for t in topics if t is not topic]
            metadata: dict[str, Any] = {
                "es_SortDate": [_stamp(opening)],
                **self._common(topic.identifier, call_identifier),
                "sortStatus": ["2" if status == FORTHCOMING else "1"],
                "language": ["en"],
                "title": [topic.title],
                "type": ["1"],
                "focusArea": [],
                "typeOfMGAs": [programme.mga],
                "callIdentifier": [call_identifier],
                "ccm2Id": [ccm],
                "callccm2Id": [call_ccm],
                "DATASOURCE": ["SEDIA"],
                "REFERENCE": [f"{ccm}TOPICSen"],
                "callTitle": [call_title],
                "frameworkProgramme": [programme.framework],
                "descriptionByte": [
                    self.writer.description(topic.identifier, topic.title, rng.randint(4000, 6000))
                ],
                "topicConditions": [self.writer.conditions(annexes, rng.randint(2000, 4000))],
                "identifier": [topic.identifier],
                "programmeDivision": [programme.framework, str(int(programme.framework) + 151)],
                "programmePeriod": ["2021 - 2027"],
                "deadlineDate": [_stamp(d) for d in deadlines],
                "typesOfAction": [topic.action.split(" ", 1)[1]],
                "url": [url],
                "actions": [json.dumps(actions, separators=(",", ":"))],
                "allowPartnerSearch": ["true"],
                "budgetOverview": [_budget_overview(rng, [topic, *others], opening, deadlines, model)],
                "startDate": [_stamp(opening)],
                "deadlineModel": [model],
                "specificObjective": [],
                "status": [status],
            }
            if programme.prefix == "HORIZON":
                metadata["destinationDescription"] = [call_title]
                details = self.writer.description(call_identifier, call_title, rng.randint(2000, 5000))
                metadata["destinationDetails"] = [details]
            results.append(self._result(f"{ccm}TOPICSen", url, topic.title, metadata))
        return results

    def cascade_calls(self, limit: int) -> list[dict[str, Any]]:
        """Cascade-funding calls (type 8): an EU project's open calls, sharing its topic's identifier."""
        rng = self.rng
        paying = (
            f"HORIZON-CL{rng.randint(1, 6)}-{rng.randint(2021, 2024)}-{rng.randint(1, 99):02d}-{self._ccm()}"
        )
        results = []
        for n in range(1, min(limit, rng.randint(1, 6)) + 1):
            own = self._ccm()
            opening, deadlines, _, status = self._dates()
            title = f"Open Call {n}: {rng.choice(OBJECTS)} {rng.choice(THEMES)}"
            url = f"{PORTAL}/competitive-calls-cs/{own}"
            metadata = {
                "es_SortDate": [_stamp(opening)],
                **self._common(paying, paying),
                "language": ["en"],
                "title": [title],
                "type": ["8"],
                "callIdentifier": [paying],
                "ccm2Id": [own],
                "callccm2Id": [own],
                "DATASOURCE": ["SEDIA"],
                "callTitle": [f"Cascade funding of {paying}"],
                "frameworkProgramme": ["43108390"],
                "descriptionByte": [self.writer.description(paying, title, rng.randint(3000, 6000))],
                "topicConditions": [self.writer.conditions("cascade funding", rng.randint(2000, 4000))],
                "identifier": [paying],
                "deadlineDate": [_stamp(d) for d in deadlines[:1]],
                "url": [url],
                "budget": [str(rng.randint(2, 40) * 50_000)],
                "startDate": [_stamp(opening)],
                "deadlineModel": ["single-stage"],
                "status": [status],
            }
            results.append(self._result(f"{own}CASCADEen", url, title, metadata))
        return results

    def external_action(self) -> dict[str, Any]:
        """A call for proposals in external action (type 2), as a prospect."""
        rng = self.rng
        reference = self._ccm()
        identifier = f"EuropeAid/{reference}/DD/ACT/{rng.choice(['Multi', 'UA', 'MA', 'TN', 'GE'])}"
        opening, deadlines, _, status = self._dates()
        title = f"Support to {rng.choice(THEMES)} in the Neighbourhood"
        url = f"{PORTAL}/prospect-details/{reference}"
        metadata = {
            "es_SortDate": [_stamp(opening)],
            **self._common(identifier, identifier),
            "language": ["en"],
            "title": [title],
            "type": ["2"],
            "callIdentifier": [identifier],
            "DATASOURCE": ["SEDIA"],
            "frameworkProgramme": [EXTERNAL_PROGRAMME],
            "descriptionByte": [self.writer.description(identifier, title, rng.randint(3000, 6000))],
            "identifier": [identifier],
            "deadlineDate": [_stamp(d) for d in deadlines[:1]],
            "url": [url],
            "startDate": [_stamp(opening)],
            "deadlineModel": ["single-stage"],
            "status": [status],
        }
        return self._result(f"{reference}PROSPECTen", url, title, metadata)

    def stale_copy(self, identifier: str | None) -> dict[str, Any]:
        """A `SEDIA_PRD_CENTRICITY` row: the old system's copy, of a current topic or of an old one."""
        rng = self.rng
        identifier = (
            identifier or f"HORIZON-CL{rng.randint(1, 6)}-2024-{rng.randint(1, 99):02d}-{self._ccm()}"
        )
        opening = date(2023, 10, 4) + timedelta(days=rng.randint(0, 200))
        deadline = opening + timedelta(days=rng.randint(60, 150))
        clock = rng.choice(["17:00:00.000+0000", "19:00:00.000+0200"])
        tags = [f"HCCM_{rng.randint(31050000, 31070000)}" for _ in range(rng.randint(20, 80))]
        url = f"{DATA}/topicDetails/{identifier}.json"
        title = f"{rng.choice(OBJECTS).capitalize()} {rng.choice(THEMES)}"
        metadata = {
            "es_SortDate": [_stamp(opening)],
            "keywords": [json.dumps(rng.sample(DISCIPLINES, rng.randint(1, 10)))],
            "sortStatus": ["2"],
            "ccmTags2": tags,
            "destination": [self._ccm()],
            "language": ["en"],
            "type": ["1"],
            "title": [title],
            "cftId": ["0"],
            "callIdentifier": [identifier.rsplit("-", 1)[0]],
            "ccm2Id": [self._ccm()],
            "DATASOURCE": ["SEDIA_PRD_CENTRICITY"],
            "esIN_ccmTags": tags,
            "frameworkProgramme": ["43108390"],
            "identifier": [identifier],
            "deadlineDate": [_stamp(deadline, clock)],
            "ccmTags": tags,
            "typesOfAction": ["HORIZON  Research and Innovation Actions"],
            "corporate-search-version": ["102"],
            "url": [url],
            "datasource": ["SEDIA_PRD_CENTRICITY"],
            "startDate": [_stamp(opening)],
            "deadlineModel": ["single-stage"],
            "status": [FORTHCOMING],
        }
        return self._result(
            f"{metadata['ccm2Id'][0]}HORIZONResearchandInnovationActions", url, title, metadata
        )

    def results(self, topics: int) -> list[dict[str, Any]]:
        """`topics` calls (one per key) plus ~2 % stale copies and ~1 % duplicates, in no useful order."""
        rng = self.rng
        cascade = round(topics * 0.08)
        external = round(topics * 0.02)
        current: list[dict[str, Any]] = []
        while len(current) < topics - cascade - external:
            current.extend(self.grant_call(topics - cascade - external - len(current)))
        grants = len(current)
        while len(current) < grants + cascade:
            current.extend(self.cascade_calls(grants + cascade - len(current)))
        current.extend(self.external_action() for _ in range(external))
        rows = list(current)
        for n in range(round(topics * 0.02)):
            copied = rng.choice(current[:grants])["metadata"]["identifier"][0] if n % 2 else None
            rows.append(self.stale_copy(copied))
        for n in range(round(topics * 0.01)):
            original = rng.choice(current)
            if n % 2:  # a poorer copy: the same topic without its texts
                thin = {
                    k: v
                    for k, v in original["metadata"].items()
                    if k not in ("descriptionByte", "topicConditions")
                }
                original = {**original, "metadata": thin}
            rows.append(original)
        rng.shuffle(rows)
        return rows


# --- the server, in its own process ---------------------------------------------------------------


class EncodedOnceServer(SediaServer):
    """SediaServer that encodes each distinct page once and then answers from memory."""

    def __init__(self, results: list[dict]) -> None:
        super().__init__(results)
        self._replies: dict[tuple, Reply] = {}
        self.encoded = 0  # pages encoded; the untimed fetch asks for every page once

    def answer(self, params: dict[str, str], content_type: str, body: bytes) -> Reply:
        boundary = content_type.partition("boundary=")[2].strip('"').encode()
        key = (tuple(sorted(params.items())), body.replace(boundary, b"") if boundary else body)
        reply = self._replies.get(key)
        if reply is None:
            reply = super().answer(params, content_type, body)
            if reply.status == 200:
                self._replies[key] = reply
                self.encoded += 1
        return reply


def serve(topics: int, seed: int, connection: Any, stop: Any) -> None:
    """Child process: generate, serve until told to stop."""
    started = time.perf_counter()
    results = Portal(seed).results(topics)
    generated = time.perf_counter() - started
    with EncodedOnceServer(results) as server:
        connection.send({"url": server.url, "rows": len(results), "seconds": generated})
        stop.wait()
    peak = _kb_to_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    connection.send({"peak_mb": peak, "encoded": server.encoded, "requests": len(server.requests)})


# --- measuring ------------------------------------------------------------------------------------


def _kb_to_mb(kb: float) -> float:
    return kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024  # ru_maxrss is bytes on macOS


class PeakRss:
    """Peak resident memory of this process per phase.

    On Linux the kernel's high-water mark (VmHWM) is reset at the start of each phase by writing 5 to
    /proc/self/clear_refs; that resets ru_maxrss too, so the process's peak is kept here.
    """

    def __init__(self) -> None:
        self.process_mb = 0.0
        self.per_phase = self._reset()

    @staticmethod
    def _reset() -> bool:
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    @staticmethod
    def _high_water_mb() -> float:
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return _kb_to_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

    @contextmanager
    def phase(self) -> Iterator[list[float]]:
        """Yields a list that holds the phase's peak in MB once the block is done."""
        self.process_mb = max(self.process_mb, self._high_water_mb())
        if self.per_phase:
            self._reset()
        box: list[float] = []
        try:
            yield box
        finally:
            peak = self._high_water_mb()
            self.process_mb = max(self.process_mb, peak)
            box.append(peak)

    def peak(self) -> float:
        self.process_mb = max(self.process_mb, self._high_water_mb())
        return self.process_mb


@dataclass
class Run:
    name: str
    seconds: float
    peak_mb: float
    result: SourceResult | None = None
    calls: int = 0
    events: int = 0


def write_sources(folder: Path, url: str) -> Path:
    path = folder / "sources.yaml"
    path.write_text(
        "sources:\n"
        f"  - id: {SOURCE_ID}\n"
        "    kind: eu_portal\n"
        f"    url: {url}\n"
        "    delay: 0\n"
        f"    page_size: {PAGE_SIZE}\n",
        encoding="utf-8",
    )
    return path


def fetch_pages(sources_file: Path, folder: Path) -> list[Path]:
    """The pages exactly as the source receives them, one file each (untimed; warms the server)."""
    folder.mkdir()
    (config,) = load_sources(sources_file).select()
    pages = []
    with make_client() as client:
        for fetched in make_source(config).fetch(client):
            path = folder / f"page-{fetched.page:04d}.json"
            path.write_bytes(fetched.content)
            pages.append(path)
    return pages


def floor(pages: list[Path], db_path: Path, memory: PeakRss) -> Run:
    """json.loads of every page, then one executemany of one row per result: the least any run costs."""

    def first(metadata: dict, key: str) -> str | None:
        values = metadata.get(key) or [None]
        return values[0]

    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE calls (identifier TEXT, title TEXT, call_identifier TEXT, deadline TEXT)")
    seconds = 0.0
    with memory.phase() as peak:
        rows: list[tuple] = []
        for path in pages:
            content = path.read_bytes()  # reading the file is not part of the floor
            started = time.perf_counter()
            for result in json.loads(content)["results"]:
                metadata = result["metadata"]
                rows.append(
                    (
                        first(metadata, "identifier"),
                        first(metadata, "title"),
                        first(metadata, "callIdentifier"),
                        first(metadata, "deadlineDate"),
                    )
                )
            seconds += time.perf_counter() - started
        started = time.perf_counter()
        with conn:
            conn.executemany("INSERT INTO calls VALUES (?, ?, ?, ?)", rows)
        seconds += time.perf_counter() - started
    conn.close()
    return Run("floor", seconds, peak[0], calls=len(rows))


def timed_collect(
    name: str, sources_file: Path, db_path: Path, memory: PeakRss, profile: Path | None = None
) -> Run:
    """`eumonitor collect` in-process: load_sources → Store.open → make_client → runner.collect."""
    profiler = cProfile.Profile() if profile else None
    with memory.phase() as peak:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        sources = load_sources(sources_file).select()
        store = Store.open(db_path)
        with make_client() as client:
            (result,) = collect(sources, store, client)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
    if profiler and profile:
        profiler.dump_stats(profile)
    run_id = store.db.execute("SELECT MAX(id) FROM source_runs").fetchone()[0]
    events = store.db.execute("SELECT COUNT(*) FROM call_events WHERE run_id = ?", [run_id]).fetchone()[0]
    calls = store.count_calls()
    store.close()
    return Run(name, seconds, peak[0], result, calls, events)


def print_profile(path: Path, limit: int = 25) -> None:
    """The functions that took the time: own time (tottime) and time with callees (cumtime)."""
    stats = pstats.Stats(str(path))
    entries = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]

    def name(key: tuple) -> str:
        file, line, function = key
        if file == "~":
            return function
        parts = Path(file).parts
        short = "/".join(parts[parts.index("monitor") :]) if "monitor" in parts else Path(file).name
        return f"{function} ({short}:{line})"

    print(f"\n{path} — {total:.2f} s profiled")
    for title, column in (("own time (tottime)", 2), ("with callees (cumtime)", 3)):
        print(f"  top {limit} by {title}:")
        ranked = sorted(entries.items(), key=lambda item: item[1][column], reverse=True)[:limit]
        for key, (_, calls, tottime, cumtime, _) in ranked:
            print(
                f"    {100 * tottime / total:5.1f}% own {100 * cumtime / total:5.1f}% cum "
                f"{calls:>9,} calls  {name(key)}"
            )


def report(floor_run: Run, cold: Run, rerun: Run, process_peak: float, topics: int) -> list[tuple[str, bool]]:
    """Print the figures; return the targets with whether each was met."""
    print(
        f"\n{'phase':<8} {'seconds':>8} {'peak RSS':>10} {'items':>7} {'new':>7} {'changed':>7} "
        f"{'closed':>6} {'events':>7} {'stored':>7} {'warn':>5}  outcome"
    )
    print(
        f"{'floor':<8} {floor_run.seconds:8.2f} {floor_run.peak_mb:7.0f} MB {floor_run.calls:>7,} rows "
        f"(best of {FLOOR_RUNS})"
    )
    for run in (cold, rerun):
        r = run.result
        assert r is not None
        print(
            f"{run.name:<8} {run.seconds:8.2f} {run.peak_mb:7.0f} MB {r.items:>7,} {r.new:>7,} "
            f"{r.changed:>7,} {r.closed:>6,} {run.events:>7,} {run.calls:>7,} {r.warnings:>5,}  {r.outcome}"
            + (f" ({r.message})" if r.message else "")
        )
    print("items: calls the source listed; new, changed, closed: calls written; events: history rows")
    print("written by the run; stored: calls in the file after the run")
    if rerun.result and rerun.result.changed:
        print(f"note: the re-run rewrote {rerun.result.changed:,} call(s), yet nothing changed on the server")
    cold_over_floor = cold.seconds / floor_run.seconds
    rerun_over_cold = rerun.seconds / cold.seconds
    print(f"\ncold/floor  {cold_over_floor:6.2f}")
    print(f"rerun/cold  {rerun_over_cold:6.2f}")
    print(f"peak RSS    {process_peak:6.0f} MB (the measuring process, all phases)")
    assert cold.result and rerun.result
    return [
        (
            f"cold run ok and stores all {topics:,} calls",
            cold.result.outcome == "ok" and cold.calls == topics,
        ),
        (f"cold ≤ {MAX_COLD_OVER_FLOOR:g} × floor", cold_over_floor <= MAX_COLD_OVER_FLOOR),
        (f"re-run ≤ {MAX_RERUN_OVER_COLD:g} × cold", rerun_over_cold <= MAX_RERUN_OVER_COLD),
        ("re-run writes no events", rerun.events == 0),
        (f"peak RSS ≤ {MAX_PEAK_RSS_MB:g} MB", process_peak <= MAX_PEAK_RSS_MB),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--topics", type=int, default=20_000, help="calls to generate (default 20,000)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated portal")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--profile", action="store_true", help="also profile a cold run and a re-run")
    args = parser.parse_args(argv)

    memory = PeakRss()
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    stop = context.Event()
    server = context.Process(target=serve, args=(args.topics, args.seed, theirs, stop), daemon=True)
    print(f"eumonitor collect benchmark: {args.topics:,} topics, seed {args.seed}, page size {PAGE_SIZE}")
    server.start()
    server_end: dict[str, Any] = {}
    profiled: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="eumonitor-bench-") as tmp:
        folder = Path(tmp)
        try:
            while not ours.poll(1.0):
                if not server.is_alive():
                    raise SystemExit("bench: the server process died while generating the topics")
            served = ours.recv()
            sources_file = write_sources(folder, served["url"])
            with memory.phase() as fetch_peak:
                pages = fetch_pages(sources_file, folder / "pages")
            size = sum(p.stat().st_size for p in pages)
            print(
                f"served: {served['rows']:,} rows on {len(pages)} pages, {size / 1e6:,.1f} MB "
                f"({size / len(pages) / 1e6:.2f} MB/page, {size / served['rows'] / 1e3:.1f} KB/row), "
                f"generated in {served['seconds']:.1f} s by server pid {server.pid}; "
                f"peak {fetch_peak[0]:.0f} MB here while fetching them once"
            )
            # The floor is cheap and the lowest of its runs is the floor: best of FLOOR_RUNS.
            floors = [floor(pages, folder / f"floor-{n}.db", memory) for n in range(FLOOR_RUNS)]
            floor_run = min(floors, key=lambda run: run.seconds)
            cold = timed_collect("cold", sources_file, folder / "bench.db", memory)
            rerun = timed_collect("re-run", sources_file, folder / "bench.db", memory)
            process_peak = memory.peak()
            if args.profile:
                OUT.mkdir(exist_ok=True)
                profiled = [
                    timed_collect("cold", sources_file, folder / "profile.db", memory, OUT / "cold.prof"),
                    timed_collect("re-run", sources_file, folder / "profile.db", memory, OUT / "rerun.prof"),
                ]
        finally:
            stop.set()
            if ours.poll(30):
                server_end = ours.recv()
            server.join(10)
            if server.is_alive():
                server.terminate()
                server.join()

    checks = report(floor_run, cold, rerun, process_peak, args.topics)
    if server_end:
        print(
            f"server      {server_end['peak_mb']:6.0f} MB peak RSS in its own process (not counted); "
            f"{server_end['encoded']} pages encoded, all during the untimed fetch of {len(pages)}"
            if server_end["encoded"] == len(pages)
            else f"server      {server_end['peak_mb']:6.0f} MB; {server_end['encoded']} pages encoded "
            f"for {len(pages)} pages: some encoding was timed"
        )
    if not memory.per_phase:
        print("(peak RSS could not be reset between phases: each phase's figure is the peak so far)")
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    for run in profiled:
        print(f"\nprofiled {run.name}: {run.seconds:.2f} s with the profiler on, peak {run.peak_mb:.0f} MB")
    if profiled:
        print_profile(OUT / "cold.prof")
        print_profile(OUT / "rerun.prof")
    return 1 if args.strict and not all(ok for _, ok in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
