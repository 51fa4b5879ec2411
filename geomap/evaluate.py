"""Score the pipeline against gold files (`geomap eval`).

Two gold formats:

* ``seeds_gold.json``: places, roles, event types, must-nots and
  unresolvable mentions of whole articles (its "about" field documents it).
* ACLED-style CSV: one event per row, ``notes`` holding a short English
  description and ``latitude``/``longitude``/``geo_precision``/``event_type``/
  ``sub_event_type``/``fatalities`` the truth. Each note is parsed as an
  article and the event at the row's ``location`` is scored.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from geopy.distance import great_circle
from rapidfuzz.distance import JaroWinkler

from geomap._text import norm_key
from geomap.ingest import make_article
from geomap.model import Event, Mention
from geomap.pipeline import Pipeline

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return great_circle(a, b).km


def _surface_match(surface: str, surfaces: list[str]) -> bool:
    k = norm_key(surface)
    return any(k == norm_key(s) or k.startswith(norm_key(s) + " ") for s in surfaces)


# --- seeds gold --------------------------------------------------------------------------


@dataclass
class SeedScore:
    checks: list[dict[str, Any]] = field(default_factory=list)

    def add(self, article: str, what: str, ok: bool, detail: str) -> None:
        self.checks.append({"article": article, "check": what, "ok": ok, "detail": detail})

    @property
    def passed(self) -> int:
        return sum(c["ok"] for c in self.checks)


def score_seeds(gold_path: Path, seeds_dir: Path, pipe: Pipeline) -> SeedScore:
    """Check every gold place, must_not and unresolvable of seeds_gold.json."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    score = SeedScore()
    # The seed articles are one corpus, as `geomap build seeds/` sees them.
    results = []
    for ga in gold["articles"]:
        path = seeds_dir / ga["file"]
        art = make_article(path.stem, path.read_text(encoding="utf-8"), source_path=str(path))
        results.append(pipe.process(art))
    pipe.revisit(results)
    for ga, res in zip(gold["articles"], results, strict=True):
        art = res.article
        name = ga["file"]
        score.add(
            name,
            "published",
            str(art.published) == ga.get("published"),
            f"published {art.published} (gold {ga.get('published')})",
        )
        for gp in ga["places"]:
            score_place(score, name, gp, res.mentions, res.events)
        for mn in ga.get("must_not", []):
            bad = [
                m
                for m in res.mentions
                if m.status == "resolved"
                and m.place is not None
                and re.search(rf"\b{re.escape(norm_key(mn['surface']))}\b", norm_key(m.text))
                and _km((m.place.latitude, m.place.longitude), (mn["lat"], mn["lon"])) <= mn["km"]
            ]
            score.add(
                name,
                f"must_not {mn['surface']}",
                not bad,
                "avoided" if not bad else f"resolved to {bad[0].place.name}",
            )  # type: ignore[union-attr]
        for surf in ga.get("unresolvable", []):
            ms = [m for m in res.mentions if norm_key(m.text) == norm_key(surf)]
            ok = bool(ms) and all(m.status != "resolved" for m in ms)
            score.add(
                name,
                f"unresolvable {surf}",
                ok,
                "reported as " + ",".join(sorted({m.status for m in ms})) if ms else "not reported",
            )
    return score


