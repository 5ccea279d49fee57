"""The tools on top: command line, bringup, demo, watch, live view, plots, benches, inference server."""
