"""Open data: the catalogue as CSV and JSON, a JSON per entry, a Frictionless data package
and GD Catalog (data.go.th) metadata, plus the `/data/` page that explains them.

`tables` (typed tables → CSV) ← `records` (one record per entry) → `datapackage`,
`gdcatalog`; `pages` assembles the files and the page.
"""
