"""Full-text search, as plumbing every searchable feature shares: the search language people type
(language.py), what each database makes of it (matching.py: PostgreSQL's tsquery, SQLite's FTS5), the
newest matches ranked in one statement (index.py) and the highlights of a result (highlights.py).
Names no feature: posts, comments and users each describe their own index (a `TextIndex`)."""