def score_place(
    score: SeedScore, name: str, gp: dict[str, Any], mentions: list[Mention], events: list[Event]
) -> None:
    target = (gp["lat"], gp["lon"])
    tol = gp["tol_km"]
    found = [
        m
        for m in mentions
        if m.status == "resolved"
        and m.place is not None
        and _surface_match(m.text, gp["surfaces"])
        and _km((m.place.latitude, m.place.longitude), target) <= tol
    ]
    score.add(
        name,
        f"found {gp['name']}",
        bool(found),
        f"{len(found)} mention(s)" if found else _why_missing(gp, mentions),
    )
    at = [
        e
        for e in events
        if _surface_match(e.mention, gp["surfaces"]) and _km((e.latitude, e.longitude), target) <= tol
    ]
    role = gp["role"]
    if role == "event":
        evs = [e for e in at if e.role == "event"]
        subs = {gp["sub_event_type"], *gp.get("alt_sub_event_types", [])}
        typed = [e for e in evs if e.event_type == gp["event_type"] and e.sub_event_type in subs]
        got = sorted({f"{e.event_type}/{e.sub_event_type}" for e in evs}) or ["no event"]
        score.add(name, f"type {gp['name']}", bool(typed), ", ".join(got))
        if gp.get("event_date"):
            ok = any(e.event_date == gp["event_date"] for e in typed or evs)
            score.add(name, f"date {gp['name']}", ok, ", ".join(sorted({str(e.event_date) for e in evs})))
        if gp.get("fatalities") is not None:
            ok = any(e.fatalities == gp["fatalities"] for e in typed or evs)
            score.add(name, f"fatalities {gp['name']}", ok, ", ".join(str(e.fatalities) for e in evs))
        if gp.get("weapon"):
            ok = any(e.weapon and gp["weapon"] in e.weapon for e in typed or evs)
            score.add(name, f"weapon {gp['name']}", ok, ", ".join(str(e.weapon) for e in evs))
    elif role == "context":
        violent = [e for e in at if e.role == "event" and e.event_type in VIOLENT]
        score.add(
            name,
            f"context {gp['name']}",
            not violent,
            "context only" if not violent else f"coded {violent[0].event_type}",
        )


def _why_missing(gp: dict[str, Any], mentions: list[Mention]) -> str:
    ms = [m for m in mentions if _surface_match(m.text, gp["surfaces"])]
    if not ms:
        return "not recognised"
    m = ms[0]
    if m.place is None:
        top = [f"{c.place.name}/{c.place.admin1}" for c in m.candidates[:3]]
        return f"{m.status}: {m.note or ''} top: {top}"
    return f"resolved to {m.place.name} ({m.place.admin1}, {m.place.latitude:.3f},{m.place.longitude:.3f})"


# --- ACLED rows -----------------------------------------------------------------------------


#: A note "states a number" of deaths when it has a count next to a death word or says none died.
STATES_COUNT = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an|no)\b[^.]{0,40}\b(?:killed|dead|died|deaths?|"
    r"fatalities|casualties|killing)\b|\b(?:killed|killing)\s+(?:at\s+least\s+)?(?:\d+|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|a|an)\b",
    re.IGNORECASE,
)
#: ACLED bookkeeping: the note's count was split among or coded to other events, not stated in it.
COUNT_NOT_IN_TEXT = re.compile(
    r"split\s+among|coded\s+to|coded\s+as\s+additional|fatalities\s+coded,|casualties\s+unknown|"
    r"unspecified\s+(?:number\s+of\s+)?(?:fatalities|casualties)(?!\s+coded)",
    re.IGNORECASE,
)


def states_fatalities(note: str) -> bool:
    """Whether an ACLED note states its death count in words or digits."""
    return bool(STATES_COUNT.search(note)) and not COUNT_NOT_IN_TEXT.search(note)


