"""The stamps (core.stamps) behind the cached /insights/ reports, and what forgets them.

A report sums the circuits of the user's teams (every circuit, for a superuser), so it is stored with
the stamp of each of those teams (the estate's stamp, for a superuser). insights.refresh rewrites the
stays of some circuits: it forgets their teams' stamps and the estate's, so a refresh in one team
leaves the other teams' reports cached. What no refresh follows (a circuit moved to another team, and
durations of circuits still onboarding, which grow with time) waits for the report's expiry.
"""

from core.stamps import stamps_forget

ESTATE_STAMP = "insights:stamp:estate"


def team_stamp(team_id) -> str:
    return f"insights:stamp:team:{team_id}"


def report_stamps(*, team_ids, estate: bool) -> tuple:
    """The stamps a report of these teams' circuits (of every circuit when `estate`) is stored with."""
    return (ESTATE_STAMP,) if estate else tuple(map(team_stamp, sorted(team_ids)))


def stays_rewritten(team_ids):
    """The stays of circuits of these teams were rewritten: their reports are stale once this commits."""
    stamps_forget([ESTATE_STAMP, *map(team_stamp, team_ids)])
