"""The HTTP edge: Powertools routers (thin), error mapping and the caller from claims."""
