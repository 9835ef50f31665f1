"""Statistics for decisions: counts, cross-tables and coverage gaps of the catalogue.

`counts` computes (pure, from a catalog); `pages` turns the numbers into the `/stats/`
page, its SVG charts (`build_tools.pages.charts`) and CSV files beside each chart.
"""

from build_tools.features.stats.counts import Statistics, plan_statistics
from build_tools.features.stats.pages import generate_stats_pages

__all__ = ["Statistics", "generate_stats_pages", "plan_statistics"]
