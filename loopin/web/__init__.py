"""Request and response plumbing shared by every feature: the endpoint declaration and its OpenAPI
document, validation, errors, HTTP hooks, rate limiting, the audit log. Nothing here names a feature."""
