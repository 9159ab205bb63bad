"""Keyboard use: the skip link comes first and works; everything on the home page (and on
a region page, whose map is made of links) is reachable with Tab and shows the focus."""

from __future__ import annotations

import pytest

# What a keyboard user can reach, as the browser decides it (visible, enabled, not
# taken out of the tab order).
FOCUSABLE = """
() => Array.from(document.querySelectorAll(
    'a[href], area[href], button, input, select, textarea, summary, iframe, '
    + '[tabindex], [contenteditable=""], [contenteditable="true"]'
  )).filter(el => !el.disabled
    && el.getAttribute('tabindex') !== '-1'
    && !(el.tagName === 'INPUT' && el.type === 'hidden')
    && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden'
    && !el.closest('[inert], [aria-hidden="true"]'))
"""

# How the focused element shows it: an outline or a box shadow that is not "none".
FOCUS_STYLE = """
el => {
  const style = getComputedStyle(el);
  return {
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    describe: el.outerHTML.slice(0, 120),
  };
}
"""


@pytest.fixture(params=["home", "region"])
def home(request, page, programme):
    """The home page, and a region page for its map made of links."""
    path = "/" if request.param == "home" else programme["region"].get_absolute_url()
    response = page.goto(path)
    assert response is not None and response.status == 200
    return page


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(home):
    home.keyboard.press("Tab")
    skip_link = home.locator(":focus")
    assert skip_link.evaluate("el => el.tagName") == "A"
    target = skip_link.get_attribute("href")
    assert target and target.startswith("#"), f"the first Tab stop is not a skip link: {target}"
    assert skip_link.is_visible()
    box = skip_link.bounding_box()
    viewport = home.viewport_size
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["x"] < viewport["width"], (
        f"the focused skip link is off screen: {box}"
    )

    home.keyboard.press("Enter")
    focused = home.evaluate("document.activeElement.id")
    assert f"#{focused}" == target
    assert home.evaluate("document.activeElement.tagName") == "MAIN"


def test_every_interactive_element_is_reachable_by_tab_and_shows_the_focus(home):
    expected = home.evaluate_handle(FOCUSABLE)
    count = home.evaluate("elements => elements.length", expected)
    assert count > 3, "the page has almost nothing to reach"
    home.evaluate("elements => elements.forEach((el, i) => el.dataset.tabProbe = i)", expected)

    reached, unmarked = [], []
    for _ in range(count + 1):
        home.keyboard.press("Tab")
        probe = home.evaluate("document.activeElement.dataset.tabProbe ?? null")
        if probe is None or (reached and int(probe) == reached[0]):
            break
        reached.append(int(probe))
        style = home.locator(":focus").evaluate(FOCUS_STYLE)
        if not (style["outline"] or style["shadow"]):
            unmarked.append(style["describe"])

    missing = sorted(set(range(count)) - set(reached))
    names = home.evaluate(
        "([elements, missing]) => missing.map(i => elements[i].outerHTML.slice(0, 120))",
        [expected, missing],
    )
    assert not missing, "not reachable by Tab:\n" + "\n".join(names)
    assert reached[0] == 0, "the skip link is not the first element in the tab order"
    assert not unmarked, "no visible focus outline on:\n" + "\n".join(unmarked)
