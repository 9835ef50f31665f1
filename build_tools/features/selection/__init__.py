"""Best Practice selection rounds (`selection/<year>.yml`): the committee's criteria, scores
and results, the score sheets, the announcement pages and the certificates."""
