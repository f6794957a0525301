"""Headless exports: tables (CSV, JSON, XLSX) and press-ready figures (PNG, SVG, PDF, HTML).

`tables` needs only pandas and openpyxl; `figures` needs a Chromium browser for the static
image formats only (Kaleido drives it), never for HTML.
"""