def score_acled(csv_path: Path, pipe: Pipeline, limit: int | None = None) -> dict[str, Any]:
    """Parse each row's notes and score the event at the row's location."""
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    if limit:
        rows = rows[:limit]
    n = within10 = within25 = no_event = 0
    n_all = n_matched = type_ok = sub_ok = 0
    fat_n = fat_ok = 0
    misses: list[dict[str, Any]] = []
    confusion: Counter[tuple[str, str]] = Counter()
    for row in rows:
        published = _row_date(row)
        art = make_article(row.get("event_id_cnty") or "row", row["notes"], title="", published=published)
        res = pipe.process(art)
        ev = _event_at(row["location"], res.events)
        truth = (float(row["latitude"]), float(row["longitude"]))
        prec = int(row.get("geo_precision") or 3)
        n_all += 1
        if ev is not None:
            n_matched += 1
            type_ok += ev.event_type == row["event_type"]
            sub_ok += ev.sub_event_type == row["sub_event_type"]
            if ev.event_type != row["event_type"]:
                confusion[(row["event_type"], str(ev.event_type))] += 1
        if ev is not None and states_fatalities(row["notes"]) and row.get("fatalities", "") != "":
            fat_n += 1
            fat_ok += (ev.fatalities or 0) == int(row["fatalities"])
        if prec not in (1, 2):
            continue
        n += 1
        if ev is None:
            no_event += 1
            misses.append(
                {
                    "id": row.get("event_id_cnty"),
                    "location": row["location"],
                    "why": "no event",
                    "mentions": [(m.text, m.status) for m in res.mentions][:6],
                }
            )
            continue
        d = _km((ev.latitude, ev.longitude), truth)
        within10 += d <= 10
        within25 += d <= 25
        if d > 10:
            misses.append(
                {
                    "id": row.get("event_id_cnty"),
                    "location": row["location"],
                    "why": f"{d:.0f} km",
                    "got": f"{ev.place_name} ({ev.admin1}) {ev.place_id}",
                }
            )
    return {
        "file": str(csv_path),
        "rows": len(rows),
        "precise_rows": n,
        "within_10km": within10 / n if n else None,
        "within_25km": within25 / n if n else None,
        "no_event": no_event / n if n else None,
        "matched_rows": n_matched,
        "matched_share": n_matched / n_all if n_all else None,
        "event_type_accuracy": type_ok / n_matched if n_matched else None,
        "sub_event_type_accuracy": sub_ok / n_matched if n_matched else None,
        "fatalities_rows": fat_n,
        "fatalities_accuracy": fat_ok / fat_n if fat_n else None,
        "type_confusion": {f"{a} -> {b}": c for (a, b), c in confusion.most_common(15)},
        "misses": misses,
    }


def _row_date(row: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(row.get("event_date", "")[:10])
    except ValueError:
        return None


def _event_at(location: str, events: list[Event]) -> Event | None:
    """The event whose place is the row's location (by name), else the only event."""
    if not events:
        return None
    key = norm_key(location)
    scored = []
    for e in events:
        s = max(
            JaroWinkler.similarity(key, norm_key(e.mention)),
            JaroWinkler.similarity(key, norm_key(e.place_name)),
        )
        scored.append((s, e.role == "event", -e.char_start, e))
    scored.sort(key=lambda t: (t[0], t[1], t[2]), reverse=True)
    best = scored[0]
    if best[0] >= 0.85:
        return best[3]
    violent = [e for e in events if e.role == "event"]
    return violent[0] if len(violent) == 1 else None


# --- command ------------------------------------------------------------------------------------


def run_eval(
    gold: list[str], *, seeds_dir: Path, json_out: str | None = None, limit: int | None = None
) -> int:
    """`geomap eval`: print a table per gold file and optionally write JSON."""
    pipe = Pipeline()
    results: dict[str, Any] = {}
    for g in gold:
        path = Path(g)
        if not path.exists():
            raise ValueError(f"{path}: gold file not found")
        if path.suffix == ".json":
            s = score_seeds(path, seeds_dir, pipe)
            print(f"{path.name}: {s.passed}/{len(s.checks)} checks pass")
            for c in s.checks:
                mark = "ok  " if c["ok"] else "FAIL"
                print(f"  {mark} {c['article'][:3]} {c['check']:<48} {c['detail']}")
            results[path.name] = {"passed": s.passed, "total": len(s.checks), "checks": s.checks}
        else:
            r = score_acled(path, pipe, limit)
            print(f"{path.name}: {r['rows']} rows, {r['precise_rows']} with geo_precision 1-2")
            for k in (
                "within_10km",
                "within_25km",
                "no_event",
                "event_type_accuracy",
                "sub_event_type_accuracy",
                "fatalities_accuracy",
            ):
                v = r[k]
                print(f"  {k:<26} {v:.3f}" if v is not None else f"  {k:<26} -")
            results[path.name] = r
    if json_out:
        Path(json_out).write_text(
            json.dumps(results, indent=1, ensure_ascii=False, default=str), encoding="utf-8"
        )
        print(f"scores written to {json_out}", file=sys.stderr)
    return 0
