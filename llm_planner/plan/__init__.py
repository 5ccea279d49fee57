"""The plan vocabulary: step models, the compact plan language, limits and routes. Imports nothing of ours, no ROS."""
