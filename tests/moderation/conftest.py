"""Moderation is tried on the agendas' proposals and comments (the first module
that registers its content)."""

from tests.agendas.conftest import agenda, proposal, theme  # noqa: F401
