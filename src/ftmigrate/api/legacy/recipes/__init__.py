"""Legacy recipe modules (``training.recipes.<name>`` under ``mount(surface=\"legacy\")``)."""

from ftmigrate.api.legacy.surface import RECIPES

__all__ = ["RECIPES"]
