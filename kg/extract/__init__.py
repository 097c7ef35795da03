"""Extraction: pure functions from an article's text to plain facts (kg.model).

Never imports RDF, store or web code.
"""
