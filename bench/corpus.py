"""Synthetic news corpus for benchmarks: real sentence shapes over real gazetteer places.

Articles are made from ~40 news-style sentence templates (strikes, shelling,
battles, shoot-downs, protests, diplomacy, humanitarian context) whose slots
are filled with places drawn from the built gazetteer: Ukrainian cities,
towns and villages (often in a press spelling: "Kupyansk", "Rabotino",
"Artemovsk"), oblasts, Russian border places and world capitals. The output
is deterministic for a seed and streamed line by line to JSONL, so corpora
from 1 MB to 1 GB can be made on demand and none is shipped.

    .venv/bin/python bench/corpus.py --mb 10 --out bench/out/corpus_10mb.jsonl [--seed 0]
    .venv/bin/python bench/corpus.py --articles 10000 --out bench/out/corpus_10k.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from geomap import config
from geomap.gazetteer.build import DB_NAME

#: World capitals named in war coverage (author's list; each is checked against the gazetteer).
CAPITALS = ["Moscow", "Kyiv", "Washington", "London", "Paris", "Berlin", "Warsaw", "Brussels", "Beijing",
            "Ankara", "Tehran", "Minsk", "Chisinau", "Budapest", "Bucharest", "Vilnius", "Riga", "Tallinn",
            "Helsinki", "Stockholm", "Oslo", "Rome", "Madrid", "Vienna", "Prague", "Bratislava", "Tokyo",
            "New Delhi", "Pyongyang", "Doha", "Riyadh", "Abu Dhabi", "Geneva", "The Hague", "Copenhagen"]

#: Alias schemes that are spellings the press actually uses (not CJK romanisations or postal codes).
PRESS_SCHEMES = ("exonym", "historic", "curated", "kmu2010", "bgn_uk", "ru_press", "ru_bgn", "ru_wiki",
                 "fr_uk", "de_uk", "es_uk", "pl_uk", "ru_fr", "de_ru")

WEAPONS = ["Shahed drones", "Iskander missiles", "Kalibr cruise missiles", "guided aerial bombs",
           "Grad rockets", "artillery", "S-300 missiles", "Lancet loitering munitions", "mortars",
           "Kh-101 missiles"]
UNITS = ["the 47th Mechanised Brigade", "the 3rd Assault Brigade", "Russian airborne troops",
         "Wagner fighters", "the 93rd Brigade", "marines", "Ukrainian special forces", "border guards"]
OFFICIALS = ["the regional governor", "the head of the military administration", "the mayor",
             "Ukraine's General Staff", "Russia's Defence Ministry", "the prosecutor's office", "police",
             "the State Emergency Service", "the Ukrainian Air Force", "local officials"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Slots: {ua} any Ukrainian settlement, {big} a city, {small} a village, {obl} an oblast,
# {ru} a Russian border place, {cap}/{cap2} capitals, {n}/{m} numbers, {day}, {weapon}, {unit}, {who}.
TEMPLATES = [
    "Russian forces struck {big} overnight with {weapon}, killing {n} people and wounding {m}, {who} said.",
    "A missile attack on {ua} in the {obl} region damaged a school and several apartment blocks on {day}.",
    "{who} said {n} civilians were killed when shelling hit the centre of {small} on {day} morning.",
    "Ukrainian troops repelled {n} attacks near {small} and {ua}, the General Staff reported.",
    "Fighting continued around {small}, south of {big}, where {unit} have been holding positions for weeks.",
    "Air defence shot down {n} of {m} {weapon} launched at the {obl} region overnight, {who} said.",
    "Debris from a downed drone started a fire at an industrial site in {big}.",
    "Russia claimed to have captured the village of {small} in the {obl} region, a claim Kyiv denied.",
    "Ukraine's forces liberated {small} after weeks of heavy fighting, {unit} said on {day}.",
    "Explosions were heard in {ru}, Russia, and the governor blamed Ukrainian drones.",
    "The governor of the Belgorod region said shelling damaged houses in {ru} and wounded {n} residents.",
    "Shelling of {ua} cut power to {n} thousand homes, {who} said.",
    "{n} people were evacuated from {small} and nearby villages as the front line moved closer.",
    "A guided bomb hit a residential area of {big}, killing {n} and injuring {m}, {who} reported.",
    "Hundreds of people rallied in {cap} on {day} to demand more military aid for Ukraine.",
    "Protesters gathered outside the Russian embassy in {cap} to condemn the strikes on {big}.",
    "Residents of {big} protested against the mobilisation law in front of the city council.",
    "Foreign ministers met in {cap} to discuss sanctions, while talks in {cap2} produced no agreement.",
    "The president travelled to {cap} to ask for air defence systems after the attack on {big}.",
    "Officials in {cap} said a new aid package would include ammunition for {weapon}.",
    "A delegation from {cap} visited {big} and laid flowers at a memorial to the victims.",
    "Grain exports through ports near {big} resumed after a pause of {n} days.",
    "The UN said {n} civilians had been killed in the {obl} region since the start of the month.",
    "Humanitarian convoys reached {small} for the first time in {n} weeks.",
    "Russian troops shelled {small} {n} times in a single day, the regional administration said.",
    "A drone attack on a bus in {ua} killed the driver and {n} passengers.",
    "Partisans claimed to have blown up a railway bridge near {ua} in the occupied part of the {obl} region.",
    "A car bomb exploded in {big}, killing a local official appointed by Moscow.",
    "Russian forces advanced {n} kilometres west of {small}, according to open-source analysts.",
    "Ukrainian artillery destroyed a Russian ammunition depot near {small}, {unit} said.",
    "The village of {small}, some {n} km from {big}, has been almost completely destroyed.",
    "Landmines left behind in fields around {small} killed a tractor driver on {day}.",
    "Police detained {n} people in {cap} during an unauthorised anti-war protest.",
    "Evacuation trains left {big} for {ua} as strikes intensified in the {obl} region.",
    "Prisoner exchange talks mediated by {cap} freed {n} Ukrainian soldiers.",
    "Missiles fired from the {ru} area hit the outskirts of {big} early on {day}.",
    "Ukraine's military said it had shot down a Su-34 fighter jet over the {obl} region.",
    "The front line near {small} and {ua} remained unchanged despite intense assaults, {who} said.",
    "A strike on an energy facility in {ua} left the town without heating, {who} said.",
    "Volunteers from {big} delivered generators and medicine to villages around {small}.",
    "Russian officials in {cap} said the attack on {ru} would not go unanswered.",
    "Mourners in {big} buried {n} soldiers killed in fighting near {small}.",
]
# Sentences without places, in the shape of the background, quotes and analysis that make up most of a
# real report: with them ("--style news") a corpus has real news's density of places (~2.5 per kB).
FILLER = [
    "The claims could not be independently verified.",
    "{who} did not immediately respond to a request for comment.",
    "Officials said the investigation into the circumstances of the attack was continuing.",
    "\"We heard the explosions at four in the morning and went down to the basement,\" one resident said.",
    "Rescue workers spent hours searching the rubble for survivors, and the search was expected to continue.",
    "The strikes came as both sides prepared for a new phase of the campaign ahead of the winter.",
    "Analysts said the attacks were meant to wear down air defences before a larger offensive.",
    "The defence ministry said it was working to restore supplies of ammunition to units at the front.",
    "Western officials have repeatedly warned that the war could drag on for years.",
    "Electricity and water were restored to most homes by the evening, the energy company said.",
    "Many residents have already left, and those who remain are mostly elderly people.",
    "The United Nations has called for an independent investigation into the deaths of civilians.",
    "Schools in the area switched to online classes for the rest of the week.",
    "The general staff said its forces had inflicted heavy losses on the enemy but gave no figures.",
    "The military said the situation remained difficult but under control.",
    "A spokesman said the country would continue to defend itself with all the means at its disposal.",
    "Prices for food and fuel have risen sharply since the beginning of the year.",
    "The parliament is expected to vote on the bill next week after months of debate.",
    "Neither side has published full figures for its military casualties.",
    "Drone footage published by {unit} showed several destroyed armoured vehicles.",
    "Doctors at the regional hospital said several of the wounded were in serious condition.",
    "The attack was the latest in a series of strikes on energy infrastructure in recent weeks.",
    "Humanitarian organisations said access to the area remained extremely limited.",
    "Officials urged residents to heed air raid warnings and to stay in shelters during alerts.",
    "The government has promised compensation to the owners of damaged homes.",
]
TITLES = [
    "Strikes hit {big} as fighting rages near {small}",
    "{n} killed in attack on {big}",
    "Battle for {small} intensifies",
    "Drones target {obl} region overnight",
    "Talks in {cap} stall as shelling continues",
    "Live: Russia-Ukraine war, day {n}",
]


@dataclass(slots=True)
class Pools:
    """Spellings to fill slots with, by slot kind (each a list of surface strings)."""

    big: list[str]
    ua: list[str]
    small: list[str]
    obl: list[str]
    ru: list[str]
    cap: list[str]


def _latin(s: str) -> bool:
    return bool(s) and s.isascii() and s[0].isupper() and "'" not in s[:1]


def load_pools(index: Path | None = None, seed: int = 0, max_villages: int = 4000) -> Pools:
    """Read place pools from the built gazetteer index (deterministic for a seed).

    Parameters
    ----------
    index : Path, optional
        Index directory (default :func:`geomap.config.index_dir`).
    seed : int
        Chooses which villages enter the pool.
    max_villages : int
        Size of the village pool.

    Returns
    -------
    Pools
    """
    db = Path(index or config.index_dir()) / DB_NAME
    con = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
    rng = random.Random(seed)
    marks = ",".join("?" * len(PRESS_SCHEMES))

    def spellings(where: str, args: tuple = ()) -> dict[int, list[str]]:
        rows = con.execute(
            f"SELECT p.pid, p.name, a.alias, a.scheme FROM places p JOIN aliases a ON a.pid = p.pid "
            f"WHERE {where} AND (a.scheme = 'official' OR a.scheme IN ({marks})) ORDER BY p.pid, a.alias",
            args + PRESS_SCHEMES).fetchall()
        out: dict[int, list[str]] = {}
        for pid, name, alias, _scheme in rows:
            names = out.setdefault(pid, [name] if _latin(name) else [])
            if _latin(alias) and alias not in names:
                names.append(alias)
        return {k: v for k, v in out.items() if v}

    def pick(by_place: dict[int, list[str]], limit: int | None = None) -> list[str]:
        """Canonical name three times out of four, else one of its press spellings."""
        pids = sorted(by_place)
        if limit is not None and len(pids) > limit:
            pids = sorted(rng.sample(pids, limit))
        out = []
        for pid in pids:
            names = by_place[pid]
            out.append(names[0])
            out.extend(rng.sample(names[1:], min(len(names) - 1, 1)) if rng.random() < 0.25 else [])
        return out

    # HDX-matched places only: GeoNames also lists city districts ("Raion KhTZ") as populated places.
    ua = "p.cc = 'UA' AND p.feature = 'settlement' AND p.source LIKE '%hdx%'"
    pools = Pools(
        big=pick(spellings(f"{ua} AND p.population >= 50000")),
        ua=pick(spellings(f"{ua} AND p.population BETWEEN 2000 AND 49999")),
        small=pick(spellings(f"{ua} AND p.population < 2000"), max_villages),
        obl=sorted({r[0].removesuffix(" Oblast") for r in con.execute(
            "SELECT name FROM places WHERE cc = 'UA' AND feature = 'oblast' AND name NOT LIKE '%City%'")}),
        ru=pick(spellings("p.cc = 'RU' AND p.feature = 'settlement' AND p.admin1 IN "
                          "('Belgorod', 'Kursk', 'Bryansk', 'Belgorodskaya Oblast''', 'Kurskaya Oblast''', "
                          "'Bryanskaya Oblast''')")),
        cap=[c for c in CAPITALS if con.execute(
            "SELECT 1 FROM aliases a JOIN places p ON p.pid = a.pid WHERE a.alias = ? LIMIT 1",
            (c,)).fetchone()],
    )
    con.close()
    for name in ("big", "ua", "small", "obl", "cap"):
        if not getattr(pools, name):
            raise SystemExit(f"corpus: no {name!r} places in the gazetteer at {db}")
    if not pools.ru:  # admin1 naming differs between builds: fall back to Russian places near the border
        con = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
        pools.ru = pick(spellings("p.cc = 'RU' AND p.feature = 'settlement' AND p.lat BETWEEN 50 AND 54 "
                                  "AND p.lon BETWEEN 33 AND 39"), 500)
        con.close()
    return pools


def articles(pools: Pools, seed: int = 0, style: str = "dense") -> Iterator[dict[str, str]]:
    """Endless stream of synthetic articles (JSONL records: id, title, published, url, text).

    ``style`` "dense" makes every sentence name places (the hardest case per byte); "news" mixes in
    sentences without places (:data:`FILLER`) to real news's density and article length (~5 kB).
    """
    if style not in ("dense", "news"):
        raise ValueError(f"style must be 'dense' or 'news', not {style!r}")
    rng = random.Random(seed)
    start = date(2022, 2, 24)
    i = 0
    while True:
        i += 1

        def fill(template: str) -> str:
            caps = rng.sample(pools.cap, 2)
            return template.format(
                big=rng.choice(pools.big), ua=rng.choice(pools.ua), small=rng.choice(pools.small),
                obl=rng.choice(pools.obl), ru=rng.choice(pools.ru), cap=caps[0], cap2=caps[1],
                n=rng.randint(2, 60), m=rng.randint(2, 120), day=rng.choice(DAYS), weapon=rng.choice(WEAPONS),
                unit=rng.choice(UNITS), who=rng.choice(OFFICIALS))

        title = fill(rng.choice(TITLES))
        paragraphs = []
        for _ in range(rng.randint(3, 8) if style == "dense" else rng.randint(10, 18)):
            if style == "dense":
                sents = [fill(rng.choice(TEMPLATES)) for _ in range(rng.randint(1, 4))]
            else:
                sents = [fill(rng.choice(TEMPLATES if rng.random() < 0.17 else FILLER))
                         for _ in range(rng.randint(2, 5))]
            paragraphs.append(" ".join(sents))
        published = start + timedelta(days=rng.randint(0, 900))
        yield {"id": f"syn-{seed}-{i:07d}", "title": title, "published": published.isoformat(),
               "url": f"https://news.example.org/{published:%Y/%m/%d}/{i}",
               "text": title + "\n\n" + "\n\n".join(paragraphs)}


def write_corpus(out: Path, *, mb: float | None = None, n_articles: int | None = None, seed: int = 0,
                 index: Path | None = None, style: str = "dense") -> tuple[int, int]:
    """Stream a corpus to ``out`` until ``mb`` megabytes of text or ``n_articles`` articles.

    Returns
    -------
    tuple of int
        (articles written, bytes of article text).
    """
    if mb is None and n_articles is None:
        raise ValueError("give mb or n_articles")
    pools = load_pools(index, seed)
    limit = int(mb * 1_000_000) if mb is not None else None
    out.parent.mkdir(parents=True, exist_ok=True)
    n = size = 0
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in articles(pools, seed, style):
            if (n_articles is not None and n >= n_articles) or (limit is not None and size >= limit):
                break
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
            size += len(rec["text"].encode("utf-8"))
    tmp.replace(out)
    return n, size


def ensure_corpus(out_dir: Path, *, mb: float | None = None, n_articles: int | None = None,
                  seed: int = 0, style: str = "dense") -> Path:
    """The corpus file for these parameters, generated once and reused."""
    tag = f"{mb:g}mb" if mb is not None else f"{n_articles}a"
    path = out_dir / f"corpus_{tag}{'' if style == 'dense' else '_' + style}_s{seed}.jsonl"
    if not path.exists():
        write_corpus(path, mb=mb, n_articles=n_articles, seed=seed, style=style)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--mb", type=float, help="megabytes of article text")
    ap.add_argument("--articles", type=int, help="number of articles")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--style", choices=("dense", "news"), default="dense",
                    help="dense: every sentence names places; news: real news's density (~2.5 places per kB)")
    args = ap.parse_args(argv)
    if args.mb is None and args.articles is None:
        ap.error("give --mb or --articles")
    n, size = write_corpus(args.out, mb=args.mb, n_articles=args.articles, seed=args.seed, style=args.style)
    print(f"wrote {n} articles, {size / 1e6:.1f} MB of text to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
