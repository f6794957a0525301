"""Real-browser end-to-end tests: the Streamlit server on the sample data, driven by Chromium."""
