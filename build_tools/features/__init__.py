"""Features that plug into the site through `build_tools.core.site` registries and add their own
`ifte` commands: Best Practice selection rounds (`selection/`) and the network of schools
that adopt innovations (`network/`)."""
