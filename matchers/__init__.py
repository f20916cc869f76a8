"""Scoring of calls and directives against the municipality's profile (issue 4).

Pure functions over stored records. Nothing here yet: collection and query come first.
"""
