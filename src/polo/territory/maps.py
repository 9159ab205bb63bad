"""SVG maps drawn from the municipal boundaries (no tile server needed).

Placeholder until the territory loader lands: see programme_map_svg.
"""

from django.utils.safestring import SafeString, mark_safe


def programme_map_svg() -> SafeString:
    """The three states with the programme's six regions highlighted."""
    return mark_safe("")
