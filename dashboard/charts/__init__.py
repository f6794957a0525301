"""Chart library: pure functions from DataFrames to plotly figures, in one house style."""
