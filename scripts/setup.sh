#!/usr/bin/env bash
# Embedded set-up (no ROS install needed): .venv/ with ROS 2 Kilted core wheels, llama-cpp-python,
# this package (editable), the interface packages of interfaces/ (built into .venv) and the default
# GGUF model, assembled and SHA-256-verified.
# A second run skips what is done: pip only runs when setup.py changed, the model is checked by its hash.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $python" >&2
  "$python" -m venv .venv
fi

stamp=.venv/.llm_planner-setup
want=$(sha256sum setup.py | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing ROS 2 core wheels, llama-cpp-python (with its server), the model packages and test tools." >&2
  echo "setup: the first time, pip compiles llama.cpp on every core (about 5 minutes on 2; cached afterwards)." >&2
  # Compile llama.cpp in parallel, and only its library: no multimodal (mtmd) library, examples,
  # tools, tests or server binary (llama_cpp.server is Python and needs none of them).
  export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
  export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF}"
  .venv/bin/python -m pip install --disable-pip-version-check -e '.[ros-wheels,interfaces,llm,remote,server,model,test]' \
    | grep --line-buffered -v '^Requirement already satisfied' >&2
  echo "$want" > "$stamp"
else
  echo "setup: .venv is up to date" >&2
fi

# The G1's interface packages (and ours), built with cmake into .venv; skipped when unchanged.
bash scripts/build_interfaces.sh

# Assemble the default model from its chunk packages (progress on stderr) and verify its SHA-256.
.venv/bin/python -m llm_planner model >&2
