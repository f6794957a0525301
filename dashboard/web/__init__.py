"""The Streamlit app: entry point, pages and their glue."""
