"""`python -m robot_bridge.sim_robot`: the simulated G1 node, kept at its old name (it lives in `robot_bridge.sim`)."""

from robot_bridge.sim.sim_robot import main

if __name__ == "__main__":
    main()
