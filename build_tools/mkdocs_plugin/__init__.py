"""The thin MkDocs adapter: every line that knows about MkDocs lives here."""
