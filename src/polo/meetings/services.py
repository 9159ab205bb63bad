"""Writes that span the meetings' models (filled in as the app grows)."""


def register_personal_data() -> None:
    return None


def register_indicator_metrics() -> None:
    return None
