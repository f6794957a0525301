"""Report builders: the named result tables, the weekly summary, the brief and the figure
registry (pure: no Streamlit)."""
