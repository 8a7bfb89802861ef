"""HTTP interfaces that orchestrate flows: intake over HTTP (`api.intake`, under /api/v1) and the
protocols of others (Open311 GeoReport v2 at `/open311/v2`)."""
