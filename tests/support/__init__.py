"""Helpers shared by several test areas, imported as ``tests.support.<module>``."""
