"""The network of schools that adopt or adapt innovations: `adoptions/<year>/<slug>.yml`,
the `/network/` page and "นำไปใช้แล้ว N แห่ง" on entry pages."""
