"""Taking in entries handed in outside a pull request: the form's package (ZIP or
folder) and the issue form's attachments, checked as untrusted input before anything
is written (`package`), then placed and committed by `ifte import` (`importer`)."""
