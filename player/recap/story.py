"""The recap as a story: one idea per page, words and chart data only (pure; painted by ui/).

The GUI paints these pages and the CLI prints them, so both show the very same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from player.recap.model import MONTHS, WEEKDAYS, Ranked, Recap

LIST_LENGTH = 5


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    detail: str
    value: str
    fraction: float | None  # bar length 0..1; None: a plain row without a bar


@dataclass(frozen=True, slots=True)
class Chart:
    # "clock" (7x24 plays), "months" (1x12 minutes), "sound" (tempo and energy, 2x12),
    # "compare" ([last, this] minutes), "calendar" (plays per day; second row: streak first and
    # last day), "dots" ([times]), "donut" ([share 0..1])
    kind: str
    values: list[list[float | None]]
    labels: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Page:
    key: str
    kicker: str
    title: str
    big: str = ""
    subtitle: str = ""
    items: list[Item] = field(default_factory=list)
    chart: Chart | None = None
    note: str = ""  # said kindly when there is not enough to show

    def lines(self) -> list[str]:
        """The page as plain text (the CLI prints this; the HTML uses it as alt text)."""
        out = [self.title]
        out += [text for text in (self.big, self.subtitle) if text]
        for i, item in enumerate(self.items, 1):
            detail = f" — {item.detail}" if item.detail else ""
            out.append(f"{i}. {item.name}{detail}: {item.value}")
        if self.note:
            out.append(self.note)
        return out


def number(n: float) -> str:
    return f"{n:,.0f}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{number(n)} {word if n == 1 else (many or word + 's')}"


def day_name(iso: str) -> str:
    date = dt.date.fromisoformat(iso)
    return f"{date.day} {MONTHS[date.month - 1]}"


def part_of_day(hour: int) -> str:
    return ("nights" if hour < 5 else "mornings" if hour < 12 else "afternoons" if hour < 17
            else "evenings" if hour < 22 else "nights")


def story(recap: Recap) -> list[Page]:
    """The pages of the recap, in reading order."""
    kicker = f"YOUR {recap.year}"
    if recap.size == "empty":
        return [Page("empty", kicker, f"No music in {recap.year} — yet",
                     note=f"Play something, or import your listening history, and your "
                          f"{recap.year} will appear here.")]
    pages = [_intro(recap, kicker), _top(kicker, "Your top songs", recap.top_tracks, "tracks")]
    if recap.size == "tiny":
        pages.append(Page("tiny", kicker, "Just getting started",
                          note=f"Only {plural(recap.plays, 'play')} in {recap.year} so far — "
                               "keep listening and this story grows."))
        return pages
    pages += [
        _top(kicker, "Your top artists", recap.top_artists, "artists"),
        _top(kicker, "Your top albums", recap.top_albums, "albums"),
        _top(kicker, "Your top genres", recap.top_genres, "genres"),
        _clock(recap, kicker), _months(recap, kicker), _favourites(recap, kicker),
        _streak(recap, kicker), _repeat(recap, kicker), _skips(recap, kicker),
        _sound(recap, kicker), _personalities(recap, kicker), _versus(recap, kicker),
        _outro(recap, kicker),
    ]
    return pages


def _intro(recap: Recap, kicker: str) -> Page:
    hours, minutes = divmod(recap.minutes, 60)
    span = f"{plural(hours, 'hour')} and {plural(minutes, 'minute')}" if hours else ""
    subtitle = (f"{plural(recap.plays, 'play')} of {plural(recap.tracks, 'song')} by "
                f"{plural(recap.artists, 'artist')}, on {plural(recap.days, 'day')}.")
    items = [Item("Plays", "", number(recap.plays), None),
             Item("Songs", "", number(recap.tracks), None),
             Item("Artists", "", number(recap.artists), None),
             Item("Days with music", "", number(recap.days), None)]
    return Page("intro", kicker, "You listened for", plural(recap.minutes, "minute"),
                f"That's {span}. {subtitle}" if span else subtitle, items=items)


def _items(ranked: list[Ranked]) -> list[Item]:
    top = max((r.plays for r in ranked[:LIST_LENGTH]), default=1) or 1
    return [Item(r.name, r.detail, f"{plural(r.plays, 'play')} · {number(r.minutes)} min",
                 r.plays / top) for r in ranked[:LIST_LENGTH]]


def _top(kicker: str, title: str, ranked: list[Ranked], what: str) -> Page:
    if not ranked:
        note = ("Your songs carry no genre tags yet — tag them, and your genres show here."
                if what == "genres" else f"No {what} to rank this year.")
        return Page(f"top_{what}", kicker, title, note=note)
    first = ranked[0]
    subtitle = f"#1 with {plural(first.plays, 'play')}"
    return Page(f"top_{what}", kicker, title, first.name, subtitle, items=_items(ranked))


def _clock(recap: Recap, kicker: str) -> Page:
    chart = Chart("clock", [[float(v) for v in row] for row in recap.clock],
                  [w[:3] for w in WEEKDAYS])
    if recap.peak_weekday is None or recap.peak_hour is None:
        return Page("clock", kicker, "When you listen", chart=chart)
    day, hour = WEEKDAYS[recap.peak_weekday], recap.peak_hour
    busiest = recap.clock[recap.peak_weekday][hour]
    return Page("clock", kicker, "When you listen", f"{day} {part_of_day(hour)}",
                f"Your busiest hour: {day}s {hour:02d}:00–{(hour + 1) % 24:02d}:00 "
                f"({plural(busiest, 'play')}), in your local time.", chart=chart)


def _months(recap: Recap, kicker: str) -> Page:
    chart = Chart("months", [[float(m.minutes) for m in recap.months]], [m[:3] for m in MONTHS])
    peak = max(recap.months, key=lambda m: (m.minutes, m.plays))
    return Page("months", kicker, "Month by month", MONTHS[peak.month - 1],
                f"Your biggest month: {number(peak.minutes)} minutes, "
                f"{plural(peak.plays, 'play')}.", chart=chart)


def _favourites(recap: Recap, kicker: str) -> Page:
    title = "New this year, now favourites"
    if not recap.favourites:
        return Page("favourites", kicker, title,
                    note="No new favourites this year — you knew what you loved.")
    items = [Item(r.name, r.detail, f"since {day_name(r.extra)} · {plural(r.plays, 'play')}",
                  r.plays / max(f.plays for f in recap.favourites[:LIST_LENGTH]))
             for r in recap.favourites[:LIST_LENGTH]]
    return Page("favourites", kicker, title, plural(len(recap.favourites), "discovery",
                                                   "discoveries"),
                "Songs you first heard this year and came back to (or liked).", items=items)


def _streak(recap: Recap, kicker: str) -> Page:
    streak = recap.streak
    if streak is None:
        return Page("streak", kicker, "Your longest streak", note="No streak this year.")
    first = dt.date.fromisoformat(streak.start).timetuple().tm_yday - 1
    last = dt.date.fromisoformat(streak.end).timetuple().tm_yday - 1
    chart = Chart("calendar", [[float(v) for v in recap.daily], [float(first), float(last)]],
                  [str(recap.year)])
    if streak.days == 1:
        return Page("streak", kicker, "Your longest streak", "1 day",
                    f"{day_name(streak.start)} — no two days in a row yet.", chart=chart)
    return Page("streak", kicker, "Your longest streak", plural(streak.days, "day"),
                f"Music every day from {day_name(streak.start)} to {day_name(streak.end)}.",
                chart=chart)


def _repeat(recap: Recap, kicker: str) -> Page:
    repeat = recap.repeat
    if repeat is None:
        return Page("repeat", kicker, "On repeat",
                    note="You never played a song twice in a row this year. Restless ears!")
    by = f" by {repeat.detail}" if repeat.detail else ""
    return Page("repeat", kicker, "On repeat", f"{repeat.times} times in a row",
                f"{repeat.name}{by}, on {day_name(repeat.date)}.",
                chart=Chart("dots", [[float(repeat.times)]]))


def _skips(recap: Recap, kicker: str) -> Page:
    skips = recap.skips
    if skips is None:
        return Page("skips", kicker, "Skips", note="No listens, no skips.")
    most = skips.most_skipped
    tail = (f" Most skipped: {most.name}{' by ' + most.detail if most.detail else ''} "
            f"({plural(most.plays, 'skip')})." if most else " You skipped nothing at all.")
    return Page("skips", kicker, "Skips", f"{skips.rate * 100:.1f}%",
                f"{plural(skips.skips, 'skip')} in {plural(skips.listens, 'listen')}.{tail}",
                chart=Chart("donut", [[skips.rate]], ["skipped"]))


def _sound(recap: Recap, kicker: str) -> Page:
    title = "How your sound moved"
    if not recap.sound:
        return Page("sound", kicker, title,
                    note="Your music hasn't been analysed yet. Once it is, the tempo and energy "
                         "of your year show here.")
    tempo = [s.tempo for s in recap.sound]
    energy = [s.energy for s in recap.sound]
    chart = Chart("sound", [list(tempo), list(energy)], [m[:3] for m in MONTHS])
    known = [(t, s.month) for s, t in zip(recap.sound, tempo, strict=True) if t is not None]
    coverage = f"From the {recap.sound_coverage * 100:.0f}% of your plays that were analysed."
    if not known:
        return Page("sound", kicker, title, "", coverage, chart=chart)
    fastest = max(known)
    return Page("sound", kicker, title, f"{fastest[0]:.0f} BPM",
                f"Your fastest month was {MONTHS[fastest[1] - 1]}. {coverage}", chart=chart)


def _personalities(recap: Recap, kicker: str) -> Page:
    title = "Your musical personalities"
    if not recap.personalities:
        return Page("personalities", kicker, title,
                    note="Your personalities appear once Encore has made your Daily Mixes.")
    top = max(p.share for p in recap.personalities) or 1.0
    items = [Item(p.name, "", f"{p.share * 100:.0f}% of plays", p.share / top)
             for p in recap.personalities[:LIST_LENGTH]]
    return Page("personalities", kicker, title, recap.personalities[0].name,
                "The sides of your taste, from your Daily Mixes.", items=items)


def _versus(recap: Recap, kicker: str) -> Page:
    versus = recap.versus
    title = f"{recap.year} against {recap.year - 1}"
    if versus is None or versus.previous_minutes == 0:
        return Page("versus", kicker, title,
                    note=f"No listening from {recap.year - 1} here — {recap.year} is your first "
                         "year with Encore.")
    chart = Chart("compare", [[float(versus.previous_minutes), float(versus.minutes)]],
                  [str(versus.previous_year), str(recap.year)])
    change = versus.minutes_change or 0.0
    big = f"{change * 100:+.0f}%"
    return Page("versus", kicker, title, big,
                f"{number(versus.minutes)} minutes this year, {number(versus.previous_minutes)} "
                f"in {versus.previous_year}.", chart=chart)


def _outro(recap: Recap, kicker: str) -> Page:
    artist = recap.top_artists[0].name if recap.top_artists else "—"
    song = recap.top_tracks[0].name if recap.top_tracks else "—"
    items = [Item("Minutes", "", number(recap.minutes), None),
             Item("Top artist", "", artist, None), Item("Top song", "", song, None),
             Item("Longest streak", "", plural(recap.streak.days if recap.streak else 0, "day"),
                  None)]
    return Page("outro", kicker, "That was your year", str(recap.year),
                "Thanks for listening.", items=items)
