"""IFTE Lopburi innovation repository: the build tools.

The core (everything in this package except `mkdocs_plugin`) never imports mkdocs,
so the site engine can be replaced without touching validation, search or exports.
"""

__version__ = "0.1.0"
