"""The simulated G1 controller and its node. Imports only the controller protocol (and the ROS glue)."""
