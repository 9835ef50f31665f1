"""The site's own page kinds: entry views, listings, home, pictures, site map."""
