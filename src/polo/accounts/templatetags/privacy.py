"""Render a privacy notice's plain text: "## " headings, "- " lists, paragraphs."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def notice_markup(text: str, heading_level: int = 2) -> SafeString:
    """Escape everything; the only structure comes from the line prefixes."""
    html: list[str] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            html.append(f"<ul>{items}</ul>")
        elif len(lines) == 1 and lines[0].startswith("## "):
            level = int(heading_level)
            html.append(f"<h{level}>{conditional_escape(lines[0][3:])}</h{level}>")
        else:
            html.append(f"<p>{conditional_escape(' '.join(lines))}</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece was escaped above
