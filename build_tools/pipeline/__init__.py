"""The build's stages, independent of the site engine: plan the site, keep what is unchanged."""
