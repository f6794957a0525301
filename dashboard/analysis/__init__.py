"""Statistics on DataFrames: pure functions, no streamlit, no database."""
