"""Console views, one module per area; each view is a thin layer over the services."""
