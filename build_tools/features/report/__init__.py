"""The annual (or quarterly) synthesis report: `ifte report` and `/reports/`.

`content` gathers the numbers and texts of one period (pure), `lessons` draws the
lessons learned from entry bodies, `pdf` lays the report out on A4, `pages` puts the
HTML and PDF reports on the site, `cli` is the command.
"""
