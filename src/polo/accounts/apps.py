from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "polo.accounts"
    label = "accounts"
    verbose_name = _("Cuentas y privacidad")

    def ready(self) -> None:
        from polo.accounts import exports

        exports.register()
