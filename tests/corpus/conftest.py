"""The corpus scripts are data, not tests (they import the cookbook, which only a mount serves)."""

collect_ignore = ["scripts"]
