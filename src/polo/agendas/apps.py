from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendasConfig(AppConfig):
    name = "polo.agendas"
    label = "agendas"
    verbose_name = _("Agendas comunes")

    def ready(self) -> None:
        from polo.agendas import listing, models, rules, services
        from polo.moderation import registry

        registry.register(models.Proposal, moderators=rules.moderates, label=_("propuesta"))
        registry.register(models.Comment, moderators=rules.moderates, label=_("comentario"))
        services.register_personal_data()
        listing.connect()
