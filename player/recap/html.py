"""The whole recap as one self-contained HTML page: every card inline as a data: URI.

Pure: it takes the PNG bytes of the cards (painted by ui/) and returns text. No fonts, scripts
or links to anywhere, so the file opens the same offline, on any machine.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from player.recap.story import Page

_STYLE = """
body{margin:0;background:#0b0b12;color:#f5f5f7;font-family:"DejaVu Sans",system-ui,sans-serif}
header{padding:48px 24px 8px;text-align:center}
h1{font-size:44px;margin:0 0 8px}
header p{margin:0;color:#b9b9c6}
main{display:flex;flex-direction:column;align-items:center;gap:40px;padding:32px 16px 64px}
figure{margin:0;max-width:min(92vw,540px)}
figure img{width:100%;height:auto;border-radius:24px;box-shadow:0 12px 40px #0009;display:block}
figcaption{color:#b9b9c6;font-size:14px;line-height:1.5;margin-top:10px}
figcaption summary{cursor:pointer;color:#8b8b9b}
figcaption p{margin:0}
footer{text-align:center;color:#6b6b7b;padding:0 0 48px;font-size:13px}
"""


def recap_html(year: int, pages: Sequence[Page], cards: Sequence[bytes]) -> str:
    """One <figure> per page: its PNG card, and its words as caption and alt text."""
    if len(pages) != len(cards):
        raise ValueError("one card per page")
    figures = []
    for page, png in zip(pages, cards, strict=True):
        lines = page.lines()
        data = base64.b64encode(png).decode("ascii")
        caption = "".join(f"<p>{escape(line)}</p>" for line in lines)
        figures.append(f'<figure id="{escape(page.key)}"><img alt="{escape(" · ".join(lines))}" '
                       f'src="data:image/png;base64,{data}">'
                       f"<figcaption><details><summary>As text</summary>{caption}</details>"
                       "</figcaption></figure>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Your {year} in music — Encore</title><style>{_STYLE}</style></head>"
            f"<body><header><h1>Your {year} in music</h1><p>{len(pages)} pages from Encore</p>"
            f"</header><main>{''.join(figures)}</main>"
            f"<footer>Made on your own computer by Encore.</footer></body></html>\n")
