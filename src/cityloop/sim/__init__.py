"""Simulation and demo data: the generated demo city 示范市 / Demo City."""
