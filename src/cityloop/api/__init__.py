"""Interfaces that speak other people's protocols (Open311 GeoReport v2 at `/open311/v2`)."""
