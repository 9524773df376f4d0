"""The site itself as an app: what belongs to no single app, such as the menu of all of them."""

from __future__ import annotations

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "config"
    label = "site_config"
    verbose_name = "Young Talent Pipeline"

    def ready(self) -> None:
        from config import navigation

        navigation.register()
