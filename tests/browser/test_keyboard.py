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
def walked_page(request, page, programme):
    """The home page, and a region page for its map made of links."""
    path = "/" if request.param == "home" else programme["region"].get_absolute_url()
    response = page.goto(path)
    assert response is not None and response.status == 200
    return page


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(walked_page):
    walked_page.keyboard.press("Tab")
    skip_link = walked_page.locator(":focus")
    assert skip_link.evaluate("el => el.tagName") == "A"
    target = skip_link.get_attribute("href")
    assert target and target.startswith("#"), f"the first Tab stop is not a skip link: {target}"
    assert skip_link.is_visible()
    box = skip_link.bounding_box()
    viewport = walked_page.viewport_size
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["x"] < viewport["width"], (
        f"the focused skip link is off screen: {box}"
    )

    walked_page.keyboard.press("Enter")
    focused = walked_page.evaluate("document.activeElement.id")
    assert f"#{focused}" == target
    assert walked_page.evaluate("document.activeElement.tagName") == "MAIN"


def test_every_interactive_element_is_reachable_by_tab_and_shows_the_focus(walked_page):
    expected = walked_page.evaluate_handle(FOCUSABLE)
    count = walked_page.evaluate("elements => elements.length", expected)
    assert count > 3, "the page has almost nothing to reach"
    walked_page.evaluate(
        "elements => elements.forEach((el, i) => el.dataset.tabProbe = i)", expected
    )

    reached, unmarked = [], []
    for _ in range(count + 10):
        walked_page.keyboard.press("Tab")
        probe = walked_page.evaluate(
            "document.activeElement === document.body ? 'body'"
            " : (document.activeElement?.dataset?.tabProbe ?? null)"
        )
        if probe == "body" or (probe is not None and reached and int(probe) == reached[0]):
            break  # past the last element, or round to the first again
        if probe is not None:
            reached.append(int(probe))
        style = walked_page.locator(":focus").evaluate(FOCUS_STYLE)
        if not (style["outline"] or style["shadow"]):
            unmarked.append(style["describe"])

    missing = sorted(set(range(count)) - set(reached))
    names = walked_page.evaluate(
        "([elements, missing]) => missing.map(i => elements[i].outerHTML.slice(0, 120))",
        [expected, missing],
    )
    assert not missing, "not reachable by Tab:\n" + "\n".join(names)
    assert reached[0] == 0, "the skip link is not the first element in the tab order"
    assert not unmarked, "no visible focus outline on:\n" + "\n".join(unmarked)
