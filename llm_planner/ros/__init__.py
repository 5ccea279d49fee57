"""ROS glue shared by every node: spin/main, parameters from pydantic settings, status events."""
