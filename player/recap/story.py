"""The recap as a story: one idea per page, words and chart data only (pure; painted by ui/).

The GUI paints these pages and the CLI prints them, so both show the very same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from player.core import rules
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
    pages = [_intro(recap, kicker), _top(recap, kicker, "Your top songs", recap.top_tracks, "tracks")]
    if recap.size == "tiny":
        pages.append(Page("tiny", kicker, "Just getting started",
                          note=f"Only {plural(recap.plays, 'play')} in {recap.year} so far — "
                               "keep listening and this story grows."))
        return pages
    pages += [
        _top(recap, kicker, "Your top artists", recap.top_artists, "artists"),
        _top(recap, kicker, "Your top albums", recap.top_albums, "albums"),
        _top(recap, kicker, "Your top genres", recap.top_genres, "genres"),
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
    scrobbles = recap.skips.unmeasured if recap.skips is not None else 0
    if scrobbles:  # their time heard is not in the export: say how the minutes were counted
        subtitle += (f" {plural(scrobbles, 'scrobble')} record no time heard: each counts its "
                     f"song's length ({rules.SCROBBLE_HEARD_MS / 60_000:g} minutes when unknown).")
    return Page("intro", kicker, "You listened for", plural(recap.minutes, "minute"),
                f"That's {span}. {subtitle}" if span else subtitle, items=items)


def _items(ranked: list[Ranked]) -> list[Item]:
    top = max((r.plays for r in ranked[:LIST_LENGTH]), default=1) or 1
    return [Item(r.name, r.detail, f"{plural(r.plays, 'play')} · {number(r.minutes)} min",
                 r.plays / top) for r in ranked[:LIST_LENGTH]]


ANALYSE_HOW = "File ▸ Audio analysis, or encore analyze"


def _top(recap: Recap, kicker: str, title: str, ranked: list[Ranked], what: str) -> Page:
    if not ranked:
        return Page(f"top_{what}", kicker, title, note=_no_ranking(recap, what))
    first = ranked[0]
    subtitle = f"#1 with {plural(first.plays, 'play')}"
    return Page(f"top_{what}", kicker, title, first.name, subtitle, items=_items(ranked))


def _no_ranking(recap: Recap, what: str) -> str:
    """Why a top list is empty, from what the year's data holds (never 'tag them' for songs
    that are not in the library: imported listens carry what their export had)."""
    others = recap.plays - recap.library_plays  # plays of imported songs not in the library
    if what == "albums":
        if recap.library_plays == 0:
            return (f"None of your {plural(recap.plays, 'play')} in {recap.year} names an album: "
                    "the history they were imported from has no album names (Spotify's account "
                    "data, for one, names only artist and song), and none of them is of a song "
                    "in your library.")
        tail = (f" The other {plural(others, 'play')} came from an imported history without "
                "album names." if others else "")
        return (f"The {plural(recap.library_plays, 'play')} of songs in your library this year "
                f"are of songs with no album tag.{tail}")
    if what == "genres":
        if recap.library_plays == 0:
            return (f"Genres come from the tags of the songs in your library, and none of your "
                    f"{plural(recap.plays, 'play')} in {recap.year} is of a song in it (imported "
                    "listens carry no genre).")
        tail = (f" The other {plural(others, 'play')} are imported listens, which carry no genre."
                if others else "")
        return (f"None of the songs from your library you played this year "
                f"({plural(recap.library_plays, 'play')}) has a genre tag — tag them, and your "
                f"genres show here.{tail}")
    return f"No {what} to rank this year."


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
    if skips.listens == 0:
        return Page("skips", kicker, "Skips",
                    note=f"Your {recap.year} listens are scrobbles ({number(skips.unmeasured)}), "
                         "which record what you played, not what you skipped: skips cannot be "
                         "counted.")
    most = skips.most_skipped
    tail = (f" Most skipped: {most.name}{' by ' + most.detail if most.detail else ''} "
            f"({plural(most.plays, 'skip')})." if most else " You skipped nothing at all.")
    left_out = (f" Not counted: {plural(skips.unmeasured, 'scrobble')}, which record plays "
                "only." if skips.unmeasured else "")
    return Page("skips", kicker, "Skips", f"{skips.rate * 100:.1f}%",
                f"{plural(skips.skips, 'skip')} in {plural(skips.listens, 'listen')}.{tail}"
                f"{left_out}", chart=Chart("donut", [[skips.rate]], ["skipped"]))


def _sound(recap: Recap, kicker: str) -> Page:
    title = "How your sound moved"
    if not recap.sound:
        return Page("sound", kicker, title, note=_no_sound(recap))
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


def _no_sound(recap: Recap) -> str:
    """What is known when no play of the year has a tempo or energy, and what would help."""
    plays = plural(recap.plays, "play")
    if recap.library_plays == 0:
        have = (f"{plural(recap.analysed_tracks, 'song')} in your library "
                f"{'is' if recap.analysed_tracks == 1 else 'are'} analysed, but "
                if recap.analysed_tracks else "")
        text = (f"{have}none of your {plays} in {recap.year} is of a song in your library, "
                "where tempo and energy come from. Add the music you played to your library "
                f"and analyse it ({ANALYSE_HOW}) to see how its sound moved.")
        return text[0].upper() + text[1:]
    if recap.analysed_tracks == 0:
        return ("Your music hasn't been analysed yet. Analyse it "
                f"({ANALYSE_HOW}), and the tempo and energy of your year show here.")
    return (f"None of the songs you played from your library this year "
            f"({plural(recap.library_plays, 'play')}) is among the "
            f"{plural(recap.analysed_tracks, 'analysed song')}. Analysing the rest ({ANALYSE_HOW}) "
            "would show how your sound moved.")


def _personalities(recap: Recap, kicker: str) -> Page:
    title = "Your musical personalities"
    if recap.personalities is None or (not recap.personalities and not recap.mixes):
        return Page("personalities", kicker, title,
                    note="Your personalities appear once Encore has made your Daily Mixes "
                         "(Home makes them from your library).")
    if not recap.personalities:
        why = (": the mixes are made from your library, and this year's plays are all of songs "
               "not in it" if recap.library_plays == 0 else "")
        return Page("personalities", kicker, title,
                    note=f"None of your {plural(recap.plays, 'play')} in {recap.year} is of a "
                         f"song in today's {plural(recap.mixes, 'Daily Mix', 'Daily Mixes')}"
                         f"{why}, so they can't show the sides of this year's taste.")
    top = max(p.share for p in recap.personalities) or 1.0
    items = [Item(p.name, "", f"{p.share * 100:.0f}% of plays" if p.share >= 0.005
                  else f"{plural(p.plays, 'play')}", p.share / top)
             for p in recap.personalities[:LIST_LENGTH]]
    missing = recap.mixes - len(recap.personalities)
    tail = (f" {plural(missing, 'mix', 'mixes')} had no plays this year." if missing > 0 else "")
    return Page("personalities", kicker, title, recap.personalities[0].name,
                f"The sides of your taste, from today's Daily Mixes.{tail}", items=items)


def _versus(recap: Recap, kicker: str) -> Page:
    versus = recap.versus
    previous = recap.year - 1
    title = f"{recap.year} against {previous}"
    start = recap.history_start
    if versus is None or versus.previous_minutes == 0:
        if start is None or int(start[:4]) >= recap.year:
            since = f" (it starts on {day_name(start)})" if start else ""
            note = (f"No listening from {previous} here — {recap.year} is the first year of "
                    f"your history{since}.")
        else:
            note = f"No listening from {previous} in your history (it starts in {start[:4]})."
        return Page("versus", kicker, title, note=note)
    chart = Chart("compare", [[float(versus.previous_minutes), float(versus.minutes)]],
                  [str(versus.previous_year), str(recap.year)])
    change = versus.minutes_change or 0.0
    partial = (f" Your history starts on {day_name(start)} {previous}, so {previous} holds only "
               "part of that year." if start and start[:4] == str(previous)
               and start != f"{previous}-01-01" else "")
    # a change against part of a year is not a change between years: no percentage then
    big = f"{number(versus.minutes)} min" if partial else f"{change * 100:+.0f}%"
    return Page("versus", kicker, title, big,
                f"{number(versus.minutes)} minutes this year, {number(versus.previous_minutes)} "
                f"in {versus.previous_year}.{partial}", chart=chart)


def _outro(recap: Recap, kicker: str) -> Page:
    artist = recap.top_artists[0].name if recap.top_artists else "—"
    song = recap.top_tracks[0].name if recap.top_tracks else "—"
    items = [Item("Minutes", "", number(recap.minutes), None),
             Item("Top artist", "", artist, None), Item("Top song", "", song, None),
             Item("Longest streak", "", plural(recap.streak.days if recap.streak else 0, "day"),
                  None)]
    return Page("outro", kicker, "That was your year", str(recap.year),
                "Thanks for listening.", items=items)
