"""Cross-cutting pieces of the web application: configuration, database, security, languages."""
