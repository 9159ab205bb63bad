from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "polo.directory"
    label = "directory"
    verbose_name = _("Directorio")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from polo.directory import facets, services
        from polo.directory.models import Organization

        services.register_personal_data()
        # Cached facet counts are read again only after the directory changes.
        uid = "directory-facets"
        post_save.connect(facets.directory_changed, sender=Organization, dispatch_uid=uid)
        post_delete.connect(facets.directory_changed, sender=Organization, dispatch_uid=uid)
        for relation in (Organization.themes, Organization.populations, Organization.languages):
            m2m_changed.connect(facets.directory_changed, sender=relation.through, dispatch_uid=uid)
