"""Reading: a page file (bytes) into articles with headlines, credits and source offsets."""

from kg.read.page import read_page
from kg.read.source import read_source

__all__ = ["read_page", "read_source"]
